"""update_rows (core/rows.py): many rows, each with its own values, in one statement, as the
intake saves a batch's outcomes (here: three messages quarantined each for its own reason); and
insert_row and save_fields, which write what save() writes in statements written once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import signals
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from switchboard.core.rows import insert_row, save_fields, update_rows
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


def _row(raw: RawMessage) -> dict[str, object]:
    row = RawMessage.objects.filter(pk=raw.pk).values().get()
    return {name: value for name, value in row.items() if name not in {"id", "source_key", "received_at"}}


@pytest.mark.spec("MAIL-13")
@pytest.mark.django_db
def test_insert_row_and_save_fields_write_what_save_writes_in_one_statement_each():
    values = {"channel": "email", "data": b"\x00\xff bytes", "sender": "łódź@example.org", "reason": "it's"}
    saved = RawMessage.objects.create(source_key="saved", **values)
    with CaptureQueriesContext(connection) as queries:
        written = RawMessage(source_key="written", **values)
        insert_row(written)
    assert len(queries.captured_queries) == 1
    assert written.pk is not None and not written._state.adding
    assert _row(written) == _row(saved)
    when = timezone.now().replace(microsecond=654321)
    for raw in (saved, written):
        raw.state, raw.reason, raw.processed_at = RawMessage.State.APPLIED, "“done”", when
    saved.save(update_fields=["state", "reason", "processed_at"])
    with CaptureQueriesContext(connection) as queries:
        save_fields(written, ["state", "reason", "processed_at"])
    assert len(queries.captured_queries) == 1
    assert _row(written) == _row(saved)
    assert _row(written)["processed_at"] == when


@pytest.mark.django_db
def test_insert_row_saves_as_before_when_the_model_has_signal_receivers():
    told = []

    def receiver(sender: object, instance: RawMessage, created: bool, **kwargs: object) -> None:
        told.append((instance.source_key, created))

    signals.post_save.connect(receiver, sender=RawMessage, dispatch_uid="test-insert-row")
    try:
        raw = RawMessage(channel="email", source_key="told", data=b"x")
        insert_row(raw)
        raw.reason = "changed"
        save_fields(raw, ["reason"])
    finally:
        signals.post_save.disconnect(sender=RawMessage, dispatch_uid="test-insert-row")
    assert told == [("told", True), ("told", False)]
