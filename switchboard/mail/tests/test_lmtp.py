"""Push delivery over LMTP: 250 only for the groups' addresses, and only once stored."""

from __future__ import annotations

import smtplib

import pytest

from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import RawItem, do_store_raw_messages
from switchboard.mail.lmtp import start_lmtp
from switchboard.mail.tests.test_mailboxes import mail
from switchboard.testing.processes import free_port
from switchboard.tickets.models import ActivityKind, Ticket


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
