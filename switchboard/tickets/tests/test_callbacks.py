"""Callbacks (CC-03): setting one sets the group's callback status and is on the history; a due
time from a relative button, the calendar or typed, never in the past; private ones surface to
their agent only, public ones to the group's agents, none outside the group (home's due callbacks,
AGENT-01; the open list's mark; the call list, CC-06); overdue ones are marked; a live notice, once,
when one comes due. And the call list with "Next call" (CC-06)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections import Counter

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.tickets.actions import TicketError, TicketHeader, do_close_ticket, do_reopen_ticket, do_update_ticket
from switchboard.tickets.callback_selectors import find_next_call, get_due_callbacks, list_call_list
from switchboard.tickets.callback_views import CALLS_PER_PAGE
from switchboard.tickets.callbacks import (
    QuickTime,
    callback_status,
    do_cancel_callback,
    do_complete_callback,
    do_set_callback,
    quick_due_time,
)
from switchboard.tickets.models import ActivityKind, AgentProfile, Callback, Membership, Status, StatusKind, Ticket
from switchboard.tickets.routing import websocket_urlpatterns
from switchboard.tickets.tasks import notify_due_callbacks
from switchboard.tickets.tests.factories import make_agent, make_ticket
from switchboard.tickets.todos import do_add_todo

# A Saturday morning in Warsaw (UTC+1 in December).
START = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def anna_agent(volunteers):
    """Alice's colleague in Volunteers."""
    return make_agent("anna", "AN", groups=[volunteers])


def contact_with_phone(first_name: str, last_name: str, phone: str) -> Contact:
    return do_create_contact(
        kind=Contact.Kind.PERSON, first_name=first_name, last_name=last_name, phones=[phone], acting_user=None
    )


def in_minutes(minutes: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def page(client, name: str, *args: object) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, ticket: Ticket) -> str:
    start = html.index(f'data-number="{ticket.number}"')
    return html[start : html.index("</tr>", start)]


# --- setting one ----------------------------------------------------------------------------


