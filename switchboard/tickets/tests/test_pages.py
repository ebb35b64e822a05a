"""The agent's pages through Django's test client: behaviour, access and query counts."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from switchboard.tickets.actions import do_add_note, do_assign_ticket, do_change_ticket_status, do_close_ticket
from switchboard.tickets.files import do_attach_file
from switchboard.tickets.links import do_link_tickets, do_link_to_parent
from switchboard.tickets.models import Activity, ActivityKind, Attachment, Category, StatusKind, Ticket, TicketSource
from switchboard.tickets.tests.factories import make_contact, make_ticket


def header_post(ticket: Ticket, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": ticket.title,
        "status": ticket.status_id,
        "owner": ticket.owner_id or "",
        "next_action": ticket.next_action,
        "due_at": "",
        "version": ticket.version,
    }
    data.update(changes)
    return data


@pytest.mark.spec("CORE-05", "CORE-04")
def test_open_tickets_page_lists_tickets_with_status_icons_labels_and_sort_links(client, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    do_change_ticket_status(ticket, status=volunteers.statuses.get(kind=StatusKind.NEEDS_CONTACT), acting_user=None)
    client.force_login(alice_agent)
    page = client.get(reverse("open_tickets", args=["volunteers"]), {"sort": "number"}).content.decode()
    assert '<i class="bi bi-telephone-fill" aria-hidden="true"></i> Call the contact</span>' in page  # a pill
    assert "Sts" not in page and ">Status<" in page and "What the statuses mean" in page
    assert 'aria-sort="ascending"' in page and "?sort=-number" in page
    assert f'data-number="{ticket.number}"' in page


def test_group_pages_are_not_found_for_agents_outside_the_group(client, volunteers, bob_agent):
    ticket = make_ticket(volunteers)
    client.force_login(bob_agent)
    assert client.get(reverse("open_tickets", args=["volunteers"])).status_code == 404
    assert client.get(reverse("ticket", args=[ticket.number])).status_code == 404
    assert client.post(reverse("add_note", args=[ticket.number]), {"body": "x"}).status_code == 404
    assert not ticket.activities.filter(kind=ActivityKind.NOTE).exists()


@pytest.mark.spec("CORE-07", "CORE-09")
def test_update_saves_the_header_and_the_history_shows_old_and_new(client, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    response = client.post(
        reverse("ticket", args=[ticket.number]), header_post(ticket, title="Tour dates", owner=alice_agent.pk)
    )
    assert response.status_code == 302
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert "Tour dates" in page and "Maria Garcia (Volunteers) → Tour dates" in page


@pytest.mark.spec("CORE-13")
def test_a_stale_save_is_refused_with_a_refresh_prompt_and_keeps_what_the_agent_typed(client, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    stale = header_post(ticket, title="My unsaved title", next_action="Call at 5")
    do_add_note(ticket, body="Someone else was quicker", acting_user=None)
    client.force_login(alice_agent)
    response = client.post(reverse("ticket", args=[ticket.number]), stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "changed by someone else" in page and "Refresh" in page
    assert 'value="My unsaved title"' in page and 'value="Call at 5"' in page
    ticket.refresh_from_db()
    assert ticket.title == "Maria Garcia (Volunteers)"


@pytest.mark.spec("CORE-14")
def test_a_plain_get_of_the_ticket_page_changes_nothing_and_the_pages_post_makes_the_agent_owner(
    client, volunteers, alice_agent
):
    """A link preview or a prefetch only GETs: the ticket stays as it was. The page, once shown,
    POSTs that it was opened (ticket.js; see test_browser.py), and that makes the agent
    the owner where the group says so."""
    volunteers.owner_on_open = True
    volunteers.save()
    ticket = make_ticket(volunteers)
    activities = list(ticket.activities.values_list("pk", flat=True))
    client.force_login(alice_agent)

    assert client.get(reverse("ticket", args=[ticket.number])).status_code == 200
    assert client.head(reverse("ticket", args=[ticket.number])).status_code == 200
    unchanged = Ticket.objects.get(pk=ticket.pk)
    assert (unchanged.owner, unchanged.owner_opened_at, unchanged.version) == (None, None, ticket.version)
    assert list(unchanged.activities.values_list("pk", flat=True)) == activities

    response = client.post(reverse("ticket_opened", args=[ticket.number]))
    assert response.status_code == 200 and response.json()["changed"] is True
    opened = Ticket.objects.get(pk=ticket.pk)
    assert opened.owner == alice_agent and opened.owner_opened_at is not None
    assert opened.activities.latest("id").changes == [{"field": "owner", "old": "", "new": "AL"}]
    again = client.post(reverse("ticket_opened", args=[ticket.number]))
    assert again.json()["changed"] is False and Ticket.objects.get(pk=ticket.pk).version == opened.version


@pytest.mark.spec("CORE-14")
def test_opening_makes_the_agent_owner_only_where_the_group_says_so_and_only_for_its_members(
    client, volunteers, alice_agent, bob_agent
):
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    assert client.post(reverse("ticket_opened", args=[ticket.number])).json()["changed"] is False
    assert Ticket.objects.get(pk=ticket.pk).owner is None

    volunteers.owner_on_open = True
    volunteers.save()
    client.force_login(bob_agent)
    assert client.post(reverse("ticket_opened", args=[ticket.number])).status_code == 404
    assert client.get(reverse("ticket_opened", args=[ticket.number])).status_code == 405
    assert Ticket.objects.get(pk=ticket.pk).owner is None


@pytest.mark.spec("ROUTE-03")
def test_its_owner_opening_a_ticket_is_noted_by_the_pages_post_not_by_a_get(client, volunteers, alice_agent):
    ticket = do_assign_ticket(make_ticket(volunteers), owner=alice_agent, acting_user=None)
    client.force_login(alice_agent)
    client.get(reverse("ticket", args=[ticket.number]))
    assert Ticket.objects.get(pk=ticket.pk).owner_opened_at is None
    client.post(reverse("ticket_opened", args=[ticket.number]))
    assert Ticket.objects.get(pk=ticket.pk).owner_opened_at is not None


@pytest.mark.spec("CORE-05")
def test_close_completed_tickets_closes_only_the_completed_ones(client, volunteers, alice_agent):
    done, waiting = make_ticket(volunteers), make_ticket(volunteers)
    do_change_ticket_status(done, status=volunteers.statuses.get(kind=StatusKind.COMPLETED), acting_user=None)
    client.force_login(alice_agent)
    response = client.post(reverse("close_completed", args=["volunteers"]), follow=True)
    assert "1 completed ticket(s) closed." in response.content.decode()
    done.refresh_from_db()
    waiting.refresh_from_db()
    assert not done.is_open and waiting.is_open


@pytest.mark.spec("CORE-10")
def test_find_closed_tickets_searches_the_correspondence(client, volunteers, alice_agent):
    sofa = make_ticket(volunteers)
    do_add_note(sofa, body="Sofa collected on Friday", acting_user=None)
    do_close_ticket(sofa, acting_user=None)
    do_close_ticket(make_ticket(volunteers), acting_user=None)
    client.force_login(alice_agent)
    page = client.get(reverse("closed_tickets", args=["volunteers"]), {"q": "sofa friday"}).content.decode()
    assert page.count('data-number="') == 1 and f'data-number="{sofa.number}"' in page


@pytest.mark.spec("CORE-08")
def test_assign_to_a_different_group_moves_and_to_a_ticket_merges(client, volunteers, donations, alice_agent):
    from switchboard.tickets.models import Membership

    Membership.objects.create(user=alice_agent, group=donations)
    moving, merged, survivor = make_ticket(volunteers), make_ticket(volunteers), make_ticket(volunteers)
    client.force_login(alice_agent)
    client.post(reverse("reassign_ticket", args=[moving.number]), {"target": f"group:{donations.pk}"})
    moving.refresh_from_db()
    assert moving.group == donations
    response = client.post(reverse("reassign_ticket", args=[merged.number]), {"target": f"ticket:{survivor.number}"})
    assert response["Location"] == reverse("ticket", args=[survivor.number])
    merged.refresh_from_db()
    assert merged.merged_into == survivor


@pytest.mark.spec("CORE-16")
def test_attachments_are_served_to_the_groups_members_only(client, volunteers, alice_agent, bob_agent):
    ticket = make_ticket(volunteers)
    activity = Activity.objects.create(ticket=ticket, kind=ActivityKind.EMAIL_IN)
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30)).save(jpeg, "JPEG")
    photo = do_attach_file(activity, filename="sofa.jpg", content_type="image/jpeg", content=jpeg.getvalue())
    client.force_login(bob_agent)
    assert client.get(reverse("attachment", args=[photo.pk])).status_code == 404
    client.force_login(alice_agent)
    response = client.get(reverse("attachment", args=[photo.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == jpeg.getvalue()
    assert response["Content-Type"] == "image/jpeg"
    assert 'alt="sofa.jpg"' in client.get(reverse("ticket", args=[ticket.number])).content.decode()


# The workspace's pages that belong to no group: everyone signed in reaches them.
# The group of "create tickets" (CC-06) is in the form: tests/test_outbound.py tests an outsider's.
UNSCOPED_PAGES = {
    "home",
    "agent_settings",
    "health",
    "next_ticket",
    "search",
    "search_suggestions",
    "create_outbound_tickets",
    "my_activities",
    "add_todo",  # the agent's own to-do list (AGENT-02); another's to-do is not found (test_todos.py)
    "set_phone_state",  # the agent's own phone state, for all their groups (PHONE-09)
    "reports",  # every group the user manages, none for an agent: refused (test_reports.py, test_roles.py)
    "report_csv",
}


@pytest.mark.spec("CORE-01")  # an agent reaches only the groups they belong to
def test_an_outsider_gets_not_found_for_every_group_page_ticket_file_and_action(client, volunteers, bob_agent):
    from switchboard.tickets.canned_responses import do_save_canned_response
    from switchboard.tickets.tests.factories import make_agent
    from switchboard.tickets.todos import do_add_todo
    from switchboard.tickets.urls import urlpatterns

    manager = make_agent("mona", "MO", groups=[volunteers], role="manager")
    ticket = make_ticket(volunteers)
    canned = do_save_canned_response(volunteers, title="Hi", body_html="<p>Hi</p>", acting_user=manager)
    activity = Activity.objects.create(ticket=ticket, kind=ActivityKind.EMAIL_IN)
    photo = Attachment(activity=activity, filename="sofa.jpg", content_type="image/jpeg", size=3)
    photo.file.save("sofa.jpg", ContentFile(b"jpg"), save=True)
    values = {
        "slug": volunteers.slug,
        "number": ticket.number,
        "canned_id": canned.pk,
        "attachment_id": photo.pk,
        "kind": "reply",
        "status_id": volunteers.statuses.first().pk,
        "activity_id": Activity.objects.create(ticket=ticket, kind=ActivityKind.EMAIL_OUT).pk,
        "category_id": Category.objects.create(group=volunteers, name="Pantry").pk,
        "todo_id": do_add_todo(text="Ring back", ticket=ticket, acting_user=manager).pk,
        "membership_id": manager.memberships.get().pk,
    }
    client.force_login(bob_agent)
    walked = 0
    for pattern in urlpatterns:
        if pattern.name in UNSCOPED_PAGES:
            continue
        url = reverse(pattern.name, kwargs={key: values[key] for key in pattern.pattern.converters})
        for method in (client.get, client.post):
            response = method(url, {"to_address": "x@example.org", "body_html": "<p>x</p>", "title": "x"})
            assert response.status_code in {404, 405}, (method.__name__, url, response.status_code)
        walked += 1
    assert walked == len(urlpatterns) - len(UNSCOPED_PAGES)
    ticket.refresh_from_db()
    assert ticket.is_open and ticket.version == 1 and not ticket.activities.filter(actor=bob_agent).exists()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.spec("CORE-05", "CORE-06", "CORE-07", "CORE-17")
def test_home_list_and_ticket_page_cost_the_same_queries_for_10_and_120_tickets_and_1000_entries(
    client, volunteers, alice_agent
):
    tickets = [make_ticket(volunteers, source=TicketSource.PHONE) for _ in range(10)]
    busy = tickets[0]
    for n in range(10):
        do_add_note(busy, body=f"note {n}", acting_user=alice_agent)
    client.force_login(alice_agent)
    urls = [reverse("home"), reverse("open_tickets", args=["volunteers"]), reverse("ticket", args=[busy.number])]
    small = [queries(client, url) for url in urls]
    for _ in range(110):  # more than a page of 50
        make_ticket(volunteers, source=TicketSource.PHONE)
    notes = [Activity(ticket=busy, kind=ActivityKind.NOTE, actor=alice_agent, body=f"more {n}") for n in range(990)]
    Activity.objects.bulk_create(notes)
    for _ in range(5):  # linked tickets (CORE-17): the links panel costs the same for none and many
        do_link_to_parent(make_ticket(volunteers), parent=busy, acting_user=alice_agent)
        do_link_tickets(busy, other=make_ticket(volunteers), acting_user=alice_agent)
    assert [queries(client, url) for url in urls] == small


@pytest.mark.spec("CORE-07")
def test_the_ticket_page_asks_the_database_nothing_twice(client, volunteers, alice_agent):
    """Each query costs the page its building in Django (~0.5 ms of CPU): the status menu, without
    an empty choice, was read twice (Django walks it once to decide on ``required``)."""
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))
    do_add_note(ticket, body="Van booked", acting_user=alice_agent)
    client.force_login(alice_agent)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    statements = [query["sql"] for query in ctx.captured_queries]
    assert [sql for sql in statements if statements.count(sql) > 1] == []
    for status in volunteers.statuses.exclude(kind__in=StatusKind.closed_kinds()):
        assert f'<option value="{status.pk}"' in page


@pytest.mark.spec("CORE-07", "ROUTE-04")
def test_the_ticket_page_reads_the_groups_statuses_once_and_its_members_once(
    client, volunteers, alice_agent, bob_agent
):
    """The header's status menu (the open statuses) and Close's menu (the closed ones) come from one
    read; so do the owner menu (every member) and Escalate's (every member but the agent)."""
    from switchboard.tickets.models import Membership

    Membership.objects.create(user=bob_agent, group=volunteers)
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    statements = [query["sql"] for query in ctx.captured_queries]
    assert len([sql for sql in statements if 'FROM "tickets_status"' in sql]) == 1
    assert len([sql for sql in statements if 'FROM "auth_user" INNER JOIN "tickets_membership"' in sql]) == 1
    header, close_menu = page.split('id="ticket-header"')[1], page.split("data-close-menu")[1].split("</form>")[0]
    for status in volunteers.statuses.all():
        shown_in = close_menu if status.kind in StatusKind.closed_kinds() else header
        assert f'value="{status.pk}"' in shown_in, status.name
    escalate = page.split('id="escalate"')[1].split("</form>")[0]
    assert f'<option value="{bob_agent.pk}">' in escalate and f'<option value="{alice_agent.pk}">' not in escalate
    owner_menu = header.split('name="owner"')[1].split("</select>")[0]
    assert f'value="{bob_agent.pk}"' in owner_menu and f'value="{alice_agent.pk}"' in owner_menu


