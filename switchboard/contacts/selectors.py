"""Reads of contacts."""

from __future__ import annotations

from switchboard.contacts.models import Contact, ContactPoint


def find_contact_by_point(kind: ContactPoint.Kind, value: str) -> Contact | None:
    """The contact who owns this normalised email address or phone number, if any."""
    point = ContactPoint.objects.select_related("contact").filter(kind=kind, value=value).first()
    return point.contact if point else None
