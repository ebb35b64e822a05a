"""Push delivery over LMTP: 250 only for the groups' addresses, and only once stored."""

from __future__ import annotations

import smtplib
import threading

import pytest
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext

from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import RawItem, do_store_raw_messages
from switchboard.intake.tasks import apply_raw_messages
from switchboard.mail.lmtp import start_lmtp
from switchboard.mail.tests.test_mailboxes import mail, tickets_of
from switchboard.testing.processes import free_port
from switchboard.tickets.models import Activity, ActivityKind, Group, Ticket


@pytest.fixture
def lmtp_server():
    port = free_port()
    controller = start_lmtp("127.0.0.1", port)
    yield port
    controller.stop()


@pytest.mark.spec("MAIL-01", "MAIL-13")
@pytest.mark.django_db(transaction=True)
def test_the_mail_server_pushes_a_message_that_becomes_a_ticket_once(volunteers, lmtp_server):
    volunteers.reply_address = "volunteers@foodbank.example"
    volunteers.save()
    message = mail(to="volunteers@foodbank.example").replace(b"\n", b"\r\n")  # as mail servers send it
    with smtplib.LMTP("127.0.0.1", lmtp_server) as client:
        refused = client.sendmail(
            "maria@example.org", ["volunteers+t99@foodbank.example", "nobody@foodbank.example"], message
        )
    assert list(refused) == ["nobody@foodbank.example"] and refused["nobody@foodbank.example"][0] == 550
    raw = RawMessage.objects.get()
    assert bytes(raw.data) == message and raw.state == RawMessage.State.APPLIED
    (ticket,) = Ticket.objects.filter(group=volunteers)
    assert ticket.activities.filter(kind=ActivityKind.EMAIL_IN, body="Can I help on Saturday?").exists()

    with smtplib.LMTP("127.0.0.1", lmtp_server) as client:  # the answer was lost: it comes again
        assert client.sendmail("maria@example.org", ["volunteers@foodbank.example"], message) == {}
    assert RawMessage.objects.count() == 1 and Ticket.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_mail_for_an_address_of_no_group_is_refused_at_once(volunteers, lmtp_server):
    with smtplib.LMTP("127.0.0.1", lmtp_server) as client, pytest.raises(smtplib.SMTPRecipientsRefused):
        client.sendmail("x@example.org", ["stranger@elsewhere.example"], mail())
    assert not RawMessage.objects.exists()


@pytest.mark.spec("MAIL-13")
def test_a_stored_message_whose_job_was_lost_is_applied_by_the_minutely_job(volunteers):
    import datetime as dt

    from django.utils import timezone

    from switchboard.intake.pipeline import RawItem, do_store_raw_messages
    from switchboard.intake.tasks import apply_forgotten_messages

    (raw,) = do_store_raw_messages([RawItem("email", "lmtp:lost", mail(), volunteers)])
    apply_forgotten_messages.call_local()
    raw.refresh_from_db()
    assert raw.state == RawMessage.State.STORED  # a fresh one may still have its job coming
    RawMessage.objects.filter(pk=raw.pk).update(received_at=timezone.now() - dt.timedelta(minutes=5))
    apply_forgotten_messages.call_local()
    raw.refresh_from_db()
    assert raw.state == RawMessage.State.APPLIED and raw.ticket.group == volunteers


@pytest.mark.spec("MAIL-01", "MAIL-13")
@pytest.mark.django_db(transaction=True)
def test_a_message_over_the_size_limit_is_refused_so_the_mail_server_keeps_or_returns_it(volunteers, settings):
    settings.MAX_INBOUND_MESSAGE_BYTES = 100_000
    volunteers.reply_address = "volunteers@foodbank.example"
    volunteers.save()
    port = free_port()
    controller = start_lmtp("127.0.0.1", port)  # the limit is read when the listener starts
    try:
        large = mail(to="volunteers@foodbank.example", body="a scanned line\n" * 15_000).replace(b"\n", b"\r\n")
        with smtplib.LMTP("127.0.0.1", port) as client, pytest.raises(smtplib.SMTPResponseException) as refused:
            client.sendmail("maria@example.org", ["volunteers@foodbank.example"], large)
    finally:
        controller.stop()
    assert refused.value.smtp_code == 552
    assert not RawMessage.objects.exists()


def store_pushed(group: Group, count: int) -> list[RawMessage]:
    """``count`` messages from different people, stored as the LMTP server stores them (their jobs
    not run yet: a deep queue)."""
    items = [
        RawItem("email", f"lmtp:{n}", mail(f"Person {n} <person{n}@example.org>", body=f"Shift {n}?"), group)
        for n in range(count)
    ]
    return do_store_raw_messages(items)


@pytest.mark.spec("MAIL-01", "MAIL-13")
def test_a_job_applies_the_messages_waiting_with_its_own_in_one_batch_and_each_only_once(volunteers):
    stored = store_pushed(volunteers, 5)
    (form,) = do_store_raw_messages([RawItem("web", "form-1", b"not mail", volunteers)])  # another channel's

    with CaptureQueriesContext(connection) as first_job:
        apply_raw_messages.call_local([stored[2].pk])

    blocked_sender_reads = [query for query in first_job.captured_queries if '"intake_blockedsender"' in query["sql"]]
    assert len(blocked_sender_reads) == 1, "five messages, one batch: what it checks against is read once"
    for n in range(5):
        (ticket,) = tickets_of(f"person{n}@example.org")
        assert list(ticket.activities.filter(kind=ActivityKind.EMAIL_IN).values_list("body", flat=True)) == [
            f"Shift {n}?"
        ]
    assert set(RawMessage.objects.filter(channel="email").values_list("state", flat=True)) == {"applied"}
    form.refresh_from_db()
    assert form.state == RawMessage.State.STORED, "a web form's message is its own request's to apply"

    for raw in stored:  # their own jobs come: nothing left to do, nothing written twice
        with CaptureQueriesContext(connection) as later_job:
            apply_raw_messages.call_local([raw.pk])
        assert not [query for query in later_job.captured_queries if query["sql"].startswith(("INSERT", "UPDATE"))]
    assert Activity.objects.filter(kind=ActivityKind.EMAIL_IN).count() == 5 and Ticket.objects.count() == 5


@pytest.mark.spec("MAIL-13")
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_job_leaves_the_messages_another_job_is_applying_and_does_not_wait_for_them(volunteers):
    held = store_pushed(volunteers, 2)
    mine = store_pushed(volunteers, 4)  # the two after them: the first two are stored already
    outcome: list[str] = []

    def job() -> None:
        try:
            apply_raw_messages.call_local([mine[0].pk])
            outcome.append("done")
        finally:
            close_old_connections()

    thread = threading.Thread(target=job)
    with transaction.atomic():  # another job's batch holds the two older messages
        list(RawMessage.objects.select_for_update().filter(pk__in=[raw.pk for raw in held]))
        thread.start()
        thread.join(timeout=20)
        waited = thread.is_alive()
    thread.join(timeout=60)

    assert not waited and outcome == ["done"], "the job took what no other job held, without waiting"
    states = dict(RawMessage.objects.values_list("pk", "state"))
    assert [states[raw.pk] for raw in mine] == ["applied", "applied"]
    assert [states[raw.pk] for raw in held] == ["stored", "stored"], "left to the job that holds them"
