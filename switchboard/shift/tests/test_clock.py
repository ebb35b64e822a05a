"""The time clock (AGENT-05): clocking in and out and breaks from the navbar, with the phone state
following; the forgotten clock-out closed by the job at the group's shift length and told to the
managers by email; corrections by the agent's managers only, recorded; the end of the shift with
its hand-overs; the hours pages, their CSV and their fixed query count."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from switchboard.shift.clock import (
    ClockError,
    do_clock_in,
    do_clock_out,
    do_correct_shift,
    do_end_break,
    do_start_break,
)
from switchboard.shift.handover import do_hand_over_ticket
from switchboard.shift.models import Break, Shift, ShiftCorrection
from switchboard.shift.tasks import close_forgotten_shifts
from switchboard.tickets.actions import do_change_ticket_status
from switchboard.tickets.models import Activity, ActivityKind, AgentProfile, Group, Membership, StatusKind, Ticket
from switchboard.tickets.tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.spec("AGENT-05")

START = dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)  # a Monday, 08:00 in Warsaw


@pytest.fixture
def anna_manager(volunteers):
    return make_agent("anna", "AN", groups=[volunteers], role=Membership.Role.MANAGER)


@pytest.fixture
def carl_manager(donations):
    """A manager of Donations only: not Alice's."""
    return make_agent("carl", "CA", groups=[donations], role=Membership.Role.MANAGER)


def phone(user) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    profile = AgentProfile.objects.get(user=user)
    return profile.phone_state, profile.phone_state_reason


# --- clocking from the navbar --------------------------------------------------------------------


def test_clock_in_break_and_out_from_the_navbar_return_to_the_page_and_set_the_phone_state(client, alice_agent):
    client.force_login(alice_agent)
    home = client.get(reverse("home")).content.decode()
    assert 'data-clock-pill="off"' in home and "data-clock-in" in home

    back = reverse("my_hours")
    assert client.post(reverse("clock_in"), {"next": back}).url == back
    assert phone(alice_agent) == ("not_ready", "")
    page = client.get(back).content.decode()
    assert 'data-clock-pill="on"' in page and "data-start-break" in page and "data-clock-out" in page

    client.post(reverse("start_break"), {"reason": "lunch", "next": back})
    assert phone(alice_agent) == ("not_ready", "break")
    page = client.get(back).content.decode()
    assert 'data-clock-pill="break"' in page and "data-end-break" in page

    client.post(reverse("end_break"), {"next": back})
    assert phone(alice_agent) == ("not_ready", "")
    assert client.post(reverse("clock_out"), {"next": "https://elsewhere.example/"}).url == reverse("home")
    assert phone(alice_agent) == ("signed_out", "")
    shift = Shift.objects.get(agent=alice_agent)
    assert shift.ended_at is not None and shift.breaks.get().reason == "lunch"


def test_clocking_twice_or_a_break_off_shift_is_refused_with_the_reason(alice_agent):
    do_clock_in(acting_user=alice_agent)
    with pytest.raises(ClockError, match="already clocked in"):
        do_clock_in(acting_user=alice_agent)
    with pytest.raises(ClockError, match="why"):
        do_start_break(reason="nap", acting_user=alice_agent)
    do_start_break(reason="short", acting_user=alice_agent)
    with pytest.raises(ClockError, match="already on a break"):
        do_start_break(reason="short", acting_user=alice_agent)
    do_clock_out(acting_user=alice_agent)
    assert Break.objects.get().ended_at is not None  # clocking out ends the break
    with pytest.raises(ClockError, match="not clocked in"):
        do_start_break(reason="lunch", acting_user=alice_agent)
    with pytest.raises(ClockError, match="not clocked in"):
        do_end_break(acting_user=alice_agent)


# --- the forgotten clock-out ---------------------------------------------------------------------


