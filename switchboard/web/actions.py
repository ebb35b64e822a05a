"""What a post of a group's web form writes (SELF-01): its record (for the limits and the
administration's counts) and, when accepted, the message through the one intake pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from switchboard.contacts.actions import do_add_phone_if_free
from switchboard.contacts.models import ContactPoint
from switchboard.intake.models import RawMessage
from switchboard.tickets.models import Group
from switchboard.web.channel import WebMessage, receive_web_message
from switchboard.web.models import FormPost
from switchboard.web.spam import hashed, limit_refusal


@dataclass(frozen=True)
class Visitor:
    """Where a post came from: its IP address (hashed when stored) and its browser."""

    ip: str
    client: str = ""


def do_record_refused_post(group: Group, *, refusal: FormPost.Refusal, visitor: Visitor, email: str = "") -> FormPost:
    return FormPost.objects.create(group=group, refusal=refusal, ip_hash=hashed(visitor.ip), address_hash=hashed(email))


def do_claim_form_post(group: Group, *, visitor: Visitor, email: str) -> FormPost.Refusal | None:
    """Count a post that passed every other check, then see whether it is within the limits of
    posts an hour; if not, it is recorded as refused, and why. The post is committed before the
    counting, so two posts at once (in two web processes) each count the other: at the limit one
    or both are refused, never both let through."""
    post = FormPost.objects.create(group=group, ip_hash=hashed(visitor.ip), address_hash=hashed(email))
    refusal = limit_refusal(post)
    if refusal is not None:
        FormPost.objects.filter(pk=post.pk).update(refusal=refusal)
    return refusal


def do_send_web_form(group: Group, message: WebMessage, *, phone: str = "") -> RawMessage:
    """Store the message and put it on its ticket through the intake pipeline, as every
    channel's. A phone number (E.164) someone typed proves nothing: it is in the message's text
    already, and becomes the contact's number only when this post made the contact (the address
    was nobody's) and no one else has the number."""
    known = ContactPoint.objects.filter(kind=ContactPoint.Kind.EMAIL, value=message.email).exists()
    raw = receive_web_message(group, message)
    if phone and not known and raw.ticket is not None and raw.ticket.contact is not None:
        do_add_phone_if_free(raw.ticket.contact, number=phone, acting_user=None)
    return raw


# Posts are kept so long: the limits need an hour; the administration's counts, some weeks.
KEEP_POSTS = timedelta(days=90)


def do_delete_old_form_posts() -> int:
    """Forget the posts older than KEEP_POSTS; how many were deleted."""
    deleted, _by_model = FormPost.objects.filter(created_at__lt=timezone.now() - KEEP_POSTS).delete()
    return deleted
