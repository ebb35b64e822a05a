"""The reply loop's server side: which ticket is next, taking and letting go of it, the title saved
in place, and a Send held in the outbox for Undo (issue 19). The clock is time-machine's."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from switchboard.intake.models import OutboundMessage
from switchboard.intake.tasks import send_outbound_message
from switchboard.tickets.actions import do_assign_ticket, do_change_ticket_status
from switchboard.tickets.models import Activity, ActivityKind, CannedResponse, Membership, StatusKind, Ticket
from switchboard.tickets.selectors import find_next_ticket_needing_reply
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

START = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


def needing_reply(group, first: str = "Maria", *, minutes: int = 0) -> Ticket:
    with time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False):
        ticket = make_ticket(group, contact=make_contact(first, "Garcia", email=f"{first.lower()}@example.org"))
        status = group.statuses.get(kind=StatusKind.NEEDS_CONTACT)
        return do_change_ticket_status(ticket, status=status, acting_user=None)


@pytest.fixture
def signed_in(client, alice_agent):
    client.force_login(alice_agent)
    return client


@pytest.mark.spec("AGENT-01")
def test_the_next_ticket_is_the_oldest_needing_a_reply_in_my_groups_not_anyone_elses(
    volunteers, donations, alice_agent, django_assert_max_num_queries
):
    anna = make_agent("anna", "AK", groups=[volunteers])
    first = needing_reply(volunteers, "Maria", minutes=1)
    second = needing_reply(volunteers, "Piotr", minutes=2)
    annas = do_assign_ticket(needing_reply(volunteers, "Eva", minutes=0), owner=anna, acting_user=None)
    other_group = needing_reply(donations, "Jan", minutes=0)
    answered = volunteers.statuses.get(kind=StatusKind.WAITING_CONTACT)
    waiting = do_change_ticket_status(make_ticket(volunteers), status=answered, acting_user=None)

    with django_assert_max_num_queries(2):
        assert find_next_ticket_needing_reply(alice_agent) == first
    assert find_next_ticket_needing_reply(alice_agent, after=first) == second
    assert find_next_ticket_needing_reply(alice_agent, after=second) == first  # from the start again
    assert find_next_ticket_needing_reply(alice_agent, after=waiting) == first
    assert annas not in {find_next_ticket_needing_reply(alice_agent, after=t) for t in (first, second)}
    assert other_group not in {find_next_ticket_needing_reply(alice_agent, after=t) for t in (first, second)}
    do_change_ticket_status(second, status=answered, acting_user=None)
    assert find_next_ticket_needing_reply(alice_agent, after=first) is None  # never the one I am on


@pytest.mark.spec("CORE-14")
def test_n_opens_the_next_ticket_in_place_and_takes_it_where_the_group_says_so(signed_in, volunteers, alice_agent):
    volunteers.owner_on_open = True
    volunteers.save()
    current = needing_reply(volunteers, "Maria", minutes=1)
    following = needing_reply(volunteers, "Piotr", minutes=2)

    response = signed_in.post(reverse("next_ticket"), {"after": current.number}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Push-Url"] == reverse("ticket", args=[following.number])
    assert f'data-number="{following.number}"' in response.text and "data-focus-title" in response.text
    assert Ticket.objects.get(pk=following.pk).owner == alice_agent

    released = signed_in.post(reverse("release_ticket", args=[following.number]), headers={"HX-Request": "true"})
    assert released.status_code == 200 and Ticket.objects.get(pk=following.pk).owner is None
    # A Next button without a script (on another page) goes to the ticket's own address.
    assert signed_in.post(reverse("next_ticket")).url == reverse("ticket", args=[current.number])


def test_with_nothing_left_to_answer_n_says_so(signed_in, volunteers):
    only = needing_reply(volunteers)
    response = signed_in.post(reverse("next_ticket"), {"after": only.number}, headers={"HX-Request": "true"})
    assert "No other ticket needs a reply now." in response.text
    response = signed_in.post(reverse("next_ticket"), {"after": "not a number"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and f'data-number="{only.number}"' in response.text


@pytest.mark.spec("CORE-07", "CORE-09")
def test_enter_in_the_title_saves_it_in_place_into_the_history_and_refuses_a_stale_copy(signed_in, volunteers):
    ticket = needing_reply(volunteers)
    url = reverse("retitle_ticket", args=[ticket.number])

    saved = signed_in.post(url, {"title": "Tour\ndates", "version": ticket.version}).json()

    assert saved == {"title": "Tour dates", "version": ticket.version + 1}
    change = Activity.objects.filter(ticket=ticket, kind=ActivityKind.CHANGED).latest("pk")
    assert change.changes == [{"field": "title", "old": ticket.title, "new": "Tour dates"}]
    stale = signed_in.post(url, {"title": "Other", "version": ticket.version})
    assert stale.status_code == 409 and Ticket.objects.get(pk=ticket.pk).title == "Tour dates"


@pytest.mark.spec("MAIL-05")
def test_send_holds_the_reply_for_undo_then_the_outbox_releases_it_and_opens_the_next(
    signed_in, volunteers, alice_agent, smtp_sink, settings
):
    ticket = needing_reply(volunteers, "Maria", minutes=1)
    following = needing_reply(volunteers, "Piotr", minutes=2)
    form = {"to_address": "maria@example.org", "body_html": "<p>Friday.</p>", "then": "next"}

    with time_machine.travel(START + dt.timedelta(hours=1), tick=False) as clock:
        response = signed_in.post(reverse("send_reply", args=[ticket.number]), form, headers={"HX-Request": "true"})

        assert response["HX-Push-Url"] == reverse("ticket", args=[following.number])
        assert f"Reply on #{ticket.number} sent to maria@example.org" in response.text
        message = OutboundMessage.objects.get(ticket=ticket)
        assert message.state == OutboundMessage.State.QUEUED
        assert message.not_before == timezone.now() + dt.timedelta(seconds=settings.REPLY_UNDO_SECONDS)
        send_outbound_message.call_local(message.pk)  # a job that runs early sends nothing
        assert OutboundMessage.objects.get(pk=message.pk).state == OutboundMessage.State.QUEUED

        clock.shift(dt.timedelta(seconds=settings.REPLY_UNDO_SECONDS))
        send_outbound_message.call_local(message.pk)
    assert OutboundMessage.objects.get(pk=message.pk).state == OutboundMessage.State.SENT
    (email,) = smtp_sink.wait_for(1)
    assert email["To"] == "maria@example.org"


@pytest.mark.spec("MAIL-05")
def test_undo_takes_a_held_reply_back_and_restores_the_status_but_not_once_it_left(signed_in, volunteers):
    ticket = needing_reply(volunteers)
    form = {"to_address": "maria@example.org", "body_html": "<p>Friday.</p>", "then": "stay"}
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False) as clock:
        signed_in.post(reverse("send_reply", args=[ticket.number]), form, headers={"HX-Request": "true"})
        reply = Activity.objects.get(ticket=ticket, kind=ActivityKind.EMAIL_OUT)
        assert Ticket.objects.get(pk=ticket.pk).status.kind == StatusKind.WAITING_CONTACT

        clock.shift(dt.timedelta(seconds=5))
        undone = signed_in.post(reverse("undo_reply", args=[reply.pk]), headers={"HX-Request": "true"})

        assert "Not sent: your reply is back in the editor." in undone.text and "data-restore-draft" in undone.text
        assert OutboundMessage.objects.get(activity=reply).state == OutboundMessage.State.WITHDRAWN
        assert Ticket.objects.get(pk=ticket.pk).status.kind == StatusKind.NEEDS_CONTACT

        signed_in.post(reverse("send_reply", args=[ticket.number]), form, headers={"HX-Request": "true"})
        later = Activity.objects.filter(ticket=ticket, kind=ActivityKind.EMAIL_OUT).latest("pk")
        clock.shift(dt.timedelta(minutes=1))
        too_late = signed_in.post(reverse("undo_reply", args=[later.pk]), headers={"HX-Request": "true"})
    assert "Too late to undo: the reply has been sent." in too_late.text
    assert OutboundMessage.objects.get(activity=later).state == OutboundMessage.State.QUEUED


def test_nobody_undoes_another_agents_reply(client, signed_in, volunteers, donations):
    ticket = needing_reply(volunteers)
    form = {"to_address": "maria@example.org", "body_html": "<p>Friday.</p>", "then": "stay"}
    signed_in.post(reverse("send_reply", args=[ticket.number]), form, headers={"HX-Request": "true"})
    reply = Activity.objects.get(ticket=ticket, kind=ActivityKind.EMAIL_OUT)
    anna = make_agent("anna", "AK", groups=[volunteers])
    client.force_login(anna)
    response = client.post(reverse("undo_reply", args=[reply.pk]), headers={"HX-Request": "true"})
    assert "Only your own reply can be taken back." in response.text
    client.force_login(make_agent("bob", "BO", groups=[donations]))
    assert client.post(reverse("undo_reply", args=[reply.pk])).status_code == 404
    assert OutboundMessage.objects.get(activity=reply).state == OutboundMessage.State.QUEUED


@pytest.mark.spec("MAIL-05")
def test_a_canned_response_sets_status_owner_and_next_action_on_send_like_a_macro(client, volunteers, alice_agent):
    manager = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    scheduled = volunteers.statuses.exclude(kind__in=StatusKind.closed_kinds()).exclude(
        kind__in=[StatusKind.NEW, StatusKind.NEEDS_CONTACT, StatusKind.WAITING_CONTACT]
    )[0]
    client.force_login(manager)
    saved = client.post(
        reverse("canned_responses", args=[volunteers.slug]),
        {
            "title": "Tour booked",
            "body_html": "<p>See you on [Enter dates].</p>",
            "set_status": scheduled.pk,
            "take_ticket": "on",
            "set_next_action": "Call the day before",
        },
    )
    assert saved.status_code == 302
    canned = CannedResponse.objects.get(title="Tour booked")
    ticket = needing_reply(volunteers)

    client.force_login(alice_agent)
    form = {"to_address": "maria@example.org", "body_html": "<p>See you on Friday.</p>", "then": "stay"}
    client.post(
        reverse("send_reply", args=[ticket.number]), {**form, "canned": canned.pk}, headers={"HX-Request": "true"}
    )

    ticket.refresh_from_db()
    assert (ticket.status, ticket.owner, ticket.next_action) == (scheduled, alice_agent, "Call the day before")
    last = Activity.objects.filter(ticket=ticket, kind=ActivityKind.CHANGED).latest("pk")
    assert {change["field"] for change in last.changes} == {"status", "owner", "next_action"}
