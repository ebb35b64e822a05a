"""Dates read the same in Warsaw and in Dublin: English pages write the month's name, day first
("6 Dec 2026 14:05"), never the American 12/06/2026, which Europe reads as 12 June; Polish pages
keep dd.mm.rrrr. Machine-readable times (the timeline's ``datetime``) stay ISO 8601."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation
from django.utils.html import escape
from django.utils.timezone import localtime

from switchboard.core.templatetags.switchboard import _format_parts, relative_time
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


@pytest.mark.parametrize(("language", "zone"), [("en", "Europe/Dublin"), ("pl", "Europe/Warsaw")])
def test_a_lists_times_show_on_hover_as_djangos_date_format_writes_them(language, zone):
    """relative_time writes the exact time with the language's format split once: the same text as
    Django's date_format, around the clock and across summer time."""
    moments = [
        dt.datetime(2026, 3, 20, 23, 59, tzinfo=dt.UTC) + dt.timedelta(hours=7 * n, minutes=37 * n) for n in range(400)
    ]
    with translation.override(language), timezone.override(zone):
        for moment in moments:
            expected = escape(formats.date_format(localtime(moment), "DATETIME_FORMAT"))
            assert f'title="{expected}"' in relative_time(moment)


def test_a_date_formats_escaped_letters_stay_text():
    moment = localtime(MOMENT)
    for format_string in (r"\d\a\y j, \a\t H:i", r"j E Y \o H:i", "N j, Y, P", r"\\j"):
        parts = _format_parts(format_string)
        written = "".join(str(getattr(dateformat.DateFormat(moment), p)()) if code else p for code, p in parts)
        assert written == dateformat.format(moment, format_string)


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
