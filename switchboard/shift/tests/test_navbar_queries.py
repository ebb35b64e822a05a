"""What the shift adds to every page (the clock, the phone state, the due queue report, the
banners) costs the same queries after a day or after months of shifts, reports and banners."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from switchboard.shift.broadcasts import BroadcastDraft, do_clear_broadcast, do_post_broadcast
from switchboard.shift.clock import do_clock_in, do_clock_out, do_end_break, do_start_break
from switchboard.shift.queue_reports import do_open_due_reports
from switchboard.tickets.models import Membership
from switchboard.tickets.tests.factories import make_agent, make_ticket
from switchboard.tickets.todos import do_add_todo


@pytest.mark.spec("AGENT-05", "PHONE-08", "ADMIN-05", "AGENT-01")
def test_home_and_a_list_cost_the_same_queries_after_one_day_or_months_of_shifts(client, volunteers, alice_agent):
    volunteers.queue_report_minutes = 30
    volunteers.save()
    anna = make_agent("anna", "AN", groups=[volunteers], role=Membership.Role.MANAGER)
    for n in range(3):
        do_add_todo(text=f"To-do {n}", ticket=make_ticket(volunteers), acting_user=alice_agent)
    start = timezone.now() - dt.timedelta(days=200)

    def work_days(first: int, last: int) -> None:
        for day in range(first, last):
            morning = start + dt.timedelta(days=day)
            do_clock_in(acting_user=alice_agent, now=morning)
            do_start_break(reason="lunch", acting_user=alice_agent, now=morning + dt.timedelta(hours=4))
            do_end_break(acting_user=alice_agent, now=morning + dt.timedelta(hours=4, minutes=30))
            do_open_due_reports(now=morning + dt.timedelta(hours=2, minutes=1))
            do_clock_out(acting_user=alice_agent, now=morning + dt.timedelta(hours=8))
            banner = do_post_broadcast(BroadcastDraft(text=f"Node {day} down"), groups=[volunteers], acting_user=anna)
            do_clear_broadcast(banner, acting_user=anna)

    def queries() -> list[int]:
        counts = []
        for url in (reverse("home"), reverse("open_tickets", args=[volunteers.slug])):
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            counts.append(len(context.captured_queries))
        return counts

    def on_shift_with_a_due_report_and_a_banner() -> str:
        do_clock_in(acting_user=alice_agent, now=timezone.now() - dt.timedelta(minutes=31))
        do_open_due_reports()
        do_start_break(reason="short", acting_user=alice_agent)
        do_post_broadcast(BroadcastDraft(text="Kraków node down"), groups=[volunteers], acting_user=anna)
        return client.get(reverse("home")).content.decode()

    client.force_login(alice_agent)
    work_days(0, 1)
    html = on_shift_with_a_due_report_and_a_banner()
    assert 'data-clock-pill="break"' in html and "Kraków node down" in html and 'data-queue-report="' in html
    small = queries()

    do_end_break(acting_user=alice_agent)
    do_clock_out(acting_user=alice_agent)
    work_days(1, 120)
    on_shift_with_a_due_report_and_a_banner()
    assert queries() == small


@pytest.mark.spec("AGENT-05")
def test_the_navbar_clock_costs_one_query_off_on_shift_and_on_a_break(client, volunteers, alice_agent):
    client.force_login(alice_agent)
    url = reverse("open_tickets", args=[volunteers.slug])

    def clock_queries() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as context:
            html = client.get(url).content.decode()
        pill = html.split("data-clock-pill=")[1].split(" ")[0].strip('"')
        clock = ('SELECT "shift_shift"', 'SELECT "shift_break"')  # not the queue report's, which joins shifts
        return pill, sum(query["sql"].startswith(clock) for query in context.captured_queries)

    assert clock_queries() == ("off", 1)
    do_clock_in(acting_user=alice_agent)
    assert clock_queries() == ("on", 1)
    do_start_break(reason="lunch", acting_user=alice_agent)
    assert clock_queries() == ("break", 1)
    assert "On a break (Lunch) since" in client.get(url).content.decode()
