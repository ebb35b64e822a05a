"""Inbound mail throughput: N generated messages from a local Dovecot mailbox into tickets.

    .venv/bin/python bench/ingest.py [-n 5000]                                   # SQLite, fresh
    DATABASE_URL=postgres://…/ingest .venv/bin/python bench/ingest.py [-n 5000]  # PostgreSQL (emptied)

Needs Dovecot (make setup-test installs it). The messages come from bench/gen_mail.py (a copy of
the generator peers were measured with: Polish UTF-8, plain/HTML/attachments, 30 % replies to
200 existing tickets, by token and half also by In-Reply-To). They are put into a throwaway
Dovecot's INBOX first (not timed); then one `check_mailbox` run is timed: IMAP fetch, store,
parse, threading, tickets, attachments, marking read. Prints messages per second, and the peak
memory (max RSS) of the process and of its largest child (a check of more than one batch parses
in a second process), and this process's CPU time per message: the writer's, which bounds the
rate, and the figure that holds on a machine busy with other work.
"""

from __future__ import annotations

import argparse
import imaplib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SWITCHBOARD_DATA_DIR", tempfile.mkdtemp(prefix="switchboard-ingest-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from switchboard.contacts.actions import do_create_contact  # noqa: E402
from switchboard.contacts.models import Contact  # noqa: E402
from switchboard.intake.models import RawMessage  # noqa: E402
from switchboard.mail.fetch import check_mailbox  # noqa: E402
from switchboard.mail.models import Mailbox  # noqa: E402
from switchboard.testing.dovecot import start_dovecot, stop_dovecot  # noqa: E402
from switchboard.tickets.actions import do_create_group, do_create_ticket  # noqa: E402
from switchboard.tickets.models import Activity, ActivityKind, Ticket, TicketSource  # noqa: E402
from switchboard.tickets.numbers import SEQUENCE  # noqa: E402

REPLY_TARGETS = 200


def prepare_database() -> Mailbox:
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
        with connection.cursor() as cursor:  # the seeded tickets are #1-#200 again: the replies' tokens name them
            cursor.execute(f"ALTER SEQUENCE {SEQUENCE} RESTART")
    group = do_create_group("Support", acting_user=None)
    for number in range(REPLY_TARGETS):  # the tickets that replies answer, with their first message
        contact = do_create_contact(
            kind=Contact.Kind.PERSON, first_name="Seed", last_name=str(number), emails=[f"seed{number}@example.pl"],
            acting_user=None,
        )  # fmt: skip
        ticket = do_create_ticket(group, contact=contact, source=TicketSource.EMAIL, acting_user=None)
        Activity.objects.create(
            ticket=ticket, kind=ActivityKind.EMAIL_IN, body="seed", message_id=f"<seed-{ticket.number}@bench.test>"
        )
    return Mailbox(name="Bench", group=group, host="127.0.0.1", security=Mailbox.Security.NONE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    mailbox = prepare_database()
    work = Path(tempfile.mkdtemp(prefix="switchboard-ingest-mail-"))
    subprocess.run(  # noqa: S603 - our own generator
        [sys.executable, str(ROOT / "bench" / "gen_mail.py"), "--out", str(work / "mail"), "--manifest",
         str(work / "manifest.jsonl"), "-n", str(args.n), "--reply-ids", f"1-{REPLY_TARGETS}",
         "--to", "support@example.test", "--seed", str(args.seed)],
        check=True,
    )  # fmt: skip
    dovecot = start_dovecot()
    try:
        imap = dovecot.imap()
        files = sorted((work / "mail").iterdir())
        size = 0
        for path in files:
            data = path.read_bytes()
            size += len(data)
            imap.append("INBOX", "", imaplib.Time2Internaldate(time.time()), data)
        imap.logout()
        mailbox.port, mailbox.username = dovecot.imap_port, "support@example.test"
        mailbox.password = "secret1"  # noqa: S105 - the throwaway Dovecot's test user
        mailbox.save()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started, cpu_started = time.perf_counter(), time.process_time()
        report = check_mailbox(mailbox)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        stop_dovecot(dovecot)

    applied = RawMessage.objects.filter(state=RawMessage.State.APPLIED).count()
    new_tickets = Ticket.objects.count() - REPLY_TARGETS
    print(f"database: {connection.vendor}; messages: {len(files):,} ({size / 1e6:.1f} MB)")
    print(
        f"stored {report.stored:,}, on tickets {applied:,} ({new_tickets:,} new), marked read {report.acknowledged:,}"
    )
    print(f"time {elapsed:.1f} s: {report.stored / elapsed:.0f} messages/s")
    print(  # what counts on a busy machine: the writing process's CPU, not the wall clock
        f"CPU of this process (IMAP, storing, applying to tickets; not the parsing process): "
        f"{cpu:.1f} s, {cpu * 1000 / max(report.stored, 1):.2f} ms/message"
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB (before the run: {rss_before:.0f} MB)")
    print(f"largest child process (the parsing process, or the generator): {children:.0f} MB")


if __name__ == "__main__":
    main()