@pytest.mark.spec("CC-03")
def test_a_public_callback_sets_the_groups_callback_status_and_is_on_the_history(clock, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    callback = do_set_callback(ticket, due_at=in_minutes(30), private=False, acting_user=alice_agent)
    ticket.refresh_from_db()
    assert ticket.status.kind == StatusKind.SCHEDULED, "seed 001: a callback is a status of the callback kind"
    assert ticket.owner is None, "a public callback is anyone's in the group: the ticket stays unowned"
    assert (callback.state, callback.private, callback.agent) == ("pending", False, alice_agent)
    entry = ticket.activities.filter(kind=ActivityKind.CHANGED).latest("id")
    assert entry.actor == alice_agent
    fields = {change["field"]: change for change in entry.changes}
    assert fields["callback_public"]["new"] == "2026-12-05T09:30+00:00"
    assert fields["status"]["new"] == "Scheduled"


@pytest.mark.spec("CC-03")
def test_a_private_callback_is_its_agents_own_and_makes_them_the_owner(clock, client, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    do_set_callback(ticket, due_at=in_minutes(60), private=True, acting_user=alice_agent)
    ticket.refresh_from_db()
    assert ticket.owner == alice_agent, "seed 001: a private callback needs an owner, its agent"
    assert ticket.status.kind == StatusKind.SCHEDULED
    client.force_login(alice_agent)
    html = page(client, "ticket", ticket.number)
    assert "Private callback" in html and "Only Alice calls back." in html
    assert "Owner" in html and "Private callback</span>: — →" in html, "the history names the callback"


@pytest.mark.spec("CC-03")
def test_a_group_names_the_status_of_each_kind_of_callback_on_its_settings_page(clock, client, volunteers, alice_agent):
    """Seed 001's two callback statuses, "Oddzwonienie prywatne" (light blue) and "Oddzwonienie
    publiczne" (dark blue): a group that has both says which is which."""
    private = Status.objects.create(
        group=volunteers, name="Oddzwonienie prywatne", kind=StatusKind.SCHEDULED, position=20
    )
    public = Status.objects.create(
        group=volunteers, name="Oddzwonienie publiczne", kind=StatusKind.SCHEDULED, position=21
    )
    Membership.objects.filter(user=alice_agent).update(role=Membership.Role.MANAGER)
    client.force_login(alice_agent)
    settings_page = page(client, "group_settings", "volunteers")
    assert "Status of a private callback" in settings_page and "The first “scheduled” status" in settings_page
    form = {
        "assignment_rule": "none",
        "assignment_limit": 5,
        "reply_to_closed": "reopen",
        "callback_status_private": private.pk,
        "callback_status_public": public.pk,
        "shift_hours": 12,
        "wrap_up_seconds": 30,
    }
    assert client.post(reverse("group_settings", args=["volunteers"]), form).status_code == 302
    volunteers.refresh_from_db()
    assert callback_status(volunteers, private=True) == private
    assert callback_status(volunteers, private=False) == public

    one, other = make_ticket(volunteers), make_ticket(volunteers)
    do_set_callback(one, due_at=in_minutes(30), private=True, acting_user=alice_agent)
    do_set_callback(other, due_at=in_minutes(30), private=False, acting_user=alice_agent)
    assert Ticket.objects.get(pk=one.pk).status == private
    assert Ticket.objects.get(pk=other.pk).status == public


@pytest.mark.spec("CC-03")
def test_the_relative_buttons_count_from_now_and_tomorrow_9_is_in_the_agents_time_zone(
    clock, client, volunteers, alice_agent
):
    assert quick_due_time(QuickTime.IN_15_MINUTES) == START + dt.timedelta(minutes=15)
    assert quick_due_time(QuickTime.IN_2_HOURS) == START + dt.timedelta(hours=2)
    AgentProfile.objects.filter(user=alice_agent).update(time_zone="Europe/Warsaw")
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    response = client.post(reverse("set_callback", args=[ticket.number]), {"who": "public", "quick": "tomorrow"})
    assert response.status_code == 302
    due = Callback.objects.get(ticket=ticket).due_at
    assert due.astimezone(WARSAW) == dt.datetime(2026, 12, 6, 9, 0, tzinfo=WARSAW), "9:00 in Warsaw, 8:00 UTC"


@pytest.mark.spec("CC-03")
def test_an_exact_time_typed_in_the_agents_format_sets_the_callback(clock, client, volunteers, alice_agent):
    AgentProfile.objects.filter(user=alice_agent).update(time_zone="Europe/Warsaw", language="pl")
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    response = client.post(
        reverse("set_callback", args=[ticket.number]), {"who": "private", "due_at": "07.12.2026 14:30"}
    )
    assert response.status_code == 302
    callback = Callback.objects.get(ticket=ticket)
    assert callback.due_at == dt.datetime(2026, 12, 7, 14, 30, tzinfo=WARSAW) and callback.private


@pytest.mark.spec("CC-03")
def test_a_time_in_the_past_is_refused_with_a_clear_reason_and_nothing_changes(clock, client, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    response = client.post(
        reverse("set_callback", args=[ticket.number]), {"who": "public", "due_at": "2026-12-05 08:30"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The callback time" in html and "has passed: choose a later time." in html
    assert 'id="callback" data-callback-form' in html and "collapse card card-body p-2 mb-2 small show" in html, (
        "the form is shown again, open, with the reason"
    )
    empty = client.post(reverse("set_callback", args=[ticket.number]), {"who": "public"})
    assert "Choose when to call back: a button, or a date and time." in empty.content.decode()
    with pytest.raises(TicketError, match="has passed"):
        do_set_callback(ticket, due_at=timezone.now(), private=False, acting_user=alice_agent)
    assert not Callback.objects.exists()
    assert Ticket.objects.get(pk=ticket.pk).version == ticket.version


@pytest.mark.spec("CC-03")
def test_one_pending_callback_per_ticket_a_new_one_replaces_it_and_done_and_cancel_are_recorded(
    clock, volunteers, alice_agent, anna_agent
):
    ticket = make_ticket(volunteers)
    first = do_set_callback(ticket, due_at=in_minutes(30), private=False, acting_user=alice_agent)
    second = do_set_callback(ticket, due_at=in_minutes(90), private=False, acting_user=anna_agent)
    first.refresh_from_db()
    assert first.state == Callback.State.CANCELLED and second.state == Callback.State.PENDING
    do_complete_callback(second, acting_user=alice_agent)  # public: anyone in the group
    third = do_set_callback(ticket, due_at=in_minutes(120), private=True, acting_user=alice_agent)
    with pytest.raises(TicketError, match="another agent's private callback"):
        do_cancel_callback(third, acting_user=anna_agent)
    with pytest.raises(TicketError, match="another agent's private callback"):
        do_set_callback(ticket, due_at=in_minutes(10), private=False, acting_user=anna_agent)
    do_cancel_callback(third, acting_user=alice_agent)
    states = list(Callback.objects.filter(ticket=ticket).order_by("id").values_list("state", flat=True))
    assert states == ["cancelled", "done", "cancelled"]
    history = [
        (change["field"], change["new"])
        for entry in ticket.activities.filter(kind=ActivityKind.CHANGED).order_by("id")
        for change in entry.changes
        if change["field"].startswith("callback_")
    ]
    assert history == [
        ("callback_public", "2026-12-05T09:30+00:00"),
        ("callback_public", "cancelled"),
        ("callback_public", "2026-12-05T10:30+00:00"),
        ("callback_public", "done"),
        ("callback_private", "2026-12-05T11:00+00:00"),
        ("callback_private", "cancelled"),
    ]


@pytest.mark.spec("CC-03")
def test_the_ticket_page_shows_the_pending_callback_with_done_and_cancel_for_who_may(
    clock, client, volunteers, alice_agent, anna_agent
):
    ticket = make_ticket(volunteers)
    do_set_callback(ticket, due_at=in_minutes(45), private=True, acting_user=alice_agent)
    client.force_login(anna_agent)
    html = page(client, "ticket", ticket.number)
    assert "Private callback" in html and "Only Alice calls back." in html
    assert reverse("complete_callback", args=[ticket.number]) not in html, "another agent's private callback"
    client.force_login(alice_agent)
    html = page(client, "ticket", ticket.number)
    assert reverse("complete_callback", args=[ticket.number]) in html
    assert client.post(reverse("complete_callback", args=[ticket.number])).status_code == 302
    assert Callback.objects.get(ticket=ticket).state == Callback.State.DONE
    html = page(client, "ticket", ticket.number)
    assert "data-callback-due" not in html and "Private callback</span>: " in html


# --- who sees them ----------------------------------------------------------------------------


@pytest.fixture
def callbacks_of_each_kind(clock, volunteers, alice_agent, anna_agent, bob_agent):
    """In Volunteers: Alice's private callback, Anna's private one, and a public one of Anna's."""
    alices = make_ticket(volunteers, contact=contact_with_phone("Ewa", "Lis", "+48601000001"))
    annas = make_ticket(volunteers, contact=contact_with_phone("Jan", "Wilk", "+48601000002"))
    public = make_ticket(volunteers, contact=contact_with_phone("Ola", "Sowa", "+48601000003"))
    do_set_callback(alices, due_at=in_minutes(15), private=True, acting_user=alice_agent)
    do_set_callback(annas, due_at=in_minutes(20), private=True, acting_user=anna_agent)
    do_set_callback(public, due_at=in_minutes(30), private=False, acting_user=anna_agent)
    return alices, annas, public


@pytest.mark.spec("CC-03", "AGENT-01")
def test_home_shows_each_agent_their_due_callbacks_only(
    client, callbacks_of_each_kind, alice_agent, anna_agent, bob_agent
):
    alices, annas, public = callbacks_of_each_kind
    seen = {}
    for agent in (alice_agent, anna_agent, bob_agent):
        client.force_login(agent)
        html = page(client, "home")
        seen[agent.username] = {t.number for t in (alices, annas, public) if f'data-callback-row="{t.number}"' in html}
        count = html.split("data-callbacks-count>", 1)[1].split("<", 1)[0]
        assert int(count) == len(seen[agent.username])
    assert seen == {
        "alice": {alices.number, public.number},
        "anna": {annas.number, public.number},
        "bob": set(),
    }


@pytest.mark.spec("CC-03", "AGENT-01")
def test_late_in_the_evening_home_shows_the_callbacks_due_after_midnight_but_not_tomorrows_day(
    client, volunteers, alice_agent
):
    late_evening = dt.datetime(2026, 12, 5, 23, 45, tzinfo=dt.UTC)  # Alice's time zone is UTC
    after_midnight = make_ticket(volunteers, contact=contact_with_phone("Ewa", "Lis", "+48601000001"))
    tomorrow_morning = make_ticket(volunteers, contact=contact_with_phone("Jan", "Wilk", "+48601000002"))
    with time_machine.travel(late_evening, tick=False):
        do_set_callback(after_midnight, due_at=in_minutes(30), private=True, acting_user=alice_agent)
        do_set_callback(tomorrow_morning, due_at=in_minutes(9 * 60), private=True, acting_user=alice_agent)
        client.force_login(alice_agent)
        html = page(client, "home")
    assert f'data-callback-row="{after_midnight.number}"' in html, "the 00:15 callback is the night shift's"
    assert f'data-callback-row="{tomorrow_morning.number}"' not in html
    assert html.split("data-callbacks-count>", 1)[1].split("<", 1)[0] == "1"


@pytest.mark.spec("CC-03")
def test_the_open_list_marks_a_callback_for_the_agents_who_are_to_make_it_only(
    client, callbacks_of_each_kind, alice_agent, anna_agent
):
    alices, annas, public = callbacks_of_each_kind
    client.force_login(alice_agent)
    html = page(client, "open_tickets", "volunteers")
    assert "data-callback-mark" in row_of(html, alices) and "Private callback" in row_of(html, alices)
    assert "data-callback-mark" in row_of(html, public) and "Public callback" in row_of(html, public)
    assert "data-callback-mark" not in row_of(html, annas), "Anna's private callback is hers to make"


@pytest.mark.spec("CC-03", "CC-06")
def test_the_call_list_leaves_out_other_agents_private_callbacks_and_other_groups_see_none(
    client, callbacks_of_each_kind, volunteers, alice_agent, bob_agent
):
    alices, annas, public = callbacks_of_each_kind
    assert list(list_call_list(volunteers, user=alice_agent)) == [alices, public]
    client.force_login(alice_agent)
    html = page(client, "call_list", "volunteers")
    assert f'data-number="{annas.number}"' not in html
    assert "Ewa Lis" in row_of(html, alices) and 'href="tel:+48601000001"' in row_of(html, alices)
    client.force_login(bob_agent)
    assert client.get(reverse("call_list", args=["volunteers"])).status_code == 404
    assert list(list_call_list(volunteers, user=bob_agent)) == []
    assert get_due_callbacks(bob_agent).count == 0


@pytest.mark.spec("CC-03", "AGENT-01")
def test_an_overdue_callback_is_marked_in_red_and_in_words_on_home_the_list_and_the_call_list(
    clock, client, callbacks_of_each_kind, alice_agent
):
    alices, annas, public = callbacks_of_each_kind
    client.force_login(alice_agent)
    assert "Overdue" not in row_of(page(client, "open_tickets", "volunteers"), alices)
    clock.shift(dt.timedelta(minutes=20))  # Alice's is 5 minutes late; the public one is due in 10
    home = page(client, "home")
    assert "1 overdue" in home
    row = home[home.index(f'data-callback-row="{alices.number}"') :]
    assert 'text-danger fw-semibold"><i class="bi bi-telephone-forward" aria-hidden="true"></i> Overdue' in row
    listed = row_of(page(client, "open_tickets", "volunteers"), alices)
    assert "text-danger" in listed and "Overdue · " in listed
    assert "Overdue" not in row_of(page(client, "open_tickets", "volunteers"), public)
    calls = page(client, "call_list", "volunteers")
    assert "data-overdue" in row_of(calls, alices) and "data-overdue" not in row_of(calls, public)


# --- the live notice --------------------------------------------------------------------------

application = URLRouter(websocket_urlpatterns)


def listener(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/notices/")
    communicator.scope["user"] = user
    return communicator


@pytest.mark.spec("CC-03")
@pytest.mark.django_db(transaction=True)
def test_a_callback_that_comes_due_is_pushed_once_to_the_agents_who_are_to_make_it(
    volunteers, alice_agent, anna_agent, bob_agent
):
    with time_machine.travel(START, tick=False) as clock:
        private = make_ticket(volunteers)
        public = make_ticket(volunteers)
        do_set_callback(private, due_at=in_minutes(15), private=True, acting_user=alice_agent)
        do_set_callback(public, due_at=in_minutes(30), private=False, acting_user=anna_agent)

        async def scenario() -> None:
            alice, anna, bob = listener(alice_agent), listener(anna_agent), listener(bob_agent)
            for communicator in (alice, anna, bob):
                assert (await communicator.connect())[0]
            await async_to_sync_free(notify_due_callbacks)()  # nothing due yet
            clock.shift(dt.timedelta(minutes=16))
            await async_to_sync_free(notify_due_callbacks)()
            event = await alice.receive_json_from(timeout=5)
            assert (event["type"], event["number"], event["private"]) == ("callback.due", private.number, True)
            assert await anna.receive_nothing(timeout=0.3), "Alice's private callback is hers alone"
            clock.shift(dt.timedelta(minutes=15))
            await async_to_sync_free(notify_due_callbacks)()
            for communicator in (alice, anna):
                event = await communicator.receive_json_from(timeout=5)
                assert (event["number"], event["private"]) == (public.number, False)
            await async_to_sync_free(notify_due_callbacks)()  # the next minute: told already
            for communicator in (alice, anna, bob):
                assert await communicator.receive_nothing(timeout=0.3), "once each; never another group's"
                await communicator.disconnect()

        async_to_sync(scenario)()
    assert Callback.objects.filter(notified_at__isnull=True).count() == 0


def async_to_sync_free(function):
    """A synchronous job run from the test's event loop, in a thread (the ORM refuses the loop)."""
    from asgiref.sync import sync_to_async

    return sync_to_async(function)


@pytest.mark.spec("CC-03")
def test_a_long_overdue_callback_is_not_pushed_when_the_scheduler_comes_back_nor_one_on_a_closed_ticket(
    clock, volunteers, alice_agent
):
    late, closed = make_ticket(volunteers), make_ticket(volunteers)
    do_set_callback(late, due_at=in_minutes(15), private=False, acting_user=alice_agent)
    do_set_callback(closed, due_at=in_minutes(15), private=False, acting_user=alice_agent)
    do_close_ticket(closed, acting_user=alice_agent)
    clock.shift(dt.timedelta(hours=3))
    from switchboard.tickets.callbacks import do_notify_due_callbacks

    assert do_notify_due_callbacks() == 0
    assert Callback.objects.get(ticket=late).notified_at is not None, "marked as told: the lists show it overdue"


@pytest.mark.spec("CC-03")
def test_closing_a_ticket_cancels_its_callback_so_reopening_it_shows_no_old_promise(clock, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    callback = do_set_callback(ticket, due_at=in_minutes(30), private=False, acting_user=alice_agent)
    do_close_ticket(ticket, acting_user=alice_agent)
    callback.refresh_from_db()
    assert callback.state == Callback.State.CANCELLED and callback.finished_by == alice_agent
    closed = ticket.activities.get(kind=ActivityKind.CLOSED)
    assert {"field": "callback_public", "old": callback.due_at.isoformat(timespec="minutes"), "new": "cancelled"} in (
        closed.changes
    ), "the close's history says the callback went with it"
    clock.shift(dt.timedelta(hours=2))
    do_reopen_ticket(ticket, acting_user=alice_agent)
    assert get_due_callbacks(alice_agent).count == 0, "no two-hour-old callback greets the reopened ticket"


# --- the call list (CC-06) --------------------------------------------------------------------


@pytest.mark.spec("CC-06")
def test_the_call_list_orders_callbacks_and_next_actions_by_due_time_overdue_first(
    clock, client, volunteers, alice_agent
):
    later = make_ticket(volunteers, contact=contact_with_phone("Ewa", "Lis", "+48601000001"))
    next_action = make_ticket(volunteers, contact=contact_with_phone("Jan", "Wilk", "+48601000002"))
    not_listed = make_ticket(volunteers)
    do_set_callback(later, due_at=in_minutes(60), private=False, acting_user=alice_agent)
    header = TicketHeader(
        title=next_action.title,
        status=next_action.status,
        owner=None,
        next_action="Send the contract",
        due_at=in_minutes(-30),
    )
    do_update_ticket(next_action, header=header, expected_version=next_action.version, acting_user=alice_agent)
    client.force_login(alice_agent)
    html = page(client, "call_list", "volunteers")
    assert html.index(f'data-number="{next_action.number}"') < html.index(f'data-number="{later.number}"')
    assert f'data-number="{not_listed.number}"' not in html
    overdue = row_of(html, next_action)
    assert "data-overdue" in overdue and "Overdue · " in overdue and "Send the contract" in overdue
    assert "Jan Wilk" in overdue and "+48601000002" in overdue
    assert reverse("call_list", args=["volunteers"]) in page(client, "open_tickets", "volunteers"), "in the nav"


@pytest.mark.spec("CC-06")
def test_next_call_opens_the_first_due_ticket_the_agent_may_take(clock, client, volunteers, alice_agent, anna_agent):
    annas = make_ticket(volunteers)
    public = make_ticket(volunteers)
    upcoming = make_ticket(volunteers)
    do_set_callback(annas, due_at=in_minutes(5), private=True, acting_user=anna_agent)
    do_set_callback(public, due_at=in_minutes(10), private=False, acting_user=anna_agent)
    do_set_callback(upcoming, due_at=in_minutes(60), private=False, acting_user=anna_agent)
    client.force_login(alice_agent)
    next_call = reverse("next_call", args=["volunteers"])
    response = client.post(next_call, follow=True)
    assert response.redirect_chain[-1][0] == reverse("call_list", args=["volunteers"])
    assert "No call is due now." in response.content.decode()
    clock.shift(dt.timedelta(minutes=11))
    assert find_next_call(volunteers, user=anna_agent) == annas, "her own private callback, the earliest"
    response = client.post(next_call)
    assert response.url == reverse("ticket", args=[public.number]) + "?dial=1", "Anna's private one is not Alice's"


@pytest.mark.spec("CC-06")
def test_next_call_dials_the_contact_where_the_group_has_the_phone_channel(clock, client, volunteers, alice_agent):
    from switchboard.phone.models import PhoneNumber

    ticket = make_ticket(volunteers, contact=contact_with_phone("Ewa", "Lis", "+48601000001"))
    do_set_callback(ticket, due_at=in_minutes(5), private=False, acting_user=alice_agent)
    AgentProfile.objects.filter(user=alice_agent).update(phone="+48601999999")
    client.force_login(alice_agent)
    dial_page = reverse("ticket", args=[ticket.number]) + "?dial=1"
    assert "data-dial-now" not in client.get(dial_page).content.decode(), "no phone channel: nothing to dial"
    number = PhoneNumber(number="+48221234567", account_sid="AC" + "0" * 32, default_group=volunteers)
    number.auth_token = "token"
    number.save()
    html = client.get(dial_page).content.decode()
    form = html[html.index("data-dial-now") - 80 :]
    assert reverse("call_contact", args=[ticket.number]) in form and 'value="+48601000001"' in form
    assert "data-dial-now" not in page(client, "ticket", ticket.number), "only when Next call asks"


@pytest.mark.spec("CC-06", "CC-03", "AGENT-01", "AGENT-02")
def test_the_call_list_and_home_cost_the_same_queries_for_10_and_150_callbacks(clock, client, volunteers, alice_agent):
    """150: more than the call list's page of 100; a query for each row would show as 140 more."""

    def add(count: int) -> None:
        for n in range(count):
            ticket = make_ticket(volunteers, contact=contact_with_phone("Ewa", f"Lis{n}", f"+4860{len(tickets):07d}"))
            tickets.append(ticket)
            do_set_callback(ticket, due_at=in_minutes(5 + n % 600), private=bool(n % 2), acting_user=alice_agent)
            if n % 3 == 0:  # home's to-dos (AGENT-02) beside its callbacks
                do_add_todo(text=f"Call {n}", due_at=in_minutes(n % 90 - 45), ticket=ticket, acting_user=alice_agent)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    tickets: list[Ticket] = []
    add(10)
    client.force_login(alice_agent)
    urls = [reverse("call_list", args=["volunteers"]), reverse("home"), reverse("open_tickets", args=["volunteers"])]
    small = [queries(url) for url in urls]
    add(140)
    assert [queries(url) for url in urls] == small
    html = page(client, "call_list", "volunteers")
    assert html.count("<tr data-href") == CALLS_PER_PAGE == 100 and "+4860" in html


@pytest.mark.spec("CC-03", "CC-06", "AGENT-01")
def test_the_pages_and_the_job_read_no_large_table_whole_with_many_callbacks(client, db):
    """Home's due callbacks, the lists' mark, the call list and the due job, on seeded data with a
    callback on every other open ticket and a done one on every third (query_plans.py)."""
    from switchboard.testing.query_plans import captured_statements, full_scans, seed_for_plans
    from switchboard.tickets.callbacks import do_notify_due_callbacks

    seed_for_plans()
    now = timezone.now()
    members = dict(Membership.objects.values_list("group_id", "user_id"))
    open_tickets = list(Ticket.objects.filter(closed_at__isnull=True).values_list("pk", "group_id"))
    Callback.objects.bulk_create(
        Callback(
            ticket_id=pk,
            agent_id=members.get(group_id),
            due_at=now + dt.timedelta(minutes=n % 500 - 250),
            private=bool(n % 4 == 0),
            state=Callback.State.DONE if n % 3 == 0 else Callback.State.PENDING,
        )
        for n, (pk, group_id) in enumerate(open_tickets)
        if n % 2 == 0 or n % 3 == 0
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    ticket = Ticket.objects.filter(callbacks__state="pending", closed_at__isnull=True).first()
    agent = Membership.objects.filter(group_id=ticket.group_id).first().user
    client.force_login(agent)
    pages = {
        "home": reverse("home"),
        "open tickets": reverse("open_tickets", args=[ticket.group.slug]),
        "call list": reverse("call_list", args=[ticket.group.slug]),
        "ticket": reverse("ticket", args=[ticket.number]),
    }
    scans = {}
    for name, url in pages.items():
        with captured_statements() as statements:
            assert client.get(url).status_code == 200
        scans[name] = full_scans(statements)
    with captured_statements() as statements:
        do_notify_due_callbacks()
    scans["the due job"] = full_scans(statements)
    assert {name: found for name, found in scans.items() if found} == {}


@pytest.mark.spec("CC-03")
def test_the_callback_form_and_the_ticket_header_never_share_an_element_id(clock, client, volunteers, alice_agent):
    """Both have a due time: with one id for two boxes, a label names the wrong one."""
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    html = page(client, "ticket", ticket.number)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert "callback_due_at" in ids and "id_due_at" in ids
    assert [name for name, count in Counter(ids).items() if count > 1] == []
