"""Reads of contacts."""

from __future__ import annotations

from django.db.models import Prefetch

from switchboard.contacts import search
from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.points import is_mobile_number


def find_contact_by_point(kind: ContactPoint.Kind, value: str) -> Contact | None:
    """The contact who owns this normalised email address or phone number, if any."""
    point = ContactPoint.objects.select_related("contact").filter(kind=kind, value=value).first()
    return point.contact if point else None


def primary_email_of(contact: Contact | None) -> str:
    """The address replies go to: the primary email, else the first one known, else ""."""
    if contact is None:
        return ""
    emails = ContactPoint.objects.filter(contact=contact, kind=ContactPoint.Kind.EMAIL)
    return emails.order_by("-is_primary", "id").values_list("value", flat=True).first() or ""


def list_mobile_numbers(contact: Contact | None) -> list[ContactPoint]:
    """The contact's numbers that can take a text message (CC-08, PHONE-05), primary first;
    opted-out ones included, for the composer to show why they cannot be chosen."""
    if contact is None:
        return []
    phones = ContactPoint.objects.filter(contact=contact, kind=ContactPoint.Kind.PHONE).order_by("-is_primary", "id")
    return [point for point in phones if is_mobile_number(point.value)]


def search_contacts(query: str, *, limit: int, offset: int = 0) -> list[Contact]:
    """The contacts that ``query`` finds (CC-01: by name, company, email or phone number typed
    any way, accents or not, each word as the beginning of one of theirs), newest first, with
    their points (primary first) prefetched. An empty query lists every contact; a query without
    letters or digits finds none. Two queries, whatever the data."""
    contacts = Contact.objects.all()
    if query.strip():
        terms = search.Terms.parse(query)
        if not terms:
            return []
        contacts = contacts.filter(id__in=search.matching_contact_ids(terms, limit=limit, offset=offset))
        offset = 0  # the subquery skipped them
    points = ContactPoint.objects.order_by("-is_primary", "kind", "id")
    found = contacts.order_by("-id").prefetch_related(Prefetch("points", queryset=points))
    return list(found[offset : offset + limit])
