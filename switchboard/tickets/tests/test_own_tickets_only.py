"""A group that keeps its agents to their own tickets (ADMIN-01): an agent or home agent of it sees
and works only the tickets they own and the unowned ones to claim; managers and administrators
see them all. One helper (tickets/permissions.py) decides; these tests walk every URL of the
project as such an agent and listen on their live sockets."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db.models import Q
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from switchboard.tickets.actions import do_add_note, do_assign_ticket
from switchboard.tickets.bulk import BulkAction
from switchboard.tickets.models import Activity, ActivityKind, Attachment, Group, Ticket, TicketLink
from switchboard.tickets.permissions import can_see_ticket, visible_tickets
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket


def every_pattern(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    """Every named URL pattern of the project, with its namespaced name."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from every_pattern(pattern, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern


@pytest.fixture
def restricted(volunteers: Group) -> Group:
    volunteers.own_tickets_only = True
    volunteers.save(update_fields=["own_tickets_only"])
    return volunteers


@pytest.fixture
def people(restricted: Group):  # type: ignore[no-untyped-def]
    alice = make_agent("alice", "AL", groups=[restricted])
    carol = make_agent("carol", "CA", groups=[restricted], role="home_agent")
    mona = make_agent("mona", "MO", groups=[restricted], role="manager")
    return alice, carol, mona


def owned_by(group: Group, owner, *, first_name: str, last_name: str) -> Ticket:  # type: ignore[no-untyped-def]
    ticket = make_ticket(group, contact=make_contact(first_name, last_name))
    do_assign_ticket(ticket, owner=owner, acting_user=None)
    ticket.refresh_from_db()
    return ticket


@pytest.mark.spec("ADMIN-01")
def test_the_helper_gives_an_agent_their_own_and_unowned_tickets_and_a_manager_all(restricted, donations, people):
    alice, carol, mona = people
    make_agent("dora", "DO", groups=[donations])
    mine = owned_by(restricted, alice, first_name="Ann", last_name="Mine")
    theirs = owned_by(restricted, carol, first_name="Zebulon", last_name="Quixote")
    unowned = make_ticket(restricted)
    elsewhere = make_ticket(donations)
    assert set(visible_tickets(alice)) == {mine, unowned}
    assert set(visible_tickets(carol)) == {theirs, unowned}
    assert set(visible_tickets(mona)) == {mine, theirs, unowned}
    assert [can_see_ticket(alice, t) for t in (mine, theirs, unowned, elsewhere)] == [True, False, True, False]
    restricted.own_tickets_only = False
    restricted.save(update_fields=["own_tickets_only"])
    assert set(visible_tickets(alice)) == {mine, theirs, unowned}
    assert can_see_ticket(alice, theirs)


# POSTed to every route: enough to pass most forms' first checks.
POSTED = {
    "to_address": "x@example.org",
    "body_html": "<p>x</p>",
    "body": "x",
    "text": "x",
    "title": "x",
    "q": "Zebulon",  # echoed by search pages; the name they must not find is "Quixote"
}


@pytest.mark.spec("ADMIN-01")
def test_a_restricted_agent_walking_every_route_sees_nothing_of_anothers_ticket_and_changes_nothing(
    client, restricted, people
):
    from switchboard.tickets.canned_responses import do_save_canned_response
    from switchboard.tickets.todos import do_add_todo

    alice, carol, mona = people
    theirs = owned_by(restricted, carol, first_name="Zebulon", last_name="Quixote")
    theirs.title = "Sofa pickup hush"
    theirs.save(update_fields=["title"])
    do_add_note(theirs, body="Quixote's ladder", acting_user=carol)
    mine = owned_by(restricted, alice, first_name="Ann", last_name="Mine")
    activity = Activity.objects.create(ticket=theirs, kind=ActivityKind.EMAIL_IN, body="Quixote writes")
    photo = Attachment(activity=activity, filename="quixote-sofa.jpg", content_type="image/jpeg", size=3)
    photo.file.save("quixote-sofa.jpg", ContentFile(b"jpg"), save=True)
    canned = do_save_canned_response(restricted, title="Hi", body_html="<p>Hi</p>", acting_user=mona)
    theirs.refresh_from_db()
    version = theirs.version
    values: dict[str, object] = {
        "slug": restricted.slug,
        "number": theirs.number,
        "other_pk": theirs.pk,
        "pk": theirs.pk,
        "id": theirs.pk,
        "object_id": theirs.pk,
        "app_label": "tickets",
        "content_type_id": ContentType.objects.get_for_model(Ticket).pk,
        "attachment_id": photo.pk,
        "image_id": photo.pk,
        "activity_id": activity.pk,
        "canned_id": canned.pk,
        "todo_id": do_add_todo(text="Ring Quixote", ticket=theirs, acting_user=carol).pk,
        "membership_id": carol.memberships.get().pk,
        "status_id": restricted.statuses.first().pk,
        "kind": "reply",
    }
    secrets = ["Quixote", "Sofa pickup hush", "quixote-sofa"]
    # its number as shown ("#12") or its page's address in a link
    number = re.compile(rf"#{theirs.number}(?![0-9a-fA-F])|(?<![\w/]){reverse('ticket', args=[theirs.number])}")
    walked, skipped = 0, []
    for name, pattern in every_pattern():
        converters = pattern.pattern.regex.groupindex
        try:
            url = reverse(name, kwargs={key: values.get(key, 1) for key in converters})
        except NoReverseMatch:
            skipped.append(name)
            continue
        for method in ("get", "post"):
            if client.session.get(SESSION_KEY) != str(alice.pk):  # a route may sign her out
                client.force_login(alice)
            response = getattr(client, method)(url, POSTED)
            assert response.status_code < 500, (method, url, response.status_code)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode(errors="replace").replace(url, "")  # a "not found" page names what was asked
            # Agents see every contact (CC-01): a contact's own page names them, but not their tickets.
            hidden = secrets[1:] if url.startswith("/contacts/") else secrets
            leaked = [secret for secret in hidden if secret in text] + number.findall(text)
            assert not leaked, (method, url, leaked)
        walked += 1
    assert walked > 300 and len(skipped) < 10, skipped
    theirs.refresh_from_db()
    assert theirs.version == version and theirs.owner == carol and theirs.is_open
    assert not Activity.objects.filter(ticket=theirs, actor=alice).exists()
    assert Ticket.objects.get(pk=mine.pk).owner == alice


