"""Business-hours arithmetic (ROUTE-07) against hand-computed answers: weekends, holidays, two
ranges a day, and Europe/Warsaw's daylight-saving changes (2026-03-29 and 2026-10-25)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from switchboard.tickets.business_hours import (
    Calendar,
    add_business_minutes,
    business_minutes_between,
    format_ranges,
    parse_ranges,
)

pytestmark = pytest.mark.spec("ROUTE-07")

WARSAW = ZoneInfo("Europe/Warsaw")
NINE_TO_FIVE = parse_ranges("09:00-17:00")
OFFICE = Calendar(
    time_zone="Europe/Warsaw",
    week=(NINE_TO_FIVE,) * 5 + ((), ()),
    holidays=frozenset({dt.date(2026, 11, 11)}),  # Independence Day, a Wednesday
)


def warsaw(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WARSAW)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_minutes_run_on_over_a_weekend_to_monday_morning():
    # Friday 2026-12-04 16:00 CET: 60 minutes on Friday, 60 on Monday → Monday 10:00 CET = 09:00 UTC.
    due = add_business_minutes(OFFICE, warsaw(2026, 12, 4, 16, 0), 120)
    assert due == utc(2026, 12, 7, 9, 0)
    assert business_minutes_between(OFFICE, warsaw(2026, 12, 4, 16, 0), due) == 120


def test_the_spring_change_moves_monday_morning_one_hour_earlier_in_utc():
    # Friday 2026-03-27 16:00 CET (15:00 UTC) + 120 → Monday 2026-03-30 10:00 CEST = 08:00 UTC.
    due = add_business_minutes(OFFICE, warsaw(2026, 3, 27, 16, 0), 120)
    assert due == utc(2026, 3, 30, 8, 0)
    assert business_minutes_between(OFFICE, utc(2026, 3, 27, 15, 0), utc(2026, 3, 30, 8, 0)) == 120
    # Wall-clock hours 27 Mar 15:00 UTC → 30 Mar 08:00 UTC are 65 hours, working ones two.


def test_a_holiday_is_skipped_whole():
    # Tuesday 2026-11-10 16:30 CET + 60: 30 on Tuesday, Wednesday is a holiday, 30 on Thursday.
    due = add_business_minutes(OFFICE, warsaw(2026, 11, 10, 16, 30), 60)
    assert due == warsaw(2026, 11, 12, 9, 30) == utc(2026, 11, 12, 8, 30)
    assert business_minutes_between(OFFICE, warsaw(2026, 11, 10, 9, 0), warsaw(2026, 11, 12, 17, 0)) == 16 * 60


def test_a_day_of_two_ranges_skips_the_lunch_break():
    split = Calendar(time_zone="Europe/Warsaw", week=(parse_ranges("08:00-12:00, 13:00-16:00"),) * 7)
    assert add_business_minutes(split, warsaw(2026, 12, 7, 11, 30), 60) == warsaw(2026, 12, 7, 13, 30)
    assert business_minutes_between(split, warsaw(2026, 12, 7, 7, 0), warsaw(2026, 12, 7, 18, 0)) == 7 * 60


def test_a_sunday_open_all_day_has_23_hours_in_march_and_25_in_october():
    sundays = Calendar(time_zone="Europe/Warsaw", week=((),) * 6 + (parse_ranges("00:00-24:00"),))
    assert business_minutes_between(sundays, warsaw(2026, 3, 28, 12, 0), warsaw(2026, 3, 30, 12, 0)) == 23 * 60
    assert business_minutes_between(sundays, warsaw(2026, 10, 24, 12, 0), warsaw(2026, 10, 26, 12, 0)) == 25 * 60
    # Sunday 2026-10-25 00:00 CEST is Saturday 22:00 UTC; 24 working hours later is 22:00 UTC, 23:00 CET.
    assert add_business_minutes(sundays, warsaw(2026, 10, 24, 20, 0), 24 * 60) == utc(2026, 10, 25, 22, 0)


def test_the_autumn_change_inside_working_hours_counts_the_repeated_hour():
    # Open 01:00-04:00 every day: on 2026-10-25 the clock shows 02:00-03:00 twice, so 4 hours.
    night = Calendar(time_zone="Europe/Warsaw", week=(parse_ranges("01:00-04:00"),) * 7)
    assert business_minutes_between(night, warsaw(2026, 10, 25, 0, 0), warsaw(2026, 10, 25, 12, 0)) == 4 * 60
    # and on 2026-03-29 02:00-03:00 never happens: 2 hours.
    assert business_minutes_between(night, warsaw(2026, 3, 29, 0, 0), warsaw(2026, 3, 29, 12, 0)) == 2 * 60


def test_outside_hours_the_count_starts_at_the_next_opening():
    assert add_business_minutes(OFFICE, warsaw(2026, 12, 5, 10, 0), 0) == warsaw(2026, 12, 7, 9, 0)  # a Saturday
    assert add_business_minutes(OFFICE, warsaw(2026, 12, 7, 8, 0), 30) == warsaw(2026, 12, 7, 9, 30)
    assert business_minutes_between(OFFICE, warsaw(2026, 12, 5, 10, 0), warsaw(2026, 12, 6, 10, 0)) == 0
    assert business_minutes_between(OFFICE, warsaw(2026, 12, 7, 12, 0), warsaw(2026, 12, 7, 11, 0)) == 0


def test_a_calendar_without_hours_counts_round_the_clock():
    always = Calendar(time_zone="Europe/Warsaw")
    assert add_business_minutes(always, utc(2026, 3, 28, 23, 0), 180) == utc(2026, 3, 29, 2, 0)
    assert business_minutes_between(always, utc(2026, 12, 4, 0, 0), utc(2026, 12, 7, 0, 0)) == 3 * 24 * 60


def test_ranges_are_read_and_written_back():
    assert format_ranges(parse_ranges(" 8:00-12:00; 13:00 - 24:00 ")) == "08:00-12:00, 13:00-24:00"
    assert parse_ranges("") == ()
    for bad in ["9-17", "17:00-09:00", "09:00-12:00, 11:00-14:00", "25:00-26:00", "09:00-24:30"]:
        with pytest.raises(ValueError):
            parse_ranges(bad)
