"""Administrators add mailboxes, test them, and deal with quarantined messages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from switchboard.intake.models import BlockedSender, RawMessage
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.mail.models import Mailbox
from switchboard.tickets.models import Ticket

UNREADABLE = (
    b"From: Odd <odd@example.com>\r\nSubject: ?\r\nMessage-ID: <odd@example.com>\r\n"
    b"Content-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\xff\xfe\r\n"
)


@pytest.mark.spec("MAIL-01")
def test_an_administrator_adds_a_mailbox_and_tests_its_connection(client, dave_admin, volunteers, dovecot):
    client.force_login(dave_admin)
    response = client.post(
        reverse("admin:mail_mailbox_add"),
        {
            "name": "Support",
            "group": volunteers.pk,
            "enabled": "on",
            "protocol": "imap",
            "host": dovecot.host,
            "port": dovecot.imap_port,
            "security": "none",
            "username": "support@example.test",
            "auth_method": "password",
            "new_password": "secret1",
            "folder": "INBOX",
            "after_fetch": "seen",
            "interval_seconds": 60,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mailbox = Mailbox.objects.get()
    assert mailbox.password == "secret1" and "secret1" not in mailbox.password_encrypted
    page = client.post(
        reverse("admin:mail_mailbox_changelist"),
        {"action": "test_connection", "_selected_action": [mailbox.pk]},
        follow=True,
    ).content.decode()
    assert "Connected to 127.0.0.1 as support@example.test: 0 messages in INBOX" in page


@pytest.mark.spec("MAIL-13")
def test_a_quarantined_message_is_shown_and_can_be_retried_or_discarded(client, dave_admin, volunteers):
    (raw,) = do_store_raw_messages([RawItem("email", "test:1", UNREADABLE, volunteers)])
    do_apply_raw_messages([raw])
    raw.refresh_from_db()
    assert raw.state == RawMessage.State.QUARANTINED and "x-unknown" in raw.reason
    client.force_login(dave_admin)
    listing = client.get(reverse("admin:intake_rawmessage_changelist"), {"state": "quarantined"}).content.decode()
    assert "odd@example.com" in listing and "x-unknown" in listing

    changelist = reverse("admin:intake_rawmessage_changelist")
    client.post(changelist, {"action": "retry", "_selected_action": [raw.pk]})
    raw.refresh_from_db()
    assert raw.state == RawMessage.State.QUARANTINED and not Ticket.objects.exists()  # still unreadable
    client.post(changelist, {"action": "discard", "_selected_action": [raw.pk]})
    raw.refresh_from_db()
    assert raw.state == RawMessage.State.DROPPED and "dave" in raw.reason and bytes(raw.data) == UNREADABLE


@pytest.mark.spec("MAIL-10")
def test_a_blocked_sender_with_a_broken_pattern_is_refused_with_the_reason(client, dave_admin):
    client.force_login(dave_admin)
    page = client.post(
        reverse("admin:intake_blockedsender_add"), {"sender": "@spam.example", "subject_pattern": "(unclosed"}
    ).content.decode()
    assert "Not a valid pattern" in page and not BlockedSender.objects.exists()