def test_a_forgotten_shift_is_closed_at_the_longest_group_shift_length_flagged_and_managers_emailed(  # noqa: PLR0913
    client,
    volunteers,
    donations,
    alice_agent,
    anna_manager,
    carl_manager,
    smtp_sink,
    django_capture_on_commit_callbacks,
):
    Group.objects.filter(pk=volunteers.pk).update(shift_hours=8)
    Group.objects.filter(pk=donations.pk).update(shift_hours=10)
    Membership.objects.create(user=alice_agent, group=donations)
    do_clock_in(acting_user=alice_agent, now=START)
    do_start_break(reason="lunch", acting_user=alice_agent, now=START + dt.timedelta(hours=9))

    with time_machine.travel(START + dt.timedelta(hours=9, minutes=59), tick=False):
        close_forgotten_shifts()
    assert Shift.objects.get().ended_at is None  # 8 hours is Volunteers', but Donations' 10 count

    with time_machine.travel(START + dt.timedelta(hours=11, minutes=3), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            close_forgotten_shifts()
    shift = Shift.objects.get()
    assert shift.ended_at == START + dt.timedelta(hours=10) and shift.auto_closed
    assert shift.breaks.get().ended_at == shift.ended_at
    assert phone(alice_agent) == ("signed_out", "")

    mails = smtp_sink.wait_for(2)
    assert sorted(m["To"] for m in mails) == ["anna@example.test", "carl@example.test"]
    assert "Alice" in mails[0]["Subject"] and "closed at 2026-12-07 17:00" in mails[0].get_content()

    client.force_login(anna_manager)
    page = client.get(reverse("group_hours", args=[volunteers.slug]) + "?week=2026-W50").content.decode()
    assert f'data-shift="{shift.pk}" class="table-danger" data-auto-closed' in page
    assert "closed automatically" in page


# --- corrections ---------------------------------------------------------------------------------


def closed_shift(agent) -> Shift:  # type: ignore[no-untyped-def]
    do_clock_in(acting_user=agent, now=START)
    do_start_break(reason="lunch", acting_user=agent, now=START + dt.timedelta(hours=4))
    do_end_break(acting_user=agent, now=START + dt.timedelta(hours=4, minutes=30))
    return do_clock_out(acting_user=agent, now=START + dt.timedelta(hours=8))


def test_a_manager_of_the_agents_group_corrects_a_shift_and_it_is_recorded_and_shown(
    client, volunteers, alice_agent, anna_manager
):
    shift = closed_shift(alice_agent)
    brk = shift.breaks.get()
    client.force_login(anna_manager)
    url = reverse("correct_shift", args=[shift.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"started_at": "2026-12-07 07:30", "ended_at": "2026-12-07 15:00"})
    assert refused.status_code == 400 and "This field is required." in refused.content.decode()
    times = {f"break-{brk.pk}-start": "2026-12-07 11:00", f"break-{brk.pk}-end": "2026-12-07 11:30"}
    refused = client.post(
        url, {"started_at": "2026-12-07 07:30", "ended_at": "2026-12-07 05:00", "reason": "x", **times}
    )
    assert refused.status_code == 400 and "A shift ends after it starts." in refused.content.decode()
    response = client.post(
        url,
        {
            "started_at": "2026-12-07 06:30",  # the agent's zone is UTC here
            "ended_at": "2026-12-07 15:00",
            f"break-{brk.pk}-start": "2026-12-07 11:00",
            f"break-{brk.pk}-end": "2026-12-07 11:45",
            "reason": "Forgot to clock in at the door",
            "next": reverse("group_hours", args=[volunteers.slug]),
        },
    )
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.started_at == START - dt.timedelta(minutes=30)
    corrections = list(ShiftCorrection.objects.order_by("field"))
    assert [(c.field, c.old_value, c.new_value) for c in corrections] == [
        ("break_end", START + dt.timedelta(hours=4, minutes=30), START + dt.timedelta(hours=4, minutes=45)),
        ("shift_start", START, START - dt.timedelta(minutes=30)),
    ]
    assert {c.corrected_by for c in corrections} == {anna_manager}
    assert {c.reason for c in corrections} == {"Forgot to clock in at the door"}

    client.force_login(alice_agent)
    page = client.get(reverse("my_hours") + "?week=2026-W50").content.decode()
    assert page.count("data-correction") == 2 and "Forgot to clock in at the door" in page
    assert "7:45" in page  # 06:30–15:00 less 45 minutes


def test_an_agent_a_manager_of_another_group_and_the_agent_themselves_cannot_correct(
    client, alice_agent, bob_agent, carl_manager, anna_manager, dave_admin
):
    shift = closed_shift(alice_agent)
    anna_shift = closed_shift(anna_manager)
    for person, target in [(bob_agent, shift), (carl_manager, shift), (alice_agent, shift), (anna_manager, anna_shift)]:
        with pytest.raises(PermissionDenied):
            do_correct_shift(
                target,
                started_at=START,
                ended_at=START + dt.timedelta(hours=1),
                breaks={},
                reason="x",
                acting_user=person,
            )
        client.force_login(person)
        assert client.get(reverse("correct_shift", args=[target.pk])).status_code == 403
    assert not ShiftCorrection.objects.exists()
    do_correct_shift(
        shift, started_at=START, ended_at=START + dt.timedelta(hours=9), breaks={}, reason="ok", acting_user=dave_admin
    )
    assert ShiftCorrection.objects.get().corrected_by == dave_admin


def test_a_correction_that_makes_no_sense_is_refused(alice_agent, anna_manager):
    shift = closed_shift(alice_agent)
    brk = shift.breaks.get()
    wrong = [
        ({"started_at": START, "ended_at": START - dt.timedelta(hours=1), "breaks": {}}, "ends after"),
        (
            {"started_at": START, "ended_at": START + dt.timedelta(hours=8), "breaks": {brk.pk: (START, START)}},
            "within",
        ),
    ]
    for values, message in wrong:
        with pytest.raises(ClockError, match=message):
            do_correct_shift(shift, reason="why", acting_user=anna_manager, **values)  # type: ignore[arg-type]


def test_only_managers_see_the_groups_hours_and_the_team_page_links_them(
    client, volunteers, alice_agent, anna_manager, carl_manager
):
    url = reverse("group_hours", args=[volunteers.slug])
    client.force_login(alice_agent)
    assert client.get(url).status_code == 403
    client.force_login(carl_manager)
    assert client.get(url).status_code == 404
    client.force_login(anna_manager)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("team", args=[volunteers.slug])).content.decode()


