"""The queue report's jobs (PHONE-08) as the scheduler runs them, and two runs at once on
PostgreSQL: a missed report tells the managers once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import close_old_connections, transaction

from switchboard.intake.models import OutboundMessage
from switchboard.shift.models import QueueReport, Shift
from switchboard.shift.queue_reports import do_mark_missed_reports
from switchboard.testing.database import wait_for_blocked_connections
from switchboard.testing.jobs import run_periodic_jobs
from switchboard.tickets.models import Membership
from switchboard.tickets.tests.factories import make_agent

pytestmark = [pytest.mark.spec("PHONE-08"), pytest.mark.django_db(transaction=True)]

START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)  # a Sunday


@pytest.fixture
def call_center(volunteers, alice_agent):
    volunteers.queue_report_minutes = 30
    volunteers.save()
    make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    Shift.objects.create(agent=alice_agent, started_at=START)
    return volunteers


def test_the_minute_jobs_ask_for_the_report_then_mark_it_missed_and_sunday_sends_the_schedule(call_center):
    jobs = ["open_due_queue_reports", "mark_missed_queue_reports"]
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        assert sorted(run_periodic_jobs(*jobs)) == sorted(jobs)
    report = QueueReport.objects.get()
    assert report.notified_at is not None and report.missed_at is None
    with time_machine.travel(START + dt.timedelta(minutes=35), tick=False):
        run_periodic_jobs(*jobs)
    assert QueueReport.objects.get().missed_at is not None
    with time_machine.travel(START + dt.timedelta(hours=8), tick=False):  # Sunday 17:00
        assert run_periodic_jobs("send_queue_report_schedules") == ["send_queue_report_schedules"]
    assert OutboundMessage.objects.filter(subject__startswith="Queue report schedule").count() == 2


@pytest.mark.postgres_only
def test_two_runs_at_once_tell_the_managers_of_a_missed_report_once(call_center):
    report = QueueReport.objects.create(
        agent=Shift.objects.get().agent, group=call_center, due_at=START + dt.timedelta(minutes=30)
    )
    told: list[int] = []

    def run() -> None:
        try:
            with time_machine.travel(START + dt.timedelta(minutes=36), tick=False):
                told.append(do_mark_missed_reports())
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run) for _ in range(2)]
    with transaction.atomic():  # both have read the report as unmissed; the row is held until both wait
        QueueReport.objects.select_for_update().get(pk=report.pk)
        for thread in threads:
            thread.start()
        wait_for_blocked_connections(2)
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(told) == [0, 1]
    assert OutboundMessage.objects.filter(subject__startswith="Queue report missed").count() == 1
