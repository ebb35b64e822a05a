"""The interval poller (MAIL-01): every minute the scheduler's job checks the mailboxes whose
interval has passed since their last check, against a real Dovecot, on a clock the test sets."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from switchboard.mail.models import Mailbox
from switchboard.mail.tests.test_mailboxes import mail, tickets_of
from switchboard.testing.jobs import run_periodic_jobs

START = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)


def every_minute(clock: time_machine.Coordinates, minutes: int) -> None:
    """Let ``minutes`` minutes pass, the scheduler running the mailbox job at each."""
    for _minute in range(minutes):
        clock.shift(dt.timedelta(minutes=1))
        assert run_periodic_jobs("check_due_mailboxes") == ["check_due_mailboxes"]


@pytest.mark.spec("MAIL-01")
def test_a_mailbox_is_checked_when_its_interval_has_passed_and_not_before(dovecot, support_mailbox):
    support_mailbox.interval_seconds = 5 * 60
    support_mailbox.save()
    idle = dovecot.mailbox(support_mailbox.group, name="Idle", enabled=False)
    idle.password = "secret1"
    idle.save()
    with time_machine.travel(START, tick=False) as clock:
        every_minute(clock, 1)  # never checked: due at once
        assert Mailbox.objects.get(pk=support_mailbox.pk).last_checked_at == START + dt.timedelta(minutes=1)
        dovecot.deliver(mail("Maria Garcia <maria@example.org>", "Saturday shift"))

        every_minute(clock, 4)
        assert tickets_of("maria@example.org") == [], "four minutes after the last check: not due"
        assert len(dovecot.inbox()["unseen"]) == 1

        every_minute(clock, 1)
        assert len(tickets_of("maria@example.org")) == 1, "five minutes: checked"
        assert dovecot.inbox()["unseen"] == []
        assert Mailbox.objects.get(pk=idle.pk).last_checked_at is None, "a disabled mailbox is never checked"


@pytest.mark.spec("MAIL-01")
def test_a_mailbox_is_due_a_little_early_so_a_check_every_minute_keeps_its_interval(volunteers):
    checked = dt.datetime(2026, 5, 4, 8, 0, 2, tzinfo=dt.UTC)
    mailbox = Mailbox(group=volunteers, interval_seconds=60, last_checked_at=checked)
    assert mailbox.is_due(dt.datetime(2026, 5, 4, 8, 1, 0, tzinfo=dt.UTC)), "the next minute's job, 58 s later"
    assert not mailbox.is_due(dt.datetime(2026, 5, 4, 8, 0, 50, tzinfo=dt.UTC))
    assert Mailbox(group=volunteers, interval_seconds=60).is_due(checked), "never checked"
