"""Triage at a glance (issue 19): what a ticket is about (its title from the message, the grey
line of the contact's latest words), unread and due marks, the status in words, the home page's
next job, and what the list costs in queries."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from switchboard.intake.inbound import Inbound, Person
from switchboard.tickets.actions import (
    TicketHeader,
    do_assign_ticket,
    do_change_ticket_status,
    do_create_ticket,
    do_update_ticket,
)
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import Activity, ActivityKind, StatusKind, Ticket, TicketRead, TicketSource
from switchboard.tickets.selectors import get_needs_reply, list_group_counts
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket
from switchboard.tickets.tests.test_pages import queries
from switchboard.tickets.titles import title_from_text


def write_in(ticket: Ticket, text: str, *, automatic: str = "") -> None:
    sender = Person(address="maria@example.org", name="Maria Garcia")
    do_add_inbound_message(
        ticket, inbound=Inbound(channel="email", sender=sender, text=text, automatic=automatic), cc=[]
    )


def open_list(client, **query: str) -> str:
    return client.get(reverse("open_tickets", args=["volunteers"]), query).content.decode()


def row_of(page: str, ticket: Ticket) -> str:
    start = page.index(f'data-number="{ticket.number}"')
    return page[start : page.index("</tr>", start)]


@pytest.mark.spec("CORE-05")
def test_a_new_tickets_title_is_what_its_message_is_about_unless_the_group_names_tickets_after_the_contact(
    volunteers,
):
    maria = make_contact("Maria", "Garcia")
    by_mail = do_create_ticket(
        volunteers, contact=maria, source=TicketSource.EMAIL, subject="Sofa\nto give", acting_user=None
    )
    assert by_mail.title == "Sofa to give"  # the subject, on one line
    by_call = do_create_ticket(
        volunteers,
        contact=make_contact("Jan", "Nowak"),
        source=TicketSource.PHONE,
        subject="Missed call",
        acting_user=None,
    )
    assert by_call.title == "Missed call"
    nothing_said = make_ticket(volunteers, contact=make_contact("Ewa", "Lis"))
    assert nothing_said.title == "Ewa Lis (Volunteers)"

    volunteers.contact_titles = True  # a campaign: "Contact (Group)", as seed 001 has it
    volunteers.save()
    campaign = do_create_ticket(
        volunteers, contact=make_contact("Tom", "Becker"), source=TicketSource.EMAIL, subject="Hi", acting_user=None
    )
    assert campaign.title == "Tom Becker (Volunteers)"
    chosen = do_create_ticket(
        volunteers, contact=make_contact("Ola", "Kot"), source=TicketSource.AGENT, title="Call back", acting_user=None
    )
    assert chosen.title == "Call back"  # a person's choice always stands


def test_a_text_without_a_subject_is_named_by_its_first_words_cut_at_a_word():
    assert title_from_text("Is the tap\n\nstill leaking?") == "Is the tap still leaking?"
    long = "I have a sofa, two chairs and a dining table to give away, could you pick them up on Friday morning please"
    assert title_from_text(long) == "I have a sofa, two chairs and a dining table to give away, could you pick them…"
    assert title_from_text("Thanks!\n\nOn Monday, Anna wrote:\n> Friday at 10?") == "Thanks!"


@pytest.mark.spec("CORE-05")
def test_the_contacts_latest_words_are_the_grey_line_under_the_title(client, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    write_in(ticket, "Hello,\n\nCan I help on Saturday?\n\nOn Monday, Anna wrote:\n> We need people")
    write_in(ticket, "Out of office until Monday", automatic="auto-replied")  # a machine's words are not theirs
    ticket.refresh_from_db()
    assert ticket.last_contact_excerpt == "Hello, Can I help on Saturday?"
    client.force_login(alice_agent)
    assert '<div class="snippet">Hello, Can I help on Saturday?</div>' in row_of(open_list(client), ticket)


def test_the_migration_fills_the_grey_line_of_existing_tickets_from_their_latest_message(volunteers):
    ticket = make_ticket(volunteers)
    Activity.objects.bulk_create(
        [
            Activity(ticket=ticket, kind=ActivityKind.EMAIL_IN, body="First question"),
            Activity(ticket=ticket, kind=ActivityKind.NOTE, body="Our note"),
            Activity(ticket=ticket, kind=ActivityKind.SMS_IN, body="Second\nquestion\n\n> quoted"),
        ]
    )
    migration = importlib.import_module("switchboard.tickets.migrations.0016_list_titles_excerpts_and_unread")
    migration.fill_contact_excerpts(apps, None)
    assert Ticket.objects.get(pk=ticket.pk).last_contact_excerpt == "Second question"


@pytest.mark.spec("CORE-05", "CORE-07")
def test_a_ticket_is_unread_until_the_agent_opens_it_and_again_when_the_contact_writes(client, volunteers, alice_agent):
    colleague = make_agent("carl", "CA", groups=[volunteers])
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    assert "data-unread" in row_of(open_list(client), ticket)
    assert '<span class="visually-hidden">unread: </span>' in row_of(open_list(client), ticket)

    assert client.post(reverse("ticket_opened", args=[ticket.number])).status_code == 200
    assert "data-unread" not in row_of(open_list(client), ticket)
    assert not TicketRead.objects.filter(user=colleague).exists()  # read by alice, not by everyone

    write_in(ticket, "One more thing")
    assert "data-unread" in row_of(open_list(client), ticket)


@pytest.mark.spec("CORE-05", "CORE-15")
def test_the_agents_own_change_from_the_list_leaves_a_read_ticket_read_to_them_only(client, volunteers, alice_agent):
    colleague = make_agent("carl", "CA", groups=[volunteers])
    ticket = make_ticket(volunteers)
    for agent in (alice_agent, colleague):
        client.force_login(agent)
        client.post(reverse("ticket_opened", args=[ticket.number]))
    client.force_login(alice_agent)
    scheduled = volunteers.statuses.get(kind=StatusKind.SCHEDULED)
    client.post(
        reverse("bulk_change", args=["volunteers"]),
        {"tickets": [ticket.number], "action": "status", "status": scheduled.pk},
    )
    assert Ticket.objects.get(pk=ticket.pk).status == scheduled
    assert "data-unread" not in row_of(open_list(client), ticket)
    client.force_login(colleague)
    assert "data-unread" in row_of(open_list(client), ticket)  # for the colleague, something changed


@pytest.mark.spec("CORE-05", "CORE-07")
def test_the_due_column_marks_an_overdue_ticket_in_words(client, volunteers, alice_agent):
    late, later, undated = make_ticket(volunteers), make_ticket(volunteers), make_ticket(volunteers)
    for ticket, due in [(late, timezone.now() - dt.timedelta(hours=2)), (later, timezone.now() + dt.timedelta(days=2))]:
        header = TicketHeader(title=ticket.title, status=ticket.status, owner=None, next_action="Call", due_at=due)
        do_update_ticket(ticket, header=header, expected_version=ticket.version, acting_user=alice_agent)
    client.force_login(alice_agent)
    page = open_list(client, sort="due")
    assert "Overdue" in row_of(page, late) and "text-danger" in row_of(page, late)
    assert "Overdue" not in row_of(page, later) and "<time" in row_of(page, later).split('class="c-due"')[1]
    assert row_of(page, undated).split('class="c-due"')[1].startswith("></td>")


@pytest.mark.spec("CORE-15")
def test_the_bulk_bar_names_its_empty_choices_and_refuses_a_change_without_a_value(client, volunteers, alice_agent):
    first, second = make_ticket(volunteers), make_ticket(volunteers)
    do_assign_ticket(first, owner=alice_agent, acting_user=alice_agent)
    client.force_login(alice_agent)
    page = open_list(client)
    assert "---------" not in page and "— nobody —" not in page
    assert "Choose a status…" in page and "Choose an owner…" in page and "Choose a group…" in page
    assert "data-bulk hidden" in page  # shown once a ticket is checked
    url = reverse("bulk_change", args=["volunteers"])
    response = client.post(url, {"tickets": [first.number], "action": "owner", "owner": ""}, follow=True)
    assert "Select tickets and what to change." in response.content.decode()
    assert Ticket.objects.get(pk=first.pk).owner == alice_agent
    client.post(url, {"tickets": [first.number, second.number], "action": "release"})
    assert Ticket.objects.filter(pk__in=[first.pk, second.pk], owner__isnull=True).count() == 2


@pytest.mark.spec("CORE-06")
def test_home_leads_with_how_many_need_a_reply_and_a_next_button_to_the_longest_waiting(
    client, volunteers, donations, alice_agent
):
    needs_contact = volunteers.statuses.get(kind=StatusKind.NEEDS_CONTACT)
    oldest, newer, answered = make_ticket(volunteers), make_ticket(volunteers), make_ticket(volunteers)
    do_change_ticket_status(newer, status=needs_contact, acting_user=None)  # touched later: waits less
    do_change_ticket_status(answered, status=volunteers.statuses.get(kind=StatusKind.WAITING_CONTACT), acting_user=None)
    make_ticket(donations)  # not alice's group
    assert get_needs_reply(alice_agent, group_counts=list_group_counts(alice_agent)).count == 2
    client.force_login(alice_agent)
    page = client.get(reverse("home")).content.decode()
    assert "Needs a reply: <span data-needs-reply>2</span>" in page
    assert f'id="next-ticket" data-next href="/tickets/{oldest.number}/"' in page
    do_change_ticket_status(oldest, status=volunteers.statuses.get(kind=StatusKind.SCHEDULED), acting_user=None)
    live = client.get(reverse("home"), headers={"HX-Request": "true"}).content.decode()  # what a live update brings
    assert "Needs a reply: <span data-needs-reply>1</span>" in live
    assert f'data-next href="/tickets/{newer.number}/"' in live


@pytest.mark.spec("CORE-05", "CORE-06")
def test_the_open_list_and_home_cost_the_same_queries_for_10_and_120_read_and_unread_tickets(
    client, volunteers, alice_agent
):
    def add_tickets(count: int) -> None:
        for n in range(count):
            ticket = make_ticket(volunteers)
            if n % 2:
                write_in(ticket, f"Question {n}")
            if n % 3 == 0:
                TicketRead.objects.create(user=alice_agent, ticket=ticket, read_at=timezone.now())
            if n % 5 == 0:
                do_assign_ticket(ticket, owner=alice_agent, acting_user=None)

    add_tickets(10)
    client.force_login(alice_agent)
    urls = [reverse("open_tickets", args=["volunteers"]), reverse("home")]
    small = [queries(client, url) for url in urls]
    add_tickets(110)  # more than a page of 50
    assert [queries(client, url) for url in urls] == small
    page = open_list(client)
    assert page.count("<tr data-href") == 50 and "data-unread" in page and 'class="snippet"' in page