# --- the end of the shift ------------------------------------------------------------------------


def test_clocking_out_with_tickets_waiting_offers_each_and_hands_over_by_the_rule(client, volunteers, alice_agent):
    Group.objects.filter(pk=volunteers.pk).update(assignment_rule=Group.AssignmentRule.LEAST_LOAD)
    erin = make_agent("erin", "ER", groups=[volunteers])
    mine = [make_ticket(volunteers) for _ in range(3)]
    Ticket.objects.filter(pk__in=[t.pk for t in mine]).update(owner=alice_agent)
    do_change_ticket_status(mine[2], status=volunteers.statuses.get(kind=StatusKind.WAITING_CONTACT), acting_user=None)
    handed, kept, waiting_on_contact = mine
    do_clock_in(acting_user=alice_agent)
    client.force_login(alice_agent)

    response = client.post(reverse("clock_out"), {"next": reverse("my_hours")})
    assert response.url == reverse("end_of_shift") + "?next=%2Fshift%2Fhours%2F"
    page = client.get(response.url).content.decode()
    assert f'data-ticket="{handed.number}"' in page and f'data-ticket="{kept.number}"' in page
    assert f'data-ticket="{waiting_on_contact.number}"' not in page

    response = client.post(
        reverse("end_of_shift"),
        {f"ticket-{handed.number}": "hand_over", f"ticket-{kept.number}": "keep", "next": reverse("my_hours")},
    )
    assert response.url == reverse("my_hours")
    assert Shift.objects.get().ended_at is not None
    assert Ticket.objects.get(pk=handed.pk).owner == erin
    assert Ticket.objects.get(pk=kept.pk).owner == alice_agent
    history = Activity.objects.filter(ticket=handed, actor=alice_agent)
    assert history.filter(kind=ActivityKind.NOTE, body="Handed over at the end of the shift.").exists()
    change = history.get(kind=ActivityKind.CHANGED)
    assert change.changes[0]["field"] == "owner"


def test_handed_over_where_nobody_else_is_available_the_ticket_waits_in_its_group(client, volunteers, alice_agent):
    Group.objects.filter(pk=volunteers.pk).update(assignment_rule=Group.AssignmentRule.LEAST_LOAD)
    ticket = make_ticket(volunteers)
    Ticket.objects.filter(pk=ticket.pk).update(owner=alice_agent)
    do_clock_in(acting_user=alice_agent)
    client.force_login(alice_agent)
    client.post(reverse("end_of_shift"), {f"ticket-{ticket.number}": "hand_over"})
    assert Ticket.objects.get(pk=ticket.pk).owner is None


