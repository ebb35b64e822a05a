"""Time per ticket (AGENT-07): an agent logs their own minutes on a ticket (the timer's or typed),
with a note; 0, negative and absurd minutes are refused with a clear reason; only those who may
work on the ticket can log; each reply records its handle time from the ticket's assignment (or
the agent's previous reply); the totals per ticket, agent and group are SQL aggregates; the ticket
page shows the time and costs the same queries with many entries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.tickets.actions import do_assign_ticket, do_move_ticket
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import Activity, ActivityKind, HandleTime, TimeEntry, TimeSource
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket
from switchboard.tickets.time_selectors import (
    get_agent_time_totals,
    get_group_time_totals,
    get_ticket_time,
    get_ticket_time_totals,
    list_agent_time_totals,
)
from switchboard.tickets.time_tracking import TimeEntryError, do_log_time

pytestmark = pytest.mark.spec("AGENT-07")

START = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)  # a Monday morning


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def maria_ticket(volunteers):
    return make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))


def reply(ticket, agent):
    return do_reply_to_contact(
        ticket, to_address="maria@example.org", body_html="<p>Friday suits us.</p>", acting_user=agent
    )


# --- logging time -------------------------------------------------------------------------------


def test_an_agent_logs_timer_and_typed_minutes_with_a_note_on_the_timeline(clock, maria_ticket, alice_agent):
    first = do_log_time(maria_ticket, minutes=25, source=TimeSource.TIMER, acting_user=alice_agent)
    clock.shift(dt.timedelta(minutes=30))
    second = do_log_time(maria_ticket, minutes=10, note="  Called the  warehouse ", acting_user=alice_agent)
    assert (first.minutes, first.source, first.agent_id, first.group_id) == (
        25,
        "timer",
        alice_agent.pk,
        maria_ticket.group_id,
    )
    assert (second.minutes, second.source, second.note) == (10, "manual", "Called the warehouse")
    lines = list(Activity.objects.filter(ticket=maria_ticket, kind=ActivityKind.CHANGED).order_by("id"))
    assert [line.changes for line in lines] == [
        [{"field": "time_spent", "old": "0", "new": "25"}],
        [{"field": "time_spent", "old": "25", "new": "35"}],
    ]
    assert lines[1].body == "Called the warehouse" and lines[1].actor == alice_agent
    time = get_ticket_time(maria_ticket)
    assert (time.minutes, time.count, [e.pk for e in time.latest]) == (35, 2, [second.pk, first.pk])


@pytest.mark.parametrize(
    ("minutes", "reason"),
    [
        (0, "Enter the minutes spent: at least 1."),
        (-5, "Enter the minutes spent: at least 1."),
        (721, "One entry can hold at most 12 hours (720 minutes); log a longer time in parts."),
        (100_000, "One entry can hold at most 12 hours"),
    ],
)
def test_zero_negative_and_absurd_minutes_are_refused_with_a_reason(maria_ticket, alice_agent, minutes, reason):
    with pytest.raises(TimeEntryError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        do_log_time(maria_ticket, minutes=minutes, acting_user=alice_agent)
    assert not TimeEntry.objects.exists()
    assert not Activity.objects.filter(kind=ActivityKind.CHANGED).exists()


def test_twelve_hours_is_the_most_one_entry_holds(maria_ticket, alice_agent):
    assert do_log_time(maria_ticket, minutes=720, acting_user=alice_agent).minutes == 720


def test_only_those_who_may_work_on_the_ticket_log_time_and_each_their_own(maria_ticket, alice_agent, bob_agent):
    with pytest.raises(PermissionDenied):
        do_log_time(maria_ticket, minutes=5, acting_user=bob_agent)  # another group's agent
    assert not TimeEntry.objects.exists()
    entry = do_log_time(maria_ticket, minutes=5, acting_user=alice_agent)
    assert entry.agent == alice_agent  # nobody logs time for someone else: there is no such argument


def test_the_page_saves_time_and_refuses_bad_minutes_with_the_form_open(client, maria_ticket, alice_agent, bob_agent):
    url = reverse("log_time", args=[maria_ticket.number])
    client.force_login(alice_agent)
    response = client.post(url, {"minutes": "0", "note": "x", "source": "timer"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the minutes spent: at least 1." in page
    assert 'id="time" data-time-form' in page and "collapse card card-body p-2 mb-2 small show" in page
    response = client.post(url, {"minutes": "abc", "source": "manual"})
    assert response.status_code == 400 and "Enter a whole number." in response.content.decode()
    response = client.post(url, {"minutes": "40", "note": "Sorted the returns", "source": "timer"}, follow=True)
    page = response.content.decode()
    assert "Logged 40 min on this ticket." in page
    total = page[page.index("data-time-total") :]
    assert total.startswith("data-time-total>40 min<")
    assert "Sorted the returns" in page
    assert TimeEntry.objects.get().source == "timer"
    client.force_login(bob_agent)
    assert client.post(url, {"minutes": "5", "source": "manual"}).status_code == 404
    assert TimeEntry.objects.count() == 1


def test_the_timeline_shows_a_small_time_spent_line(client, maria_ticket, alice_agent):
    do_log_time(maria_ticket, minutes=50, acting_user=alice_agent)
    do_log_time(maria_ticket, minutes=25, note="Checked the stock", acting_user=alice_agent)
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[maria_ticket.number])).content.decode()
    assert "Time spent</span>: 50 min → 1 h 15 min" in page
    assert "Checked the stock" in page


def test_the_group_setting_starts_the_timer_on_open(client, maria_ticket, alice_agent):
    client.force_login(alice_agent)
    url = reverse("ticket", args=[maria_ticket.number])
    assert "data-timer-autostart" not in client.get(url).content.decode()
    maria_ticket.group.timer_starts_on_open = True
    maria_ticket.group.save()
    page = client.get(url).content.decode()
    assert "data-timer-autostart" in page
    assert f'data-timer-key="switchboard:timer:{alice_agent.pk}:{maria_ticket.number}"' in page


def test_the_ticket_page_costs_the_same_queries_with_no_and_with_many_entries(client, maria_ticket, alice_agent):
    client.force_login(alice_agent)
    url = reverse("ticket", args=[maria_ticket.number])
    do_log_time(maria_ticket, minutes=5, acting_user=alice_agent)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(40):
        do_log_time(maria_ticket, minutes=n + 1, note=f"Entry {n}", acting_user=alice_agent)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    # The timeline has 40 more lines, each one row of the same query.
    assert len(many) == len(few)
    assert "and 31 earlier entries" in page


def test_a_tickets_time_is_one_query_its_total_counting_the_entries_beyond_the_latest(maria_ticket, alice_agent):
    """The ticket page's "Time spent": the latest entries and the total of all, in one read."""
    assert (get_ticket_time(maria_ticket).minutes, get_ticket_time(maria_ticket).count) == (0, 0)
    for n in range(12):
        do_log_time(maria_ticket, minutes=n + 1, acting_user=alice_agent)
    with CaptureQueriesContext(connection) as queries:
        time = get_ticket_time(maria_ticket, limit=10)
    assert len(queries.captured_queries) == 1
    assert (time.minutes, time.count, len(time.latest), time.more) == (78, 12, 10, 2)
    assert [entry.minutes for entry in time.latest] == list(range(12, 2, -1))


