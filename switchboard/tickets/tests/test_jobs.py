"""Jobs: immediate mode in unit tests; here, a real `switchboard worker` process takes a job
that this process enqueued (SqliteHuey by default, RedisHuey when REDIS_URL is set)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess

import pytest
from django.conf import settings
from django.utils import timezone

from switchboard.testing.processes import shared_database_url, switchboard_command
from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.models import Ticket
from switchboard.tickets.tasks import (
    assign_waiting_tickets,
    end_wrap_up,
    purge_expired_tickets,
    purge_expired_tickets_daily,
)
from switchboard.tickets.tests.factories import make_ticket


def expired_ticket(group):
    group.retention_days = 7
    group.save()
    ticket = do_close_ticket(make_ticket(group), acting_user=None)
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - dt.timedelta(days=8))
    return ticket


def test_the_nightly_retention_job_deletes_expired_tickets_in_immediate_mode(volunteers):
    ticket = expired_ticket(volunteers)
    purge_expired_tickets_daily()
    assert not Ticket.objects.filter(pk=ticket.pk).exists()


@pytest.mark.spec("ROUTE-03")
def test_the_routing_and_wrap_up_jobs_leave_nothing_in_the_job_store(volunteers, alice_agent):
    """They run every minute and after each wrap-up; a value nobody reads back would stay in Redis
    (or the jobs' SQLite file) for good."""
    make_ticket(volunteers)
    settings.HUEY.storage.flush_results()
    assign_waiting_tickets(volunteers.pk)
    end_wrap_up(alice_agent.pk)
    assert settings.HUEY.result_count() == 0


@pytest.fixture
def worker(tmp_path):
    """A `switchboard worker` process on the test database and this process's job queue."""
    env = {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "SWITCHBOARD_DATA_DIR": str(settings.DATA_DIR),
        "SCHEDULER": "0",
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen([switchboard_command(), "worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
    yield process
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_here_is_run_by_a_worker_process(volunteers, worker, settings):
    ticket = expired_ticket(volunteers)
    settings.HUEY.immediate = False
    try:
        result = purge_expired_tickets(volunteers.pk)
        deleted = result.get(blocking=True, timeout=60)
    finally:
        settings.HUEY.immediate = True
    assert deleted == 1
    assert not Ticket.objects.filter(pk=ticket.pk).exists()
    assert worker.poll() is None, "the worker keeps running"
