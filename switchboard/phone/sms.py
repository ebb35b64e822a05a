"""Text messages (PHONE-04, PHONE-05): an agent's SMS to a contact through the outbox, its
delivery by the provider and the provider's reports of it, and the contact's STOP and START.

Nothing is sent to a number that answered STOP: the composer refuses it, and so does delivery
when the STOP came in while the message waited in the outbox."""

from __future__ import annotations

import logging
import mimetypes

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Case, When
from django.urls import reverse
from django.utils.translation import gettext as _

from switchboard.contacts.actions import do_record_sms_opt_in, do_record_sms_opt_out
from switchboard.contacts.models import ContactPoint
from switchboard.intake.actions import do_queue_outbound
from switchboard.intake.delivery import DeliveryError
from switchboard.intake.models import OutboundMessage, RawMessage
from switchboard.intake.outbound import Outbound, new_message_id
from switchboard.phone.models import PhoneNumber, SmsDelivery
from switchboard.phone.provider import ProviderError, provider_for
from switchboard.tickets import search
from switchboard.tickets.actions import lock_ticket
from switchboard.tickets.files import do_attach_file, do_record_file_fetch
from switchboard.tickets.messages import save_answered
from switchboard.tickets.models import Activity, ActivityKind, Group, SearchEntry, Ticket
from switchboard.tickets.placeholders import find_placeholders
from switchboard.tickets.realtime import publish_ticket_changed_on_commit

log = logging.getLogger(__name__)

MAX_MEDIA_BYTES = 5 * 1024 * 1024  # the provider's limit of an MMS
MAX_SMS_LENGTH = 1600  # the provider's limit: ten segments of GSM-7
# The provider's keywords (Twilio's defaults); the provider itself also stops its messages.
MAX_MEDIA = 10  # the provider's limit of photos in one MMS
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "YES", "UNSTOP"})


class SmsError(Exception):
    """Why a text message cannot be sent, in words for the agent."""


def find_sms_number(group: Group) -> PhoneNumber | None:
    """The number a group's texts go out from: the enabled number whose default group it is,
    else the first enabled one; None when the installation has none (CC-08)."""
    its_own = Case(When(default_group=group, then=0), default=1)  # one query: the ticket page asks on each view
    return PhoneNumber.objects.filter(enabled=True).order_by(its_own, "number").first()


def opted_out_reason() -> str:
    return _("This number answered STOP: nothing is sent to it by SMS until it answers START.")


@transaction.atomic
def do_send_sms_to_contact(ticket: Ticket, *, to_number: str, text: str, acting_user: User) -> Activity:
    """Send the contact a text message (PHONE-05): on the timeline and in the outbox in this
    transaction, and the ticket waits for the contact, as after an email reply. Refused, with
    the reason, for a closed ticket, an empty text, one still holding a canned response's
    [placeholders], a number that is not the contact's, or one that opted out."""
    ticket = lock_ticket(ticket, acting_user)
    if not ticket.is_open:
        raise SmsError(_("Reopen the ticket to reply."))
    text = text.strip()
    if not text:
        raise SmsError(_("Write a message first."))
    if len(text) > MAX_SMS_LENGTH:
        raise SmsError(_("A text message holds at most %(count)s characters.") % {"count": MAX_SMS_LENGTH})
    if placeholders := find_placeholders(text):
        raise SmsError(
            _("Replace the placeholders before sending: %(placeholders)s") % {"placeholders": ", ".join(placeholders)}
        )
    point = ContactPoint.objects.filter(
        contact=ticket.contact_id, kind=ContactPoint.Kind.PHONE, value=to_number
    ).first()
    if ticket.contact_id is None or point is None:
        raise SmsError(_("Choose one of the contact's mobile numbers."))
    if point.sms_opted_out:
        raise SmsError(opted_out_reason())
    number = find_sms_number(ticket.group)
    if number is None:
        raise SmsError(_("No phone number is set up for text messages."))
    message = Activity.objects.create(
        ticket=ticket,
        kind=ActivityKind.SMS_OUT,
        actor=acting_user,
        body=text,
        from_address=number.number,
        to_address=point.value,
    )
    search.add_text(ticket_id=ticket.pk, source=SearchEntry.Source.ACTIVITY, source_id=message.pk, text=text)
    outbound = Outbound(
        channel="sms",
        from_address=number.number,
        to_address=point.value,
        subject="",
        text=text,
        html="",
        message_id=new_message_id(ticket),
        in_reply_to="",
        references=[],
    )
    do_queue_outbound(outbound, ticket=ticket, activity=message)
    save_answered(ticket, reply=message, acting_user=acting_user)
    return message


