"""The customer portal's sign-in by an emailed link (SELF-03), with no passwords.

A contact types their email address. If it is one of a contact's addresses, a link that signs in
once, within PORTAL_LINK_MINUTES, is sent through the outbox; the page says the same whether or
not it is, and requests are limited per address and per IP address. The link carries a random
token; only its digest is stored, so the table gives no one a way in."""

from __future__ import annotations

import datetime as dt
import secrets
from email.utils import make_msgid

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.sessions import SignIn
from switchboard.core.secrets import keyed_hash
from switchboard.intake.actions import do_queue_outbound
from switchboard.intake.message_templates import GREETING_WITHOUT_NAME
from switchboard.intake.outbound import Outbound
from switchboard.portal.models import SignInRequest

KEPT_FOR = dt.timedelta(days=1)  # requests older than this count for no limit


class SignInLinkError(Exception):
    """A sign-in link that does not sign in; the message says why, for the visitor."""


def _digest(value: str) -> str:
    return keyed_hash(value, purpose="switchboard.portal.sign-in")


def _limited(address_digest: str, ip: str | None, now: dt.datetime) -> bool:
    hour = SignInRequest.objects.filter(requested_at__gte=now - dt.timedelta(hours=1))
    if hour.filter(address_digest=address_digest).count() >= settings.PORTAL_SIGN_IN_LIMIT:
        return True
    return ip is not None and hour.filter(ip=ip).count() >= settings.PORTAL_SIGN_IN_LIMIT_PER_IP


def sign_in_mail(contact: Contact, *, address: str, link: str) -> Outbound:
    """The email with the link, in the active language."""
    minutes = settings.PORTAL_LINK_MINUTES
    name = contact.greeting_name if translation.get_language() not in GREETING_WITHOUT_NAME else ""
    greeting = _("Hello %(name)s,") % {"name": name} if name else _("Hello,")
    text = "\n\n".join(
        [
            greeting,
            _("Here is your link to sign in to our customer portal. It works once, within %(minutes)s minutes:")
            % {"minutes": minutes},
            link,
            _("If you did not ask for it, you can ignore this email: nobody can sign in without the link."),
        ]
    )
    return Outbound(
        channel="email",
        from_address=settings.DEFAULT_FROM_EMAIL,
        to_address=address,
        subject=_("Your sign-in link"),
        text=text,
        html="",
        message_id=make_msgid(idstring="portal", domain=settings.MESSAGE_ID_DOMAIN),
        in_reply_to="",
        references=[],
    )


def _new_link(point: ContactPoint, *, now: dt.datetime, ip: str | None) -> str:
    """Store a sign-in request for the contact's address; returns the link's token."""
    token = secrets.token_urlsafe(32)
    SignInRequest.objects.create(
        requested_at=now,
        address_digest=_digest(point.value),
        ip=ip,
        point=point,
        token_digest=_digest(token),
    )
    return token


def sign_in_url(token: str) -> str:
    return settings.SITE_URL + reverse("portal_sign_in_link", args=[token])


@transaction.atomic
def do_create_sign_in_link(point: ContactPoint) -> str:
    """A sign-in link for a contact's email address, not sent: for tests and the screenshots."""
    return sign_in_url(_new_link(point, now=timezone.now(), ip=None))


@transaction.atomic
def do_request_sign_in_link(address: str, *, ip: str | None, language: str) -> bool:
    """Email a sign-in link to ``address`` if it is a contact's, in the contact's language (else
    ``language``, the visitor's). False when the request is over a limit: nothing is sent."""
    now = timezone.now()
    address = address.strip().lower()
    SignInRequest.objects.filter(requested_at__lt=now - KEPT_FOR).delete()
    address_digest = _digest(address)
    if _limited(address_digest, ip, now):
        return False
    point = (
        ContactPoint.objects.select_related("contact")
        .filter(kind=ContactPoint.Kind.EMAIL, value=address, contact__erased_at__isnull=True)
        .first()
    )
    if point is None:  # counted for the limits all the same
        SignInRequest.objects.create(requested_at=now, address_digest=address_digest, ip=ip)
        return True
    link = sign_in_url(_new_link(point, now=now, ip=ip))
    with translation.override(point.contact.language or language):
        do_queue_outbound(sign_in_mail(point.contact, address=address, link=link), ticket=None, activity=None)
    return True


def _usable(token: str, *, lock: bool) -> SignInRequest:
    requests = SignInRequest.objects.select_related("point__contact").exclude(token_digest="")
    if lock:
        requests = requests.select_for_update(of=("self",))
    request = requests.filter(token_digest=_digest(token)).first()
    if request is None or request.point is None or request.point.contact.erased_at is not None:
        raise SignInLinkError(_("This sign-in link is not valid. Ask for a new one below."))
    if request.used_at is not None:
        raise SignInLinkError(
            _("This sign-in link was already used: each link signs in once. Ask for a new one below.")
        )
    if request.requested_at + dt.timedelta(minutes=settings.PORTAL_LINK_MINUTES) < timezone.now():
        raise SignInLinkError(_("This sign-in link has expired. Ask for a new one below."))
    return request


def check_sign_in_link(token: str) -> None:
    """Raises ``SignInLinkError`` unless the link would sign in now (it is not used by looking)."""
    _usable(token, lock=False)


@transaction.atomic
def do_use_sign_in_link(token: str) -> SignIn:
    """The contact the link signs in, once; ``SignInLinkError`` for an unknown, used or expired link."""
    request = _usable(token, lock=True)
    request.used_at = timezone.now()
    request.save(update_fields=["used_at"])
    assert request.point is not None  # _usable checked
    return SignIn(request.point.contact, request.point.value)
