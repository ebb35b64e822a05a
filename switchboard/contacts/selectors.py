"""Reads of contacts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from switchboard.contacts import search
from switchboard.contacts.models import Consent, ConsentPurpose, Contact, ContactPoint
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


@dataclass(frozen=True)
class ConsentState:
    """A purpose, the contact's current answer to it (None: never asked) and its whole history, newest first."""

    purpose: ConsentPurpose
    history: list[Consent]

    @property
    def current(self) -> Consent | None:
        return self.history[0] if self.history else None

    @property
    def given(self) -> bool:
        return self.current is not None and self.current.given


def list_consent_states(contact: Contact) -> list[ConsentState]:
    """Every purpose the contact answered, and every active one, with the history of each (two queries)."""
    records = list(
        Consent.objects.filter(contact=contact).select_related("purpose", "recorded_by").order_by("-recorded_at", "-id")
    )
    by_purpose: dict[int, list[Consent]] = {}
    for record in records:
        by_purpose.setdefault(record.purpose_id, []).append(record)
    purposes = {purpose.pk: purpose for purpose in ConsentPurpose.objects.filter(active=True)}
    purposes.update({record.purpose_id: record.purpose for record in records})
    ordered = sorted(purposes.values(), key=lambda purpose: (purpose.position, purpose.name))
    return [ConsentState(purpose, by_purpose.get(purpose.pk, [])) for purpose in ordered]


def resolve_merged(contact: Contact) -> Contact:
    """The contact a merged one now lives on (CC-01): follows the chain of merges."""
    seen = {contact.pk}
    while contact.merged_into_id is not None and contact.merged_into_id not in seen:
        seen.add(contact.merged_into_id)
        contact = Contact.objects.get(pk=contact.merged_into_id)
    return contact


def search_contacts(query: str, *, limit: int, offset: int = 0) -> list[Contact]:
    """The contacts that ``query`` finds (CC-01: by name, company, email or phone number typed
    any way, accents or not, each word as the beginning of one of theirs), newest first, with
    their points (primary first) prefetched. An empty query lists every contact (never a merged or
    erased one, nor does a search find them); a query without
    letters or digits finds none. Two queries, whatever the data."""
    contacts = Contact.objects.filter(merged_into__isnull=True, erased_at__isnull=True)
    if query.strip():
        terms = search.Terms.parse(query)
        if not terms:
            return []
        contacts = contacts.filter(id__in=search.matching_contact_ids(terms, limit=limit, offset=offset))
        offset = 0  # the subquery skipped them
    points = ContactPoint.objects.order_by("-is_primary", "kind", "id")
    found = contacts.order_by("-id").prefetch_related(Prefetch("points", queryset=points))
    return list(found[offset : offset + limit])
