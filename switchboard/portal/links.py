"""Links a contact follows from our mail to read a ticket's conversation and download its files,
without an account: the ticket is named by a signed token that expires (CONTACT_LINK_DAYS).

The token holds the ticket's ``portal_key`` too (SELF-03): a new key, given when the ticket is
merged or its contact changes, revokes every link sent before. Links sent before tickets had
keys name the ticket alone; they match the key "" that such tickets keep until a change."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from switchboard.tickets.models import Attachment, Ticket

SALT = "switchboard.portal.ticket"


class LinkExpiredError(Exception):
    """A genuine link past its age; ``ticket_id`` says which ticket it was for."""

    def __init__(self, ticket_id: int) -> None:
        super().__init__(ticket_id)
        self.ticket_id = ticket_id


class LinkRevokedError(Exception):
    """A genuine link to a ticket that was merged or given to another contact since."""


def ticket_token(ticket: Ticket) -> str:
    return signing.dumps([ticket.pk, ticket.portal_key], salt=SALT)


def _parts(value: object) -> tuple[int, str]:
    if isinstance(value, list) and len(value) == 2:  # noqa: PLR2004 -- [ticket id, key]
        return int(value[0]), str(value[1])
    return int(str(value)), ""  # a link from before the keys


def ticket_from(token: str) -> Ticket:
    """The ticket a token names, with its group and status. Raises ``signing.BadSignature`` for
    a forged or damaged token or a ticket that is gone, ``LinkRevokedError`` for a link whose
    key is no longer the ticket's and ``LinkExpiredError`` for an old one."""
    try:
        value = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=settings.CONTACT_LINK_DAYS))
        expired = False
    except signing.SignatureExpired:
        value, expired = signing.loads(token, salt=SALT), True
    try:
        ticket_id, key = _parts(value)
    except (TypeError, ValueError):
        raise signing.BadSignature from None
    ticket = Ticket.objects.select_related("group", "status").filter(pk=ticket_id).first()
    if ticket is None:
        raise signing.BadSignature
    if not constant_time_compare(key, ticket.portal_key):
        raise LinkRevokedError
    if expired:
        raise LinkExpiredError(ticket_id)
    return ticket


def ticket_url(ticket: Ticket) -> str:
    return settings.SITE_URL + reverse("portal_ticket", args=[ticket_token(ticket)])


def file_url(attachment: Attachment, *, token: str) -> str:
    return settings.SITE_URL + reverse("portal_file", args=[token, attachment.pk])
