"""Server time of the voice webhooks (PHONE-01, PHONE-06, PHONE-07): a call comes in (the menu),
the caller presses a digit (the group's voicemail policy), and the call ends unanswered (stored,
and a job queued that puts the missed call on the caller's ticket). Aim: under 50 ms each at 100k
tickets. The job is then run in-process and timed too (a worker's time, not the provider's wait).

    .venv/bin/switchboard seed-bench --tickets 100000          # once, into the database below
    .venv/bin/python bench/webhook.py [--runs 200]              # SQLite in $SWITCHBOARD_DATA_DIR
    DATABASE_URL=postgres://… .venv/bin/python bench/webhook.py # PostgreSQL

Each request goes in-process through Django's test client (middleware, the signature check,
storing the raw message and committing, the view and TwiML; no network), signed as the
provider signs it, from a seeded contact's number (so the caller is matched and their ticket
found). It adds a phone number with a menu of the two largest groups if there is none, and one
missed call per run to the callers' tickets. Prints the median and p95 milliseconds per webhook
and for the job.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from huey.contrib.djhuey import HUEY  # noqa: E402

from switchboard.contacts.models import ContactPoint  # noqa: E402
from switchboard.intake.models import RawMessage  # noqa: E402
from switchboard.phone.models import MenuEntry, PhoneNumber  # noqa: E402
from switchboard.testing.twilio_api import post_signed  # noqa: E402
from switchboard.tickets.models import Group, Ticket  # noqa: E402

ACCOUNT_SID = "AC" + "be" * 16
AUTH_TOKEN = "bench-auth-token"  # noqa: S105 - the bench number's, in the bench database only
OUR_NUMBER = "+15415550100"


def bench_number() -> PhoneNumber:
    number = PhoneNumber.objects.filter(number=OUR_NUMBER).first()
    if number is not None:
        return number
    groups = list(Group.objects.annotate(size=Count("tickets")).order_by("-size")[:2])
    if not groups:
        raise SystemExit("No groups: run `switchboard seed-bench --tickets 100000` first.")
    number = PhoneNumber(number=OUR_NUMBER, account_sid=ACCOUNT_SID, default_group=groups[0])
    number.auth_token = AUTH_TOKEN
    number.save()
    for digit, group in enumerate(groups, start=1):
        MenuEntry.objects.create(number=number, digit=str(digit), group=group)
    return number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    bench_number()
    callers = list(
        ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE)
        .order_by("?")
        .values_list("value", flat=True)[: args.runs + 1]
    )
    if not callers:
        raise SystemExit("No contacts with phone numbers: run `switchboard seed-bench` first.")
    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()
    HUEY.immediate = False  # the webhook queues the job; this process then runs it as a worker would
    HUEY.flush()
    names = ["call comes in (menu)", "digit pressed", "call ended (stored)", "missed call applied (job)"]
    timings: dict[str, list[float]] = {name: [] for name in names}
    for run in range(args.runs + 1):  # the first warms caches and connections
        caller, call_sid = callers[run % len(callers)], "CA" + secrets.token_hex(16)
        base = {"AccountSid": ACCOUNT_SID, "CallSid": call_sid, "From": caller, "To": OUR_NUMBER}
        steps = [
            ("call comes in (menu)", "/phone/voice/", {**base, "CallStatus": "ringing"}),
            ("digit pressed", "/phone/voice/menu/?attempt=1", {**base, "CallStatus": "in-progress", "Digits": "2"}),
            ("call ended (stored)", "/phone/voice/status/", {**base, "CallStatus": "completed", "CallDuration": "4"}),
        ]
        for name, path, params in steps:
            started = time.perf_counter()
            response = post_signed(client, path, params, auth_token=AUTH_TOKEN)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (path, response.status_code)
            if run:
                timings[name].append(elapsed)
        task = HUEY.dequeue()
        assert task is not None and task.name.endswith("apply_raw_messages"), task
        started = time.perf_counter()
        HUEY.execute(task)
        elapsed = (time.perf_counter() - started) * 1000
        ended = RawMessage.objects.get(channel="voice", source_key=f"status:{call_sid}")
        assert ended.state == RawMessage.State.APPLIED and ended.activity_id is not None, (ended.state, ended.reason)
        if run:
            timings["missed call applied (job)"].append(elapsed)
        HUEY.flush()  # the notifications of new tickets it queued: sent by a worker, not timed here

    print(f"database: {connection.vendor}; tickets: {Ticket.objects.count():,}; runs: {args.runs}")
    for name, values in timings.items():
        values.sort()
        p95 = values[max(int(len(values) * 0.95) - 1, 0)]
        print(f"{name:24} median {statistics.median(values):6.1f} ms   p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
