"""The fault test of MAIL-13: a process ingesting 200 messages from IMAP is killed with SIGKILL at
random moments and started again; in the end every message is on exactly one ticket activity."""

from __future__ import annotations

import os
import random
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


@pytest.mark.spec("MAIL-13")
@pytest.mark.django_db(transaction=True)
def test_killing_the_ingesting_process_at_random_points_loses_and_duplicates_nothing(
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
    chance = random.Random(20261123)  # noqa: S311 - repeatable moments, not secrets
    kills = 0
    log = (tmp_path / "check-mail.log").open("w")
    for _round in range(40):
        stored_before = RawMessage.objects.count()
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while process.poll() is None and RawMessage.objects.count() == stored_before and time.monotonic() < deadline:
            time.sleep(0.01)  # until it has stored a batch: from here on it is mid-way
        time.sleep(chance.uniform(0, 0.2))  # applying it, fetching the next one or acknowledging
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        if not dovecot.inbox()["unseen"]:
            break
    assert subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False).returncode == 0
    log.close()

    assert kills >= 4, f"the process was killed mid-way several times, not {kills}"
    on_tickets = Counter(
        Activity.objects.filter(kind=ActivityKind.EMAIL_IN, message_id__in=ids).values_list("message_id", flat=True)
    )
    assert set(on_tickets) == set(ids), f"missing: {sorted(set(ids) - set(on_tickets))[:5]}"
    assert max(on_tickets.values()) == 1, "none twice"
    assert RawMessage.objects.filter(state=RawMessage.State.STORED).count() == 0
    assert dovecot.inbox()["unseen"] == []