@pytest.mark.spec("ADMIN-01")
def test_a_restricted_agent_sees_and_works_their_own_and_claims_an_unowned_one(client, restricted, people):
    alice, carol, mona = people
    mine = owned_by(restricted, alice, first_name="Ann", last_name="Mine")
    theirs = owned_by(restricted, carol, first_name="Zebulon", last_name="Quixote")
    unowned = make_ticket(restricted, contact=make_contact("Una", "Waiting"))
    client.force_login(alice)
    listed = client.get(reverse("open_tickets", args=[restricted.slug])).content.decode()
    assert "Mine" in listed and "Waiting" in listed and "Quixote" not in listed
    assert client.get(reverse("ticket", args=[mine.number])).status_code == 200
    assert client.get(reverse("ticket", args=[unowned.number])).status_code == 200
    assert client.get(reverse("ticket", args=[theirs.number])).status_code == 404
    assert "Quixote" not in client.get(reverse("search"), {"q": "Zebulon"}).content.decode()
    client.post(reverse("claim_ticket", args=[unowned.number]))
    unowned.refresh_from_db()
    assert unowned.owner == alice
    client.post(reverse("claim_ticket", args=[theirs.number]))
    theirs.refresh_from_db()
    assert theirs.owner == carol
    bulk = {"tickets": [mine.number], "action": BulkAction.LINK_PARENT, "parent": theirs.number}
    client.post(reverse("bulk_change", args=[restricted.slug]), bulk)
    assert not TicketLink.objects.filter(Q(source=theirs) | Q(target=theirs)).exists()  # not a parent she may name
    client.force_login(mona)  # the manager sees every ticket of the group
    assert client.get(reverse("ticket", args=[theirs.number])).status_code == 200
    assert "Quixote" in client.get(reverse("open_tickets", args=[restricted.slug])).content.decode()


@pytest.mark.spec("ADMIN-01")
@pytest.mark.django_db(transaction=True)
def test_a_restricted_agents_live_lists_do_not_hear_of_anothers_ticket(restricted, people):
    from switchboard.tickets.tests.test_realtime import viewer
    from switchboard.tickets.tests.test_realtime_membership import watching_lists

    alice, carol, mona = people
    theirs = owned_by(restricted, carol, first_name="Zebulon", last_name="Quixote")
    mine = owned_by(restricted, alice, first_name="Ann", last_name="Mine")

    async def scenario() -> None:
        alices, monas = watching_lists(alice), watching_lists(mona)
        assert (await alices.connect())[0]
        assert (await monas.connect())[0]
        page = viewer(alice, theirs)  # the other's ticket page: refused
        connected, _code = await page.connect()
        assert not connected
        await sync_to_async(do_add_note)(theirs, body="Not for Alice", acting_user=carol)
        await sync_to_async(do_add_note)(mine, body="Hers", acting_user=None)
        first = await alices.receive_json_from(timeout=5)
        assert (first["type"], first["ticket"]) == ("ticket.changed", mine.pk)
        assert await alices.receive_nothing(timeout=0.2)
        heard = {(await monas.receive_json_from(timeout=5))["ticket"] for _ in range(2)}
        assert heard == {theirs.pk, mine.pk}
        await alices.disconnect()
        await monas.disconnect()

    async_to_sync(scenario)()
