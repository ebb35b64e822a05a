"""update_rows (core/rows.py): many rows, each with its own values, in one statement, as the
intake saves a batch's outcomes (here: three messages quarantined each for its own reason)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from switchboard.core.rows import update_rows
from switchboard.intake.models import RawMessage


@pytest.mark.spec("MAIL-13")
@pytest.mark.django_db
def test_three_outcomes_each_its_own_are_saved_in_one_statement():
    raws = [RawMessage.objects.create(channel="email", source_key=f"k{n}", data=b"x") for n in range(3)]
    when = timezone.now().replace(microsecond=123456)
    for n, raw in enumerate(raws):
        raw.state, raw.reason = RawMessage.State.QUARANTINED, f"Reason {n}: “łódź”, it's 'quoted'"
        raw.sender, raw.processed_at = f"p{n}@example.org", when + dt.timedelta(minutes=n)
    raws[1].reason, raws[2].processed_at = "", None

    with CaptureQueriesContext(connection) as queries:
        update_rows(raws, ["state", "reason", "sender", "processed_at", "ticket", "activity"])

    assert len(queries.captured_queries) == 1
    saved = {raw.source_key: raw for raw in RawMessage.objects.all()}
    assert [saved[f"k{n}"].reason for n in range(3)] == [
        "Reason 0: “łódź”, it's 'quoted'",
        "",
        "Reason 2: “łódź”, it's 'quoted'",
    ]
    assert [saved[f"k{n}"].processed_at for n in range(3)] == [when, when + dt.timedelta(minutes=1), None]
    assert {raw.state for raw in saved.values()} == {RawMessage.State.QUARANTINED}
    assert [saved[f"k{n}"].sender for n in range(3)] == ["p0@example.org", "p1@example.org", "p2@example.org"]
    assert all(raw.ticket_id is None and raw.activity_id is None for raw in saved.values())
