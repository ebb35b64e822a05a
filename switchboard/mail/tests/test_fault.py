"""The fault test of MAIL-13: a process ingesting 200 messages from IMAP is killed with SIGKILL six
times, each at a point the database shows (so many messages stored, or applied), and started
again; in the end every message is on exactly one ticket activity."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter

import pytest
from django.conf import settings

from switchboard.intake.models import RawMessage
from switchboard.mail.tests.test_mailboxes import mail
from switchboard.testing.processes import shared_database_url, switchboard_command
from switchboard.tickets.models import Activity, ActivityKind

MESSAGES = 200
# Where each run is killed: once the database shows this many messages stored (mid-way through
# applying a batch), or applied to tickets (mid-way through fetching or acknowledging the next).
KILL_POINTS = [("stored", 9), ("applied", 25), ("stored", 47), ("applied", 70), ("stored", 101), ("applied", 130)]


def messages(step: str) -> int:
    rows = RawMessage.objects.all()
    return rows.filter(state=RawMessage.State.APPLIED).count() if step == "applied" else rows.count()


def kill_when(step: str, count: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """SIGKILL ``process`` once ``count`` messages are ``step``; it must not have finished first."""
    deadline = time.monotonic() + timeout
    while messages(step) < count:
        assert process.poll() is None, f"check-mail ended ({process.returncode}) before {count} were {step}"
        assert time.monotonic() < deadline, f"not {count} {step} within {timeout} s"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.spec("MAIL-13")
@pytest.mark.django_db(transaction=True)
def test_killing_the_ingesting_process_mid_way_six_times_loses_and_duplicates_nothing(
    dovecot, support_mailbox, tmp_path
):
    ids = [f"<fault-{n}@client.example>" for n in range(MESSAGES)]
    for n, message_id in enumerate(ids):
        sender = f"Person {n % 70} <p{n % 70}@example.org>"  # replies to open tickets as well as new ones
        dovecot.deliver(mail(sender, f"Question {n}", f"Message number {n}", message_id=message_id))
    env = {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "SWITCHBOARD_DATA_DIR": str(settings.DATA_DIR),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "MAILBOX_FETCH_BATCH": "20",  # many small steps: many places to be killed in
        "INTAKE_BATCH_SIZE": "7",
    }
    command = [switchboard_command(), "check-mail"]
    log = (tmp_path / "check-mail.log").open("w")
    for step, count in KILL_POINTS:
        kill_when(step, count, subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))
    assert dovecot.inbox()["unseen"], "messages were left for the last run"
    assert subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False).returncode == 0
    log.close()

    on_tickets = Counter(
        Activity.objects.filter(kind=ActivityKind.EMAIL_IN, message_id__in=ids).values_list("message_id", flat=True)
    )
    assert set(on_tickets) == set(ids), f"missing: {sorted(set(ids) - set(on_tickets))[:5]}"
    assert max(on_tickets.values()) == 1, "none twice"
    assert RawMessage.objects.filter(state=RawMessage.State.STORED).count() == 0
    assert dovecot.inbox()["unseen"] == []
