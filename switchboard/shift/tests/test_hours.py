"""Hours worked (AGENT-05): a shift minus its breaks, per day and per week in the agent's own time
zone; a shift across midnight counts in each day for its part; the days the clocks change have 23
and 25 hours."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from switchboard.shift.clock import do_clock_in, do_clock_out, do_end_break, do_start_break
from switchboard.shift.hours import day_span, list_weeks, parse_week, seconds_per_day, week_label, worked_spans
from switchboard.tickets.models import AgentProfile

pytestmark = pytest.mark.spec("AGENT-05")

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
HOUR = 3600


def local(zone: zoneinfo.ZoneInfo, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone)  # type: ignore[misc]


def per_day(start: dt.datetime, end: dt.datetime, zone: zoneinfo.ZoneInfo, breaks=()) -> dict[dt.date, int]:  # type: ignore[no-untyped-def]
    return seconds_per_day(worked_spans(start, end, breaks), zone)


def test_a_night_shift_counts_in_each_day_for_its_part_less_a_break_over_midnight():
    start, end = local(NEW_YORK, 2026, 12, 7, 20, 0), local(NEW_YORK, 2026, 12, 8, 4, 0)
    lunch = (local(NEW_YORK, 2026, 12, 7, 23, 30), local(NEW_YORK, 2026, 12, 8, 0, 30))
    assert per_day(start, end, NEW_YORK, [lunch]) == {
        dt.date(2026, 12, 7): 3.5 * HOUR,
        dt.date(2026, 12, 8): 3.5 * HOUR,
    }


def test_the_same_shift_falls_on_the_days_of_the_agents_own_time_zone():
    start = dt.datetime(2026, 12, 8, 2, 0, tzinfo=dt.UTC)  # 03:00 in Warsaw, 21:00 the day before in New York
    end = start + dt.timedelta(hours=4)
    assert per_day(start, end, WARSAW) == {dt.date(2026, 12, 8): 4 * HOUR}
    assert per_day(start, end, NEW_YORK) == {dt.date(2026, 12, 7): 3 * HOUR, dt.date(2026, 12, 8): HOUR}


def test_the_night_the_clocks_go_forward_has_an_hour_less():
    """Warsaw, 29 March 2026: 02:00 becomes 03:00. 22:00 to 06:00 on the wall clock is 7 hours."""
    start, end = local(WARSAW, 2026, 3, 28, 22, 0), local(WARSAW, 2026, 3, 29, 6, 0)
    assert per_day(start, end, WARSAW) == {dt.date(2026, 3, 28): 2 * HOUR, dt.date(2026, 3, 29): 5 * HOUR}
    day_start, day_end = day_span(dt.date(2026, 3, 29), WARSAW)
    assert day_end - day_start == dt.timedelta(hours=23)


def test_the_night_the_clocks_go_back_has_an_hour_more():
    """Warsaw, 25 October 2026: 03:00 becomes 02:00 again. Midnight to 06:00 is 7 hours."""
    start, end = local(WARSAW, 2026, 10, 25, 0, 0), local(WARSAW, 2026, 10, 25, 6, 0)
    assert per_day(start, end, WARSAW) == {dt.date(2026, 10, 25): 7 * HOUR}
    day_start, day_end = day_span(dt.date(2026, 10, 25), WARSAW)
    assert day_end - day_start == dt.timedelta(hours=25)


def test_breaks_outside_or_overlapping_the_shift_count_only_within_it():
    start = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
    end = start + dt.timedelta(hours=8)
    breaks = [
        (start - dt.timedelta(hours=1), start + dt.timedelta(minutes=30)),
        (start + dt.timedelta(hours=4), start + dt.timedelta(hours=5)),
        (start + dt.timedelta(hours=4, minutes=30), start + dt.timedelta(hours=5, minutes=15)),
    ]
    assert sum(per_day(start, end, dt.UTC, breaks).values()) == 8 * HOUR - 30 * 60 - 75 * 60  # type: ignore[arg-type]


def test_weeks_are_written_as_iso_weeks_and_a_bad_one_is_this_week():
    assert parse_week("2026-W49", today=dt.date(2026, 1, 1)) == dt.date(2026, 11, 30)
    assert parse_week("nonsense", today=dt.date(2026, 12, 5)) == dt.date(2026, 11, 30)
    assert week_label(dt.date(2026, 11, 30)) == "2026-W49"
    assert week_label(dt.date(2026, 12, 28)) == "2026-W53"


def test_an_agents_week_counts_the_shifts_of_their_days_and_leaves_the_next_weeks_part_out(alice_agent):
    AgentProfile.objects.filter(user=alice_agent).update(time_zone="Europe/Warsaw")
    # Monday 30 November 2026, 09:00–17:00 with a 30-minute lunch; Sunday 6 December 22:00 to
    # Monday 7 December 02:00 (the next week's part is not this week's).
    do_clock_in(acting_user=alice_agent, now=local(WARSAW, 2026, 11, 30, 9, 0))
    do_start_break(reason="lunch", acting_user=alice_agent, now=local(WARSAW, 2026, 11, 30, 12, 0))
    do_end_break(acting_user=alice_agent, now=local(WARSAW, 2026, 11, 30, 12, 30))
    do_clock_out(acting_user=alice_agent, now=local(WARSAW, 2026, 11, 30, 17, 0))
    do_clock_in(acting_user=alice_agent, now=local(WARSAW, 2026, 12, 6, 22, 0))
    do_clock_out(acting_user=alice_agent, now=local(WARSAW, 2026, 12, 7, 2, 0))
    alice_agent.refresh_from_db()

    [week] = list_weeks([alice_agent], dt.date(2026, 11, 30))
    assert week.days == [7.5 * HOUR, 0, 0, 0, 0, 0, 2 * HOUR]
    assert week.total == 9.5 * HOUR
    assert [row.worked for row in week.shifts] == [7.5 * HOUR, 4 * HOUR]
    [next_week] = list_weeks([alice_agent], dt.date(2026, 12, 7))
    assert next_week.days[0] == 2 * HOUR