def deliver_sms(message: OutboundMessage) -> None:
    """The "sms" channel's sender: hand one outbox row to the provider, with the address its
    reports of the message go to. Raises DeliveryError: for good when the number opted out
    meanwhile or our number is gone; otherwise the outbox tries again."""
    if ContactPoint.objects.filter(
        kind=ContactPoint.Kind.PHONE, value=message.to_address, sms_opted_out_at__isnull=False
    ).exists():
        raise DeliveryError(opted_out_reason(), failure=OutboundMessage.Failure.REFUSED)
    number = PhoneNumber.objects.filter(number=message.from_address, enabled=True).first()
    if number is None:
        raise DeliveryError(
            _("Our number %(number)s is no longer set up.") % {"number": message.from_address},
            failure=OutboundMessage.Failure.GAVE_UP,
        )
    callback = settings.SITE_URL + reverse("sms_status")
    try:
        sid = provider_for(number).send_sms(message.from_address, message.to_address, message.text, callback)
    except ProviderError as error:
        raise DeliveryError(str(error), failure=None) from error
    SmsDelivery.objects.update_or_create(outbound=message, defaults={"sid": sid, "status": SmsDelivery.Status.QUEUED})


@transaction.atomic
def do_record_sms_status(sid: str, *, status: str, error_code: str = "") -> SmsDelivery | None:
    """What the provider reports of a text we sent (PHONE-05): queued, sent, delivered, or
    failed with its error. Reports may come out of order; a later stage is never undone."""
    delivery = SmsDelivery.objects.select_for_update().select_related("outbound").filter(sid=sid).first()
    if delivery is None or status not in SmsDelivery.Status.values:
        log.info("SMS status %r for unknown message %s ignored", status, sid)
        return None
    if SmsDelivery.stage(status) < SmsDelivery.stage(delivery.status):
        return delivery
    delivery.status = status
    delivery.error_code = error_code[:10]
    delivery.save(update_fields=["status", "error_code", "updated_at"])
    if (ticket := delivery.outbound.ticket) is not None:
        publish_ticket_changed_on_commit(ticket, actor_id=None)
    return delivery


def do_apply_sms_keyword(sender: str, body: str) -> ContactPoint | None:
    """STOP and START (PHONE-04): a text that is only one of the provider's keywords records the
    number's opt-out or opt-in. Returns the contact's number it changed, if any."""
    word = body.strip().upper()
    if word in STOP_WORDS:
        return do_record_sms_opt_out(sender)
    if word in START_WORDS:
        return do_record_sms_opt_in(sender)
    return None


def media_urls(parameters: dict[str, str]) -> list[str]:
    """The addresses of an MMS's photos at the provider: MediaUrl0 … MediaUrl{NumMedia-1}."""
    try:
        count = min(int(parameters.get("NumMedia", "0")), MAX_MEDIA)
    except ValueError:
        count = 0
    return [url for index in range(count) if (url := parameters.get(f"MediaUrl{index}", ""))]


def do_attach_sms_media(raw: RawMessage, *, urls: list[str], to_number: str) -> int:
    """Fetch an MMS's photos from the provider and attach them, with thumbnails, to the
    message's entry on the timeline (PHONE-04). A photo already attached by an earlier attempt
    is not fetched again. Raises ProviderError when one cannot be fetched (the job retries);
    returns how many were attached."""
    if raw.activity is None or not urls:
        return 0
    number = PhoneNumber.objects.filter(number=to_number).first()
    if number is None:
        raise ProviderError(f"Our number {to_number} is no longer set up.")
    provider = provider_for(number)
    attached = set(raw.activity.attachments.values_list("filename", flat=True))
    added = 0
    for position, url in enumerate(urls, start=1):
        if any(name.startswith(f"photo-{position}.") or name == f"photo-{position}" for name in attached):
            continue
        content, content_type = provider.fetch(url)
        if len(content) > MAX_MEDIA_BYTES:
            log.warning("MMS media %s of %s is larger than %s bytes: not kept", url, raw, MAX_MEDIA_BYTES)
            continue
        filename = f"photo-{position}{mimetypes.guess_extension(content_type) or ''}"
        with transaction.atomic():
            do_attach_file(raw.activity, filename=filename, content_type=content_type, content=content)
        added += 1
    do_record_file_fetch(raw.activity, fetched=True)
    if added:
        publish_ticket_changed_on_commit(raw.activity.ticket, actor_id=None)
    return added
