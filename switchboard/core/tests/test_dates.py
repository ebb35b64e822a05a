"""Dates read the same in Warsaw and in Dublin: English pages write the month's name, day first
("6 Dec 2026 14:05"), never the American 12/06/2026, which Europe reads as 12 June; Polish pages
keep dd.mm.rrrr. Machine-readable times (the timeline's ``datetime``) stay ISO 8601."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats, translation
from django.utils.timezone import localtime

from switchboard.tickets.tests.factories import make_ticket

MOMENT = dt.datetime(2026, 12, 6, 14, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("en", ("6 Dec 2026", "6 Dec 2026 14:05"), ("6 Dec 2026", "6 Dec 2026 14:05")),
        ("pl", ("06.12.2026", "06.12.2026 14:05"), ("6 grudnia 2026", "6 grudnia 2026 14:05")),
    ],
)
def test_dates_are_written_day_first_in_each_language(language, short, long):
    with translation.override(language):
        assert formats.date_format(MOMENT.date(), "SHORT_DATE_FORMAT") == short[0]
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == short[1]
        assert formats.date_format(MOMENT.date(), "DATE_FORMAT") == long[0]
        assert formats.date_format(MOMENT, "DATETIME_FORMAT") == long[1]
        assert formats.time_format(MOMENT, "TIME_FORMAT") == "14:05"


def test_the_ticket_page_in_english_dates_its_timeline_day_first(client, volunteers, alice_agent):
    with time_machine.travel(MOMENT, tick=False):
        ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert 'datetime="2026-12-06T14:05:00+00:00" title="6 Dec 2026 14:05"' in page
    assert "12/06/2026" not in page and "Dec. 6, 2026" not in page


@pytest.mark.parametrize(
    "typed", ["2026-12-06", "06/12/2026", "6/12/26", "6 Dec 2026", "6 December 2026", "06.12.2026"]
)
def test_a_date_typed_in_english_is_read_day_first(typed):
    from switchboard.audit.views import AuditFilterForm

    with translation.override("en"):
        form = AuditFilterForm({"since": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["since"] == dt.date(2026, 12, 6)


def test_a_due_time_typed_in_english_is_read_day_first_and_a_month_13_is_refused():
    from switchboard.tickets.todo_forms import TodoForm

    with translation.override("en"):
        typed = TodoForm({"text": "Call Maria back", "due_at": "06/12/2026 14:05"})
        american = TodoForm({"text": "Call Maria back", "due_at": "12/13/2026 14:05"})
        assert typed.is_valid(), typed.errors
        assert not american.is_valid()
    assert localtime(typed.cleaned_data["due_at"]).strftime("%Y-%m-%d %H:%M") == "2026-12-06 14:05"
    assert american.errors["due_at"] == ["Enter a valid date/time."]