@pytest.mark.spec("CORE-07", "MAIL-12")
def test_the_ticket_page_reads_the_addresses_on_the_ticket_in_two_queries(client, volunteers, alice_agent):
    """The composer's To (the contact's primary email) and Cc (each person in copy's primary email), and
    the addresses the timeline does not offer again: the contact's points and the people in copy's emails
    read once each, the contact card showing the contact's from the same read (two reads of contact
    points; they were four, then three)."""
    from switchboard.contacts.models import ContactPoint

    maria = make_contact("Maria", "Garcia", email="maria@example.org")
    ContactPoint.objects.create(contact=maria, kind=ContactPoint.Kind.EMAIL, value="m.garcia@example.org")
    jan = make_contact("Jan", "Kowalski", email="jan@example.org")
    ContactPoint.objects.create(contact=jan, kind=ContactPoint.Kind.EMAIL, value="jan.k@example.org")
    ticket = make_ticket(volunteers, contact=maria)
    ticket.cc_contacts.add(jan)
    client.force_login(alice_agent)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert 'value="maria@example.org"' in page and 'value="jan@example.org"' in page
    card = page.split("data-contact-card")[1].split("</form>")[0]
    assert 'href="mailto:maria@example.org"' in card and 'href="mailto:m.garcia@example.org"' in card
    reads = [query["sql"] for query in ctx.captured_queries if 'FROM "contacts_contactpoint"' in query["sql"]]
    assert len(reads) == 2, reads