def test_a_hand_over_locks_and_reads_its_ticket_once(volunteers, alice_agent):
    Group.objects.filter(pk=volunteers.pk).update(assignment_rule=Group.AssignmentRule.LEAST_LOAD)
    make_agent("erin", "ER", groups=[volunteers])
    ticket = make_ticket(volunteers)
    Ticket.objects.filter(pk=ticket.pk).update(owner=alice_agent)
    with CaptureQueriesContext(connection) as context:
        handed = do_hand_over_ticket(ticket, acting_user=alice_agent)
    row = 'SELECT "tickets_ticket"."id", "tickets_ticket"."created_at"'
    assert handed.owner is not None and handed.owner.username == "erin"
    assert [query["sql"].startswith(row) for query in context.captured_queries].count(True) == 1
    assert [entry.kind for entry in Activity.objects.filter(ticket=ticket).order_by("pk")][-2:] == [
        ActivityKind.NOTE,
        ActivityKind.CHANGED,
    ]


# --- the hours pages -----------------------------------------------------------------------------


def test_the_hours_csv_has_a_row_per_agent_with_hours_per_day_and_week(client, volunteers, alice_agent, anna_manager):
    closed_shift(alice_agent)
    client.force_login(anna_manager)
    response = client.get(reverse("group_hours", args=[volunteers.slug]) + "?week=2026-W50&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="hours-volunteers-2026-W50.csv"' in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Agent,Time zone,2026-12-07,")
    assert "Alice,UTC,7.50,0.00,0.00,0.00,0.00,0.00,0.00,7.50,0" in lines
    client.force_login(alice_agent)
    mine = client.get(reverse("my_hours") + "?week=2026-W50&format=csv")
    assert b"".join(mine.streaming_content).decode("utf-8-sig").splitlines()[1:] == [
        "Alice,UTC,7.50,0.00,0.00,0.00,0.00,0.00,0.00,7.50,0"
    ]


def test_the_group_hours_page_costs_the_same_queries_for_2_and_12_agents(client, volunteers, anna_manager):
    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            agent = make_agent(f"agent{n}", "AG", groups=[volunteers])
            for day in range(3):
                begin = START + dt.timedelta(days=day)
                do_clock_in(acting_user=agent, now=begin)
                do_start_break(reason="short", acting_user=agent, now=begin + dt.timedelta(hours=2))
                do_end_break(acting_user=agent, now=begin + dt.timedelta(hours=2, minutes=15))
                shift = do_clock_out(acting_user=agent, now=begin + dt.timedelta(hours=8))
                do_correct_shift(
                    shift,
                    started_at=begin - dt.timedelta(minutes=5),
                    ended_at=shift.ended_at,
                    breaks={},
                    reason="late badge",
                    acting_user=anna_manager,
                )

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("group_hours", args=[volunteers.slug]) + "?week=2026-W50").status_code == 200
        return len(context.captured_queries)

    add(2, 0)
    client.force_login(anna_manager)
    small = queries()
    add(10, 2)
    assert queries() == small


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_demo_has_last_weeks_shifts_one_closed_automatically_one_corrected_and_anna_clocked_in(
    client, db, language
):
    from switchboard.shift.demo import CORRECTION, load_clock_demo
    from switchboard.tickets.demo import load_demo_data

    load_demo_data(language)
    load_clock_demo(language)
    load_clock_demo(language)
    assert Shift.objects.filter(agent__username="anna", ended_at__isnull=True).exists()
    assert Shift.objects.filter(auto_closed=True).count() == 1
    assert ShiftCorrection.objects.get().reason == CORRECTION[language]
    anna = Shift.objects.get(agent__username="anna", ended_at__isnull=True).agent
    client.force_login(anna)
    corrected = ShiftCorrection.objects.get().shift.agent
    group = anna.memberships.filter(group__memberships__user=corrected).first().group
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday() + 7)
    week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    page = client.get(reverse("group_hours", args=[group.slug]) + f"?week={week}").content.decode()
    assert "data-correction" in page and 'data-clock-pill="on"' in page


def test_the_end_of_shift_page_says_when_nothing_is_waiting_and_still_clocks_out(client, alice_agent):
    do_clock_in(acting_user=alice_agent)
    client.force_login(alice_agent)
    assert "data-nothing-waiting" in client.get(reverse("end_of_shift")).content.decode()
    client.post(reverse("end_of_shift"))
    assert Shift.objects.get().ended_at is not None
