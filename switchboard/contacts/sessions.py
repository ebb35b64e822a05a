"""Which contact is signed in to the customer portal (SELF-03), read from a session: a page's
(the portal's own) or a socket's (the live chat knows a signed-in visitor, SELF-04). A contact is
no Django user: the session holds the contact and the address they signed in with, under a key of
its own, beside (never instead of) an agent's sign-in. The contact stays signed in while that
address is still theirs (an agent who removes a wrong address from a contact ends that person's
sign-in)."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.selectors import resolve_merged

SESSION_KEY = "portal_contact"


@dataclass(frozen=True)
class SignIn:
    contact: Contact
    address: str  # the contact's address the sign-in link was sent to


def remember_sign_in(session: MutableMapping[str, Any], sign_in: SignIn) -> None:
    session[SESSION_KEY] = {"contact": sign_in.contact.pk, "address": sign_in.address}


def contact_signed_in(session: MutableMapping[str, Any] | None) -> SignIn | None:
    """The contact signed in to the portal in ``session``, if any (one query)."""
    data = session.get(SESSION_KEY) if session is not None else None
    if session is None or not isinstance(data, dict):
        return None
    point = (
        ContactPoint.objects.select_related("contact")
        .filter(kind=ContactPoint.Kind.EMAIL, value=data.get("address"), contact__erased_at__isnull=True)
        .first()
    )
    if point is None:
        return None
    contact_id = int(data.get("contact") or 0)
    if point.contact_id != contact_id:  # the contact was merged into the address's contact
        contact = Contact.objects.filter(pk=contact_id).first()
        if contact is None or resolve_merged(contact).pk != point.contact_id:
            return None
        remember_sign_in(session, SignIn(point.contact, point.value))
    return SignIn(point.contact, point.value)
