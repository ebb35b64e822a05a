"""Links a contact follows from our mail to read a ticket's conversation and download its files,
without an account: the ticket is named by a signed token that expires (CONTACT_LINK_DAYS)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse

from switchboard.tickets.models import Attachment, Ticket

SALT = "switchboard.portal.ticket"


class LinkExpiredError(Exception):
    """A genuine link past its age; ``ticket_id`` says which ticket it was for."""

    def __init__(self, ticket_id: int) -> None:
        super().__init__(ticket_id)
        self.ticket_id = ticket_id


def ticket_token(ticket: Ticket) -> str:
    return signing.dumps(ticket.pk, salt=SALT)


def ticket_id_from(token: str) -> int:
    """The ticket a token names. Raises ``signing.BadSignature`` for a forged or damaged token
    and ``LinkExpiredError`` for an old one."""
    try:
        value = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=settings.CONTACT_LINK_DAYS))
    except signing.SignatureExpired:
        raise LinkExpiredError(int(signing.loads(token, salt=SALT))) from None
    return int(value)


def ticket_url(ticket: Ticket) -> str:
    return settings.SITE_URL + reverse("portal_ticket", args=[ticket_token(ticket)])


def file_url(attachment: Attachment, *, token: str) -> str:
    return settings.SITE_URL + reverse("portal_file", args=[token, attachment.pk])