# --- handle time ----------------------------------------------------------------------------------


def test_each_reply_records_its_handle_time_from_the_assignment_or_the_previous_reply(clock, maria_ticket, alice_agent):
    clock.shift(dt.timedelta(hours=1))  # the ticket waits unowned: not the agent's time
    do_assign_ticket(maria_ticket, owner=alice_agent, acting_user=None)
    clock.shift(dt.timedelta(minutes=20))
    first = reply(maria_ticket, alice_agent)
    clock.shift(dt.timedelta(minutes=7, seconds=30))
    second = reply(maria_ticket, alice_agent)
    handles = list(HandleTime.objects.order_by("replied_at"))
    assert [(h.reply_id, h.seconds, h.agent_id, h.group_id) for h in handles] == [
        (first.pk, 20 * 60, alice_agent.pk, maria_ticket.group_id),
        (second.pk, 7 * 60 + 30, alice_agent.pk, maria_ticket.group_id),
    ]
    assert handles[0].started_at == START + dt.timedelta(hours=1)
    assert handles[1].started_at == first.created_at


def test_a_new_assignment_starts_the_handle_time_again(clock, maria_ticket, alice_agent, volunteers):
    carol = make_agent("carol", "CA", groups=[volunteers])
    do_assign_ticket(maria_ticket, owner=alice_agent, acting_user=None)
    clock.shift(dt.timedelta(minutes=5))
    reply(maria_ticket, alice_agent)
    clock.shift(dt.timedelta(hours=2))
    do_assign_ticket(maria_ticket, owner=carol, acting_user=None)
    clock.shift(dt.timedelta(minutes=3))
    do_assign_ticket(maria_ticket, owner=alice_agent, acting_user=None)  # back to alice
    clock.shift(dt.timedelta(minutes=4))
    reply(maria_ticket, alice_agent)
    assert list(HandleTime.objects.order_by("replied_at").values_list("seconds", flat=True)) == [300, 240]


