"""The outbox, and the group's templates of what it sends (MAIL-08).

The outbox: messages are queued in the caller's transaction and sent by a job with retries
(ARCHITECTURE, reliability rules): a reply is never dropped, and never sent twice untraced."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.intake import tasks
from switchboard.intake.channels import get_channel
from switchboard.intake.delivery import DeliveryError
from switchboard.intake.message_templates import unknown_tags
from switchboard.intake.models import MessageTemplate, OutboundMessage, RawMessage, TemplateKind
from switchboard.intake.outbound import Outbound
from switchboard.tickets.models import Activity, Attachment, Group, Ticket
from switchboard.tickets.permissions import can_manage

logger = logging.getLogger(__name__)


class SendFailedError(Exception):
    """A temporary failure: the job is tried again."""


def do_queue_outbound(
    outbound: Outbound,
    *,
    ticket: Ticket | None,
    activity: Activity | None,
    not_before: dt.datetime | None = None,
    attachments: Sequence[Attachment] = (),
) -> OutboundMessage:
    """Put ``outbound`` in the outbox; its send job starts when the caller's transaction commits,
    or at ``not_before``: until then the message may be withdrawn (Undo). The row refers to the
    stored ``attachments``, which every attempt sends (CORE-16)."""
    message = OutboundMessage.objects.create(
        ticket=ticket,
        activity=activity,
        channel=outbound.channel,
        from_address=outbound.from_address,
        to_address=outbound.to_address,
        cc=", ".join(outbound.cc),
        reply_to=outbound.reply_to,
        automatic=outbound.automatic,
        subject=outbound.subject,
        text=outbound.text,
        html=outbound.html,
        message_id=outbound.message_id,
        in_reply_to=outbound.in_reply_to,
        references=" ".join(outbound.references),
        not_before=not_before,
    )
    if attachments:
        message.attachments.set(attachments)
    transaction.on_commit(lambda: _start_sending(message))
    return message


def _start_sending(message: OutboundMessage) -> None:
    if message.not_before is not None and message.not_before > timezone.now():
        tasks.send_outbound_message.schedule((message.pk,), eta=message.not_before)
    else:
        tasks.send_outbound_message(message.pk)


@transaction.atomic
def do_withdraw_outbound(activity: Activity) -> bool:
    """Take back the message of ``activity`` while it is still held in the outbox (Undo);
    whether it was. A message already handed over, or past its hold, is not."""
    message = OutboundMessage.objects.select_for_update().filter(activity=activity).first()
    held = message is not None and message.not_before is not None and message.not_before > timezone.now()
    if message is None or not held or message.state != OutboundMessage.State.QUEUED or message.attempts:
        return False
    message.state = OutboundMessage.State.WITHDRAWN
    message.save(update_fields=["state", "updated_at"])
    return True


# A message left at its source (too large to fetch) is recorded under its own key and this suffix:
# its own key stays free for fetching it whole once the limit allows.
UNFETCHED = ":too-large"


def do_store_unfetched_message(  # noqa: PLR0913
    channel: str, source_key: str, *, headers: bytes, group: Group, reason: str, sender: str, message_id: str
) -> RawMessage:
    """The record of a message left at its source (too large to fetch): its headers, quarantined
    with the reason, for administrators to see (MAIL-13). Stored once per message."""
    message, _created = RawMessage.objects.get_or_create(
        channel=channel,
        source_key=source_key + UNFETCHED,
        defaults={
            "data": headers,
            "group": group,
            "state": RawMessage.State.QUARANTINED,
            "reason": reason,
            "sender": sender[:254],
            "message_id": message_id[:998],
            "processed_at": timezone.now(),
        },
    )
    return message


def do_send_outbound_message(message_id: int, *, last_attempt: bool) -> OutboundMessage:
    """Send a queued message and record the outcome on it (the ticket's timeline shows it).

    The attempt is counted and committed before the message is handed over, so that a crash in
    between is visible. A temporary failure raises SendFailedError for the job to retry, unless
    this is the last attempt; one that can never succeed (a 5xx answer, a header email does not
    allow) is recorded as not sent at once, with why.
    """
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().get(pk=message_id)
        if message.state != OutboundMessage.State.QUEUED:
            return message  # sent, withdrawn or given up on: never again
        if message.not_before is not None and message.not_before > timezone.now():
            transaction.on_commit(lambda: _start_sending(message))  # early (a clock apart): at its time
            return message
        message.attempts += 1
        message.save(update_fields=["attempts", "updated_at"])
    try:
        _deliver(message)
    except DeliveryError as error:
        failure = error.failure or (OutboundMessage.Failure.GAVE_UP if last_attempt else None)
        message.state = OutboundMessage.State.FAILED if failure else OutboundMessage.State.QUEUED
        message.failure = failure or ""
        message.last_error = error.detail[:2000]
        message.save(update_fields=["state", "failure", "last_error", "updated_at"])
        if failure is None:
            raise SendFailedError(message.last_error) from error
        logger.warning("Outbound message %s to %s not sent (%s): %s", message.pk, message.to_address, failure, error)
        return message
    message.state = OutboundMessage.State.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["state", "sent_at", "last_error", "updated_at"])
    return message


def _deliver(message: OutboundMessage) -> None:
    """Hand ``message`` to its channel's registered sender; raises DeliveryError."""
    deliver = get_channel(message.channel).deliver
    if deliver is None:
        raise DeliveryError(
            f"No sender is registered for the {message.channel} channel.", failure=OutboundMessage.Failure.GAVE_UP
        )
    deliver(message)


class TemplateError(ValueError):
    """A template that cannot be saved, with the reason in words for the manager."""


# The group setting that switches each kind of notice on; the reply is always sent and an
# escalation notice is chosen at each escalation.
NOTICE_SWITCHES = {TemplateKind.AUTORESPONSE: "autoresponder", TemplateKind.RESOLUTION: "resolution_notice"}


@transaction.atomic
def do_save_message_template(  # noqa: PLR0913
    group: Group, *, kind: str, subject: str, body: str, send: bool | None = None, acting_user: User
) -> MessageTemplate:
    """Save the group's wording of ``kind`` (MAIL-08), managers only; a tag the template cannot
    fill in is refused with its name. ``send`` switches the acknowledgement or the resolution
    notice on or off."""
    if not can_manage(acting_user, group):
        raise PermissionDenied(_("Only the group's managers edit its templates."))
    subject, body = " ".join(subject.split()), body.strip()
    if not body:
        raise TemplateError(_("A template needs a text."))
    if unknown := unknown_tags(f"{subject}\n{body}", kind):
        raise TemplateError(
            _("These tags are unknown here: %(tags)s. Use the tags listed beside the text.")
            % {"tags": ", ".join(unknown)}
        )
    template, _created = MessageTemplate.objects.update_or_create(
        group=group, kind=kind, defaults={"subject": subject, "body": body}
    )
    if send is not None and (switch := NOTICE_SWITCHES.get(TemplateKind(kind))):
        setattr(group, switch, send)
        group.save(update_fields=[switch, "updated_at"])
    return template


@transaction.atomic
def do_restore_default_template(group: Group, *, kind: str, acting_user: User) -> None:
    """Go back to the built-in wording of ``kind``."""
    if not can_manage(acting_user, group):
        raise PermissionDenied(_("Only the group's managers edit its templates."))
    MessageTemplate.objects.filter(group=group, kind=kind).delete()
