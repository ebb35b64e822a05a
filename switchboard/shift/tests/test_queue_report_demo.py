"""The demo's queue reports (PHONE-08): the phone line reports every 30 minutes, a day so far with
one missed report and one outage answer, and Geoff's newest report still due."""

from __future__ import annotations

import pytest

from switchboard.shift.demo_queue_reports import load_queue_report_demo
from switchboard.shift.models import QueueReport
from switchboard.shift.queue_report_selectors import find_due_report
from switchboard.tickets.demo import load_demo_data


@pytest.mark.spec("PHONE-08")
@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_demo_has_a_day_of_reports_with_one_missed_and_one_outage(db, language):
    load_demo_data(language)
    load_queue_report_demo(language)
    load_queue_report_demo(language)  # once
    reports = QueueReport.objects.select_related("group", "agent")
    assert {report.group.queue_report_minutes for report in reports} == {30}
    assert reports.filter(missed_at__isnull=False).count() == 1
    assert reports.filter(outage=True, area__isnull=False).count() == 1
    geoff = reports.exclude(agent__username="anna").first().agent
    assert find_due_report(geoff) is not None