def test_a_reply_to_a_ticket_the_agent_does_not_own_records_no_handle_time(
    clock, maria_ticket, alice_agent, volunteers
):
    reply(maria_ticket, alice_agent)  # nobody's ticket
    carol = make_agent("carol", "CA", groups=[volunteers])
    do_assign_ticket(maria_ticket, owner=carol, acting_user=None)
    clock.shift(dt.timedelta(minutes=5))
    reply(maria_ticket, alice_agent)  # a colleague's ticket
    assert not HandleTime.objects.exists()


# --- totals -------------------------------------------------------------------------------------


def test_totals_per_ticket_agent_and_group_over_a_period(clock, volunteers, donations, alice_agent, maria_ticket):
    carol = make_agent("carol", "CA", groups=[volunteers, donations])
    other = make_ticket(volunteers)
    do_log_time(maria_ticket, minutes=30, acting_user=alice_agent)
    do_log_time(maria_ticket, minutes=15, acting_user=carol)
    do_log_time(other, minutes=5, acting_user=alice_agent)
    do_assign_ticket(maria_ticket, owner=alice_agent, acting_user=None)
    clock.shift(dt.timedelta(minutes=10))
    reply(maria_ticket, alice_agent)
    clock.shift(dt.timedelta(days=1))
    # The next day: a ticket moved to Donations keeps its earlier time in Volunteers.
    do_move_ticket(other, group=donations, reset_status_and_form=False, acting_user=carol)
    do_log_time(other, minutes=20, acting_user=carol)

    ticket = get_ticket_time_totals(maria_ticket)
    assert (ticket.minutes, ticket.entries, ticket.handle_seconds, ticket.replies) == (45, 2, 600, 1)
    assert get_ticket_time_totals(other).minutes == 25

    alice = get_agent_time_totals(alice_agent.pk)
    assert (alice.minutes, alice.entries, alice.handle_seconds, alice.replies) == (35, 2, 600, 1)
    assert alice.average_handle_seconds == 600
    assert get_agent_time_totals(carol.pk).minutes == 35
    assert get_agent_time_totals(carol.pk, since=START + dt.timedelta(hours=12)).minutes == 20
    assert get_agent_time_totals(carol.pk, until=START + dt.timedelta(hours=12)).minutes == 15

    assert get_group_time_totals(volunteers.pk).minutes == 50
    assert get_group_time_totals(donations.pk).minutes == 20
    assert get_group_time_totals(donations.pk).average_handle_seconds is None

    per_agent = list_agent_time_totals(volunteers.pk)
    assert {agent: (t.minutes, t.handle_seconds) for agent, t in per_agent.items()} == {
        alice_agent.pk: (35, 600),
        carol.pk: (15, 0),
    }


def test_the_totals_cost_two_queries_each_whatever_the_number_of_entries(maria_ticket, alice_agent, volunteers):
    for n in range(30):
        do_log_time(maria_ticket, minutes=n + 1, acting_user=alice_agent)
    with CaptureQueriesContext(connection) as queries:
        get_ticket_time_totals(maria_ticket)
        get_agent_time_totals(alice_agent.pk)
        get_group_time_totals(volunteers.pk)
        list_agent_time_totals(volunteers.pk)
    assert len(queries) == 8


@pytest.mark.parametrize(("language", "note"), [("en", "Called the warehouse"), ("pl", "Telefon do magazynu")])
def test_the_demo_has_time_logged_on_annas_ticket_once(db, language, note):
    from switchboard.tickets.demo import load_demo_data
    from switchboard.tickets.demo_time import load_time_demo

    load_demo_data(language)
    load_time_demo(language)
    load_time_demo(language)
    entries = list(TimeEntry.objects.select_related("ticket__group").order_by("id"))
    assert [e.minutes for e in entries] == [12, 25, 8]
    assert entries[1].note.startswith(note) and entries[0].source == "timer"
    assert entries[0].agent.username == "anna" and entries[1].agent.username != "anna"
    assert entries[0].ticket.group.timer_starts_on_open
