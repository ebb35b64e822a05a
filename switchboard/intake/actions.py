"""The outbox: messages are queued in the caller's transaction and sent by a job with retries
(ARCHITECTURE, reliability rules): a reply is never dropped, and never sent twice untraced."""

from __future__ import annotations

import smtplib
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from switchboard.intake import tasks
from switchboard.intake.models import OutboundMessage
from switchboard.intake.outbound import Outbound
from switchboard.mail.send import is_permanent_failure, send_email
from switchboard.tickets.models import Activity, Ticket

SENDERS: dict[str, Callable[[OutboundMessage], None]] = {"email": send_email}


class SendFailedError(Exception):
    """A temporary failure: the job is tried again."""


def do_queue_outbound(outbound: Outbound, *, ticket: Ticket | None, activity: Activity | None) -> OutboundMessage:
    """Put ``outbound`` in the outbox; its send job starts when the caller's transaction commits."""
    message = OutboundMessage.objects.create(
        ticket=ticket,
        activity=activity,
        channel=outbound.channel,
        from_address=outbound.from_address,
        to_address=outbound.to_address,
        cc=", ".join(outbound.cc),
        automatic=outbound.automatic,
        subject=outbound.subject,
        text=outbound.text,
        html=outbound.html,
        message_id=outbound.message_id,
        in_reply_to=outbound.in_reply_to,
        references=" ".join(outbound.references),
    )
    transaction.on_commit(lambda: tasks.send_outbound_message(message.pk))
    return message


def do_send_outbound_message(message_id: int, *, last_attempt: bool) -> OutboundMessage:
    """Send a queued message and record the outcome on it (the ticket's timeline shows it).

    The attempt is counted and committed before the message is handed over, so that a crash in
    between is visible. A temporary failure raises SendFailedError for the job to retry, unless
    this is the last attempt; a permanent one (5xx) is recorded as not sent at once.
    """
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().get(pk=message_id)
        if message.state != OutboundMessage.State.QUEUED:
            return message  # sent, or given up on: never again
        message.attempts += 1
        message.save(update_fields=["attempts", "updated_at"])
    try:
        SENDERS[message.channel](message)
    except (smtplib.SMTPException, OSError) as error:
        given_up = last_attempt or is_permanent_failure(error)
        message.state = OutboundMessage.State.FAILED if given_up else OutboundMessage.State.QUEUED
        message.last_error = str(error)[:2000] or error.__class__.__name__
        message.save(update_fields=["state", "last_error", "updated_at"])
        if not given_up:
            raise SendFailedError(message.last_error) from error
        return message
    message.state = OutboundMessage.State.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["state", "sent_at", "last_error", "updated_at"])
    return message