@pytest.mark.spec("CORE-12", "ADMIN-04")
def test_personal_settings_change_initials_language_time_zone_and_notification_days(
    client, volunteers, donations, alice_agent
):
    from switchboard.tickets.models import Membership

    client.force_login(alice_agent)
    form = {
        "initials": "ak",
        "signature": "Alice, volunteer desk",
        "language": "pl",
        "time_zone": "Europe/Warsaw",
        f"weekdays_{volunteers.pk}": ["0", "2", "4"],
        f"weekdays_{donations.pk}": ["6"],  # not her group: ignored
    }
    assert client.post(reverse("agent_settings"), form).status_code == 302
    profile = alice_agent.agent_profile
    profile.refresh_from_db()
    assert (profile.initials, profile.language, profile.time_zone) == ("AK", "pl", "Europe/Warsaw")
    assert Membership.objects.get(user=alice_agent, group=volunteers).notify_weekdays == [0, 2, 4]
    assert not Membership.objects.filter(user=alice_agent, group=donations).exists()
    page = client.get(reverse("agent_settings")).content.decode()
    assert "Ustawienia osobiste" in page and 'value="AK"' in page


def test_settings_refuse_an_unknown_time_zone_and_keep_the_old_one(client, alice_agent):
    client.force_login(alice_agent)
    response = client.post(reverse("agent_settings"), {"initials": "AL", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200 and "Mars/Olympus" in response.content.decode()
    alice_agent.agent_profile.refresh_from_db()
    assert alice_agent.agent_profile.time_zone == "UTC"


@pytest.mark.spec("CORE-05", "CORE-03")
def test_create_new_ticket_for_a_new_contact_then_for_the_same_one_opens_the_existing(client, volunteers, alice_agent):
    client.force_login(alice_agent)
    form = {"first_name": "Ewa", "last_name": "Nowak", "email": "Ewa@Example.org", "phone": "", "source": "phone"}
    response = client.post(reverse("new_ticket", args=["volunteers"]), form)
    ticket = Ticket.objects.get(contact__points__value="ewa@example.org")
    assert response["Location"] == reverse("ticket", args=[ticket.number])
    assert (ticket.title, ticket.source) == ("Ewa Nowak (Volunteers)", "phone")

    again = client.post(reverse("new_ticket", args=["volunteers"]), {**form, "email": "ewa@example.org"}, follow=True)
    assert again.redirect_chain[-1][0] == reverse("ticket", args=[ticket.number])
    assert "already has an open ticket" in again.content.decode()
    assert Ticket.objects.count() == 1


def test_create_new_ticket_refuses_a_bad_phone_and_an_empty_contact(client, volunteers, alice_agent):
    client.force_login(alice_agent)
    bad = client.post(reverse("new_ticket", args=["volunteers"]), {"phone": "12", "source": "agent"})
    assert "not a valid phone number" in bad.content.decode()
    empty = client.post(reverse("new_ticket", args=["volunteers"]), {"source": "agent"})
    assert "Give the contact" in empty.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.spec("CORE-15", "CC-02")
@pytest.mark.parametrize("action", ["status", "owner", "source", "close"])
def test_bulk_actions_change_every_selected_ticket_and_only_those(client, volunteers, alice_agent, action):
    first, second, untouched = make_ticket(volunteers), make_ticket(volunteers), make_ticket(volunteers)
    scheduled = volunteers.statuses.get(kind=StatusKind.SCHEDULED)
    client.force_login(alice_agent)
    form = {
        "tickets": [first.number, second.number],
        "action": action,
        "status": scheduled.pk,
        "owner": alice_agent.pk,
        "source": "sms",
    }
    response = client.post(reverse("bulk_change", args=["volunteers"]), form, follow=True)
    assert "2 ticket(s) changed." in response.content.decode()
    changed = {
        "status": lambda t: t.status == scheduled,
        "owner": lambda t: t.owner == alice_agent,
        "source": lambda t: t.source == "sms",
        "close": lambda t: not t.is_open,
    }[action]
    assert [changed(Ticket.objects.get(pk=t.pk)) for t in (first, second, untouched)] == [True, True, False]


@pytest.mark.spec("CORE-15", "CC-05")
def test_bulk_move_is_all_or_nothing_and_names_the_ticket_that_refused(client, volunteers, donations, alice_agent):
    from switchboard.tickets.models import Membership

    Membership.objects.create(user=alice_agent, group=donations)
    free, blocked = make_ticket(volunteers), make_ticket(volunteers)
    make_ticket(donations, contact=blocked.contact)  # blocked's contact already has an open one there
    client.force_login(alice_agent)
    form = {"tickets": [free.number, blocked.number], "action": "move", "group": donations.pk}
    page = client.post(reverse("bulk_change", args=["volunteers"]), form, follow=True).content.decode()
    assert "Nothing was changed" in page and f"#{blocked.number}" in page
    assert set(Ticket.objects.filter(group=volunteers).values_list("number", flat=True)) == {
        free.number,
        blocked.number,
    }


def test_bulk_actions_ignore_tickets_of_other_groups(client, volunteers, donations, alice_agent):
    other = make_ticket(donations)
    client.force_login(alice_agent)
    client.post(reverse("bulk_change", args=["volunteers"]), {"tickets": [other.number], "action": "close"})
    other.refresh_from_db()
    assert other.is_open


@pytest.mark.spec("MAIL-04")
def test_the_quoted_earlier_mail_of_a_message_is_folded_away_but_kept(client, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    Activity.objects.create(
        ticket=ticket,
        kind=ActivityKind.EMAIL_IN,
        body="Yes, Saturday works.\n\nW dniu 2.11.2026 o 10:14, Anna pisze:\n> Can you come on Saturday?",
    )
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    new_part, folded = page.split('<details class="quoted', 1)
    assert "Yes, Saturday works." in new_part and "Can you come on Saturday?" not in new_part
    assert "Show the quoted earlier messages" in folded and "&gt; Can you come on Saturday?" in folded
