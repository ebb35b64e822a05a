"""Dates read the same in Warsaw and in Dublin: English pages write the month's name, day first
("6 Dec 2026 14:05"), never the American 12/06/2026, which Europe reads as 12 June; Polish pages
keep dd.mm.rrrr. Machine-readable times (the timeline's ``datetime``) stay ISO 8601."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats, translation

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
