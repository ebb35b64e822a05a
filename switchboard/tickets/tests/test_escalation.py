"""Escalation (ROUTE-04), claim and reassignment to a supervisor (ROUTE-05), the agent's home
(AGENT-01) and the emails that tell agents about tickets (MAIL-09), to a real SMTP listener."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.mail.fetch import check_mailbox
from switchboard.mail.models import Mailbox
from switchboard.mail.tests.test_mailboxes import mail
from switchboard.portal.links import ticket_url
from switchboard.tickets.actions import (
    TicketError,
    do_assign_ticket,
)
from switchboard.tickets.assignment import EscalateTo, do_claim_ticket, do_escalate_ticket
from switchboard.tickets.models import ActivityKind, Membership, Ticket, TicketSource
from switchboard.tickets.new_tickets import NewTicket, do_open_ticket_for_contact
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

EARLIEST, LATEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # 25 hours apart: never the same day


def weekday_in(zone: str) -> int:
    return dt.datetime.now(ZoneInfo(zone)).weekday()


def agent_in(group, username: str, *, zone: str = "UTC", weekdays: list[int] | None = None, **options):
    agent = make_agent(username, username[:2].upper(), groups=[group], **options)
    agent.agent_profile.time_zone = zone
    agent.agent_profile.save()
    Membership.objects.filter(user=agent, group=group).update(notify_weekdays=weekdays or [])
    return agent


def recipients(sink) -> list[str]:
    return sorted(message["To"] for message in sink.messages)


@pytest.fixture
def maria_ticket(volunteers):
    return make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))


@pytest.mark.spec("MAIL-09")
def test_a_new_ticket_is_announced_to_members_who_chose_that_weekday_in_their_own_time_zone(
    dovecot, support_mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    group = support_mailbox.group
    agent_in(group, "early", zone=EARLIEST, weekdays=[weekday_in(EARLIEST)])
    agent_in(group, "late", zone=LATEST, weekdays=[weekday_in(EARLIEST)])  # not their day yet
    agent_in(group, "never")
    dovecot.deliver(mail(subject="Saturday shift", body="Can I help on Saturday?\n\n> earlier quoted mail"))

    with django_capture_on_commit_callbacks(execute=True):
        check_mailbox(support_mailbox)

    (email,) = smtp_sink.wait_for(1)
    ticket = Ticket.objects.get()
    assert email["To"] == "early@example.test"
    assert email["Subject"] == f"New ticket in {group.name}: {ticket.title} {ticket.subject_token}"
    text = email.get_body(("plain",)).get_content()
    assert "Can I help on Saturday?" in text and "earlier quoted mail" not in text
    assert f"/tickets/{ticket.number}/" in text and "Maria Garcia" in text


@pytest.mark.spec("MAIL-09")
def test_the_owner_hears_of_the_contacts_message_and_nobody_hears_of_their_own_doing(
    volunteers, dovecot, support_mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    everyday = list(range(7))
    anna = agent_in(volunteers, "anna", weekdays=everyday)
    ben = agent_in(volunteers, "ben", weekdays=everyday)
    new = NewTicket("Maria", "Garcia", "maria@example.org", "", "Saturday shift", TicketSource.PHONE, "Called")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = do_open_ticket_for_contact(volunteers, new=new, acting_user=anna)  # ben is told, not anna
        do_assign_ticket(ticket, owner=anna, acting_user=anna)  # she took it: nobody is told
        do_assign_ticket(ticket, owner=ben, acting_user=anna)  # ben is told
    assert recipients(smtp_sink) == ["ben@example.test", "ben@example.test"]
    assert "Anna assigned you" in smtp_sink.messages[1]["Subject"]

    smtp_sink.messages.clear()
    dovecot.deliver(mail(subject=f"Re: Saturday shift {ticket.subject_token}", body="Is 9 o'clock fine?"))
    with django_capture_on_commit_callbacks(execute=True):
        check_mailbox(support_mailbox)
    (email,) = smtp_sink.wait_for(1)
    assert email["To"] == "ben@example.test" and email["Subject"].startswith("Maria Garcia wrote:")
    assert "Is 9 o'clock fine?" in email.get_body(("plain",)).get_content()


@pytest.mark.spec("ROUTE-04", "MAIL-08")
def test_escalating_to_the_second_level_keeps_the_note_from_the_contact(
    client, volunteers, maria_ticket, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    expert = agent_in(volunteers, "expert")
    Membership.objects.filter(user=expert).update(level=Membership.Level.SECOND)
    status = maria_ticket.status
    with django_capture_on_commit_callbacks(execute=True):
        ticket = do_escalate_ticket(
            maria_ticket,
            to=EscalateTo.SECOND_LEVEL,
            note="Asked twice about the van; she is upset, call her back today",
            notify_contact=True,
            acting_user=alice_agent,
        )

    assert ticket.owner == expert and ticket.status == status  # the status is left as it was
    note = ticket.activities.get(kind=ActivityKind.ESCALATION)
    assert note.actor == alice_agent and "call her back" in note.body
    sent = {message["To"]: message for message in smtp_sink.wait_for(2)}
    to_contact = sent["maria@example.org"].get_body(("plain",)).get_content()
    assert "passed your message on" in to_contact and "call her back" not in to_contact
    assert "Alice assigned you" in sent["expert@example.test"]["Subject"]
    client.force_login(alice_agent)
    assert "call her back" in client.get(reverse("ticket", args=[ticket.number])).content.decode()
    client.logout()
    assert "call her back" not in client.get(ticket_url(ticket).removeprefix("http://127.0.0.1:8000")).content.decode()


@pytest.mark.spec("ROUTE-04", "ROUTE-05")
def test_escalation_needs_a_note_someone_to_take_it_and_goes_to_the_least_busy_supervisor(
    volunteers, maria_ticket, alice_agent
):
    with pytest.raises(TicketError, match="note"):
        do_escalate_ticket(maria_ticket, to=EscalateTo.SECOND_LEVEL, note=" ", acting_user=alice_agent)
    with pytest.raises(TicketError, match="2nd-level"):
        do_escalate_ticket(maria_ticket, to=EscalateTo.SECOND_LEVEL, note="Van?", acting_user=alice_agent)
    assert Ticket.objects.get(pk=maria_ticket.pk).owner is None
    assert not maria_ticket.activities.filter(kind=ActivityKind.ESCALATION).exists()

    busy = make_agent("busy", "BU", groups=[volunteers], role=Membership.Role.MANAGER)
    free = make_agent("free", "FR", groups=[volunteers], role=Membership.Role.MANAGER)
    do_assign_ticket(make_ticket(volunteers), owner=busy, acting_user=None)
    ticket = do_escalate_ticket(maria_ticket, to=EscalateTo.SUPERVISOR, note="Refund?", acting_user=alice_agent)
    assert ticket.owner == free
    outsider = make_agent("out", "OU", groups=[])
    with pytest.raises(TicketError, match="member"):
        do_escalate_ticket(ticket, to=outsider, note="You?", acting_user=alice_agent)
    assert do_escalate_ticket(ticket, to=busy, note="Yours", acting_user=alice_agent).owner == busy


@pytest.mark.spec("ROUTE-05")
def test_claim_takes_an_unowned_ticket_and_is_refused_when_someone_was_quicker(
    client, volunteers, maria_ticket, alice_agent
):
    ben = make_agent("ben", "BE", groups=[volunteers])
    assert do_claim_ticket(maria_ticket, acting_user=ben).owner == ben

    client.force_login(alice_agent)
    response = client.post(reverse("claim_ticket", args=[maria_ticket.number]), follow=True)

    assert "Ben took this ticket a moment ago." in response.content.decode()
    assert Ticket.objects.get(pk=maria_ticket.pk).owner == ben


@pytest.mark.spec("AGENT-01", "ROUTE-02")
def test_home_shows_my_counts_waiting_tickets_and_availability_at_a_fixed_cost(
    client, volunteers, donations, alice_agent
):
    Membership.objects.create(user=alice_agent, group=donations)
    client.force_login(alice_agent)

    def load_home() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    mine = do_assign_ticket(make_ticket(volunteers), owner=alice_agent, acting_user=None)
    Ticket.objects.filter(pk=mine.pk).update(due_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    waiting = make_ticket(donations)
    page, few = load_home()
    assert '<span data-my="new">1</span>' in page and '<span data-my="due">1</span>' in page
    assert f"Claim ticket {waiting.number}" in page
    for _ in range(30):
        do_assign_ticket(make_ticket(volunteers), owner=alice_agent, acting_user=None)
        make_ticket(donations)
    page, many = load_home()
    assert few == many
    assert '<span data-my="open">31</span>' in page

    client.post(reverse("set_availability", args=["donations"]), {"available": "0"})
    assert not Membership.objects.get(user=alice_agent, group=donations).available
    assert 'aria-checked="false"' in load_home()[0]


@pytest.mark.spec("ROUTE-02")
def test_a_manager_sets_an_agents_availability_and_an_agent_cannot_set_anothers(client, volunteers, alice_agent):
    mona = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    ben = make_agent("ben", "BE", groups=[volunteers])
    client.force_login(ben)
    assert client.post(reverse("set_availability", args=["volunteers"]), {"user": alice_agent.pk}).status_code == 403
    assert Membership.objects.get(user=alice_agent, group=volunteers).available
    client.force_login(mona)
    client.post(reverse("set_availability", args=["volunteers"]), {"user": alice_agent.pk, "available": "0"})
    assert not Membership.objects.get(user=alice_agent, group=volunteers).available


@pytest.mark.spec("ROUTE-02")
def test_the_team_page_shows_each_members_load_and_lets_managers_switch_them(client, volunteers, alice_agent):
    mona = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    for _ in range(3):
        do_assign_ticket(make_ticket(volunteers), owner=alice_agent, acting_user=None)
    url = reverse("team", args=["volunteers"])
    client.force_login(alice_agent)
    page = client.get(url).content.decode()
    assert page.count('role="switch"') == 1  # only her own
    assert '<td class="text-end">3</td>' in page

    client.force_login(mona)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert page.count('role="switch"') == 2
    for n in range(10):
        make_agent(f"agent{n}", f"A{n}", groups=[volunteers])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    client.post(reverse("set_availability", args=["volunteers"]), {"user": alice_agent.pk, "available": "0"})
    assert not Membership.objects.get(user=alice_agent, group=volunteers).available


@pytest.mark.spec("ROUTE-05", "MAIL-09")
def test_reassigning_to_a_supervisor_on_the_ticket_page_emails_the_supervisor(
    client, volunteers, maria_ticket, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    agent_in(volunteers, "mona", role=Membership.Role.MANAGER)
    agent_in(volunteers, "carl", weekdays=list(range(7)))  # an agent: not a supervisor
    do_assign_ticket(maria_ticket, owner=alice_agent, acting_user=alice_agent)
    client.force_login(alice_agent)
    form = {"to": EscalateTo.SUPERVISOR, "note": "She asks for a refund: yours to decide"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("escalate_ticket", args=[maria_ticket.number]), form)

    assert response.status_code == 302
    (email,) = smtp_sink.wait_for(1)
    assert email["To"] == "mona@example.test"
    assert email["Subject"] == f"Alice assigned you: {maria_ticket.title} {maria_ticket.subject_token}"
    assert f"/tickets/{maria_ticket.number}/" in email.get_body(("plain",)).get_content()
    assert Ticket.objects.get(pk=maria_ticket.pk).owner.username == "mona"


@pytest.mark.spec("ROUTE-01", "MAIL-09")
def test_under_the_workflow_rule_a_new_ticket_is_emailed_to_the_workflows_people_and_left_unowned(
    client, volunteers, dovecot, support_mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    mona = agent_in(volunteers, "mona", role=Membership.Role.MANAGER)
    ola = agent_in(volunteers, "ola")
    agent_in(volunteers, "carl")  # a member, but not one of the workflow's people
    client.force_login(mona)
    form = {"assignment_rule": "workflow", "assignment_limit": "5", "reply_to_closed": "reopen", "shift_hours": "12"}
    form["wrap_up_seconds"] = "30"
    settings_page = reverse("group_settings", args=[volunteers.slug])
    assert client.post(settings_page, {**form, "workflow_people": [mona.pk, ola.pk]}).status_code == 302
    dovecot.deliver(mail(subject="Can I pick up on Monday?", body="I have two crates to collect."))

    with django_capture_on_commit_callbacks(execute=True):
        check_mailbox(Mailbox.objects.select_related("group").get(pk=support_mailbox.pk))  # as the job loads it

    ticket = Ticket.objects.get()
    assert ticket.owner is None
    sent = {message["To"]: message for message in smtp_sink.wait_for(2)}
    assert sorted(sent) == ["mona@example.test", "ola@example.test"]
    assert sent["ola@example.test"]["Subject"] == f"New ticket in Volunteers: {ticket.title} {ticket.subject_token}"
    assert "two crates" in sent["ola@example.test"].get_body(("plain",)).get_content()
