"""Linked tickets and parent incidents (CORE-17): through the actions and the agent's pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.tickets.actions import TicketError
from switchboard.tickets.links import (
    do_close_with_children,
    do_link_tickets,
    do_link_to_parent,
    do_send_incident_update,
    get_ticket_links,
)
from switchboard.tickets.models import ActivityKind, Ticket, TicketLink
from switchboard.tickets.tests.factories import make_contact, make_ticket

pytestmark = pytest.mark.spec("CORE-17")


def history(ticket: Ticket) -> list[dict[str, str]]:
    return [change for a in ticket.activities.filter(kind=ActivityKind.CHANGED) for change in a.changes]


def page_of(client, ticket: Ticket) -> str:
    return client.get(reverse("ticket", args=[ticket.number])).content.decode()


def test_an_agent_links_two_tickets_both_pages_show_it_and_unlinks_with_history(client, volunteers, alice_agent):
    outage, report = make_ticket(volunteers), make_ticket(volunteers)
    client.force_login(alice_agent)
    response = client.post(reverse("link_ticket", args=[outage.number]), {"number": report.number, "how": "related"})
    assert response.status_code == 302
    for ticket, other in ((outage, report), (report, outage)):
        page = page_of(client, ticket)
        assert f'data-linked="{other.number}"' in page and f"#{other.number} {other.title}" in page
        assert "status-pill" in page.split("data-related-tickets")[1]
        assert {"field": "linked_ticket", "old": "", "new": f"#{other.number} {other.title}"} in history(ticket)
    assert "Linked ticket" in page_of(client, outage)  # the history names the change

    client.post(reverse("unlink_ticket", args=[report.number]), {"other": outage.number})
    assert not TicketLink.objects.exists()
    assert f'data-linked="{report.number}"' not in page_of(client, outage)
    for ticket, other in ((outage, report), (report, outage)):
        assert {"field": "linked_ticket", "old": f"#{other.number} {other.title}", "new": ""} in history(ticket)


def test_a_ticket_of_another_group_cannot_be_linked_and_nothing_changes(
    client, volunteers, donations, alice_agent, bob_agent
):
    mine, theirs = make_ticket(volunteers), make_ticket(donations)
    client.force_login(alice_agent)
    client.post(reverse("link_ticket", args=[mine.number]), {"number": theirs.number, "how": "related"})
    page = page_of(client, mine)
    assert f"No ticket #{theirs.number} in your groups." in page and "No linked tickets." in page
    with pytest.raises(TicketError):
        do_link_tickets(mine, other=mine, acting_user=alice_agent)
    assert not TicketLink.objects.exists() and not history(mine) and not history(theirs)
    client.force_login(bob_agent)  # nor from the other side, nor their page
    assert client.post(reverse("link_ticket", args=[mine.number]), {"number": theirs.number}).status_code == 404
    assert not TicketLink.objects.exists()


def test_a_child_has_one_parent_and_parents_are_never_children(volunteers, alice_agent):
    outage, other_outage, child, grandchild = (make_ticket(volunteers) for _ in range(4))
    do_link_to_parent(child, parent=outage, acting_user=alice_agent)
    with pytest.raises(TicketError, match="already has a parent incident"):
        do_link_to_parent(child, parent=other_outage, acting_user=alice_agent)
    with pytest.raises(TicketError, match="cannot be a parent itself"):
        do_link_to_parent(grandchild, parent=child, acting_user=alice_agent)
    with pytest.raises(TicketError, match="itself a parent incident"):
        do_link_to_parent(outage, parent=other_outage, acting_user=alice_agent)
    with pytest.raises(TicketError, match="already linked"):
        do_link_to_parent(outage, parent=child, acting_user=alice_agent)  # the cycle
    with pytest.raises(TicketError, match="itself"):
        do_link_to_parent(outage, parent=outage, acting_user=alice_agent)
    assert list(TicketLink.objects.values_list("source", "target")) == [(outage.pk, child.pk)]
    assert get_ticket_links(child).parent == outage and get_ticket_links(outage).children == [child]
    assert {"field": "parent_incident", "old": "", "new": f"#{outage.number} {outage.title}"} in history(child)
    assert {"field": "child_ticket", "old": "", "new": f"#{child.number} {child.title}"} in history(outage)


def test_bulk_link_from_the_list_makes_the_selected_tickets_children_all_or_nothing(
    client, volunteers, donations, alice_agent
):
    outage = make_ticket(volunteers)
    reports = [make_ticket(volunteers) for _ in range(3)]
    client.force_login(alice_agent)
    assert "Link to parent incident #…" in client.get(reverse("open_tickets", args=["volunteers"])).content.decode()
    url = reverse("bulk_change", args=["volunteers"])
    numbers = [t.number for t in reports]
    client.post(url, {"tickets": numbers, "action": "parent", "parent": make_ticket(donations).number})
    assert not TicketLink.objects.exists()  # another group's ticket is no parent for her

    client.post(url, {"tickets": numbers, "action": "parent", "parent": outage.number})
    assert sorted(get_ticket_links(outage).children, key=lambda t: t.pk) == reports
    page = page_of(client, outage)
    assert "Parent incident of 3 tickets" in page and "Close this ticket and its 3 linked tickets?" in page

    costs = []
    for size in (2, 4, 6):  # a fixed number of queries per child
        selected = [make_ticket(volunteers).number for _ in range(size)]
        with CaptureQueriesContext(connection) as queries:
            client.post(url, {"tickets": selected, "action": "parent", "parent": outage.number})
        costs.append(len(queries))
    assert costs[2] - costs[1] == costs[1] - costs[0] <= 2 * 12
    assert len(get_ticket_links(outage).children) == 15

    client.post(
        url,
        {
            "tickets": [reports[0].number, make_ticket(volunteers).number],
            "action": "parent",
            "parent": reports[1].number,
        },
    )
    assert TicketLink.objects.count() == 15  # one refused: nothing changed
    assert "Nothing was changed." in client.get(reverse("open_tickets", args=["volunteers"])).content.decode()


def no_email_contact() -> Contact:
    return do_create_contact(
        kind=Contact.Kind.PERSON, first_name="Piotr", last_name="Nowak", phones=["+48601200300"], acting_user=None
    )


def test_the_parent_update_reaches_the_contacts_of_3_children_and_is_on_each_timeline(
    client, volunteers, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    outage = make_ticket(volunteers)
    children = [make_ticket(volunteers, contact=make_contact(name, "Kowalska")) for name in ("Anna", "Ewa", "Ola")]
    silent = make_ticket(volunteers, contact=no_email_contact())
    for child in [*children, silent]:
        do_link_to_parent(child, parent=outage, acting_user=alice_agent)
    client.force_login(alice_agent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("send_incident_update", args=[outage.number]),
            {"body": "The network in Kraków is back.\n\nThank you for your patience."},
        )
    received = smtp_sink.wait_for(3)
    addresses = {child.contact.points.get().value for child in children}
    assert {message["To"] for message in received} == addresses
    for message in received:
        assert message.get_body(("plain",)).get_content().startswith("Hello ")
        assert "The network in Kraków is back." in message.get_body(("html",)).get_content()
    for child in children:
        (reply,) = child.activities.filter(kind=ActivityKind.EMAIL_OUT)
        assert "Kraków is back" in reply.body_html and reply.actor == alice_agent
        assert f"[Ticket#{child.number}]" in received[0]["Subject"] or any(
            f"[Ticket#{child.number}]" in m["Subject"] for m in received
        )
    assert not silent.activities.filter(kind=ActivityKind.EMAIL_OUT).exists()
    page = page_of(client, outage)
    summary = f"Sent to 3 ticket(s), 1 skipped: #{silent.number}: no email address"
    assert summary in page
    assert outage.activities.filter(kind=ActivityKind.NOTE, body__contains=summary).exists()


def test_an_update_reaching_nobody_is_refused(volunteers, alice_agent):
    outage = make_ticket(volunteers)
    do_link_to_parent(make_ticket(volunteers, contact=no_email_contact()), parent=outage, acting_user=alice_agent)
    with pytest.raises(TicketError, match="Nothing was sent"):
        do_send_incident_update(outage, body_html="<p>Fixed.</p>", acting_user=alice_agent)
    assert not outage.activities.filter(kind=ActivityKind.NOTE).exists()


def test_closing_the_parent_closes_its_open_children_with_their_history(client, volunteers, alice_agent):
    outage = make_ticket(volunteers)
    children = [make_ticket(volunteers) for _ in range(3)]
    for child in children:
        do_link_to_parent(child, parent=outage, acting_user=alice_agent)
    related = make_ticket(volunteers)
    do_link_tickets(outage, other=related, acting_user=alice_agent)
    client.force_login(alice_agent)
    assert "Close this ticket and its 3 linked tickets?" in page_of(client, outage)
    client.post(reverse("close_ticket", args=[outage.number]))
    for child in children:
        child.refresh_from_db()
        closed = child.activities.get(kind=ActivityKind.CLOSED)
        assert not child.is_open and closed.body == f"Closed with its parent incident #{outage.number}."
    outage.refresh_from_db()
    related.refresh_from_db()
    assert not outage.is_open and related.is_open  # a related ticket is not a child
    assert (
        f"Ticket #{outage.number} and its 3 linked ticket(s) closed."
        in client.get(reverse("open_tickets", args=["volunteers"])).content.decode()
    )


def test_closing_is_all_or_nothing_when_a_child_is_beyond_the_agent(volunteers, donations, alice_agent):
    from switchboard.tickets.tests.factories import make_agent

    both = make_agent("carol", "CA", groups=[volunteers, donations])
    outage, theirs = make_ticket(volunteers), make_ticket(donations)
    do_link_to_parent(theirs, parent=outage, acting_user=both)
    with pytest.raises(TicketError, match="Nothing was closed"):
        do_close_with_children(outage, acting_user=alice_agent)
    outage.refresh_from_db()
    theirs.refresh_from_db()
    assert outage.is_open and theirs.is_open


def test_the_ticket_page_costs_the_same_queries_with_no_links_and_with_many(client, volunteers, alice_agent):
    outage = make_ticket(volunteers)
    client.force_login(alice_agent)
    url = reverse("ticket", args=[outage.number])
    with CaptureQueriesContext(connection) as none:
        client.get(url)
    parent = make_ticket(volunteers)
    do_link_to_parent(outage, parent=parent, acting_user=alice_agent)
    # The same page, now a parent's child can't be a parent: look at the parent instead, with many links.
    url = reverse("ticket", args=[parent.number])
    for _ in range(5):
        do_link_to_parent(make_ticket(volunteers), parent=parent, acting_user=alice_agent)
        do_link_tickets(parent, other=make_ticket(volunteers), acting_user=alice_agent)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(none)


@pytest.mark.parametrize(("language", "title"), [("en", "Warehouse without power"), ("pl", "Magazyn bez prądu")])
def test_the_demo_has_a_parent_incident_with_3_children_loaded_once(db, language, title):
    from switchboard.tickets.demo import load_demo_data
    from switchboard.tickets.demo_links import load_links_demo

    load_demo_data(language)
    load_links_demo(language)
    parent = Ticket.objects.get(title__startswith=title)
    links = get_ticket_links(parent)
    assert len(links.children) == 3 and len(links.related) == 1
    assert all(child.contact.points.filter(kind="email").exists() for child in links.children)
    load_links_demo(language)  # a second start changes nothing
    assert TicketLink.objects.count() == 4


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_agents_linking_at_once_cannot_make_a_chain_of_incidents(volunteers, alice_agent):
    """A becomes B's parent while B becomes C's: both look at B, so one waits for the other and
    is then refused (without the row locks both would pass their checks and make a chain)."""
    import threading

    from django.db import close_old_connections, transaction

    from switchboard.testing.database import wait_for_blocked_connections

    first, middle, last = (make_ticket(volunteers) for _ in range(3))
    outcomes: list[str] = []

    def link(child: Ticket, parent: Ticket) -> None:
        try:
            do_link_to_parent(child, parent=parent, acting_user=alice_agent)
            outcomes.append("linked")
        except TicketError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=link, args=(middle, first)),
        threading.Thread(target=link, args=(last, middle)),
    ]
    with transaction.atomic():
        Ticket.objects.select_for_update().get(pk=middle.pk)
        for thread in threads:
            thread.start()
        wait_for_blocked_connections(2)
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["linked", "refused"]
    assert TicketLink.objects.count() == 1
