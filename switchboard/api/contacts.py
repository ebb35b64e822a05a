"""Contacts over the API (API-01). Agents see and edit every contact, as on the pages (CC-01);
merging asks what the contact pages ask (administrators, or managers of every group the
contacts have tickets in)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer

from switchboard.api.auth import user_of
from switchboard.api.errors import COMMON_ERRORS, WRITE_ERRORS, ApiError, not_found
from switchboard.api.schemas import ContactIn, ContactMergeIn, ContactOut, ContactUpdateIn, PointIn
from switchboard.contacts.actions import ContactDetails, PointInput, do_add_contact, do_update_contact
from switchboard.contacts.models import Contact
from switchboard.contacts.selectors import search_contacts
from switchboard.tickets.contact_merge import check_can_merge, conflict_pairs, do_merge_contacts, list_merge_conflicts
from switchboard.tickets.permissions import is_agent

router = Router(tags=["contacts"])

MAX_INT = 2**63 - 1


class ContactQuery(Schema):
    q: str = Field("", max_length=200, description="Name, company, email or phone number; empty: every contact.")
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000)


def _ensure_agent(request: HttpRequest) -> None:
    if not is_agent(user_of(request)):
        raise ApiError(403, "forbidden", _("Only agents see contacts."))


def _contact(request: HttpRequest, contact_id: int) -> Contact:
    _ensure_agent(request)
    contact = (
        Contact.objects.filter(pk=contact_id, merged_into__isnull=True, erased_at__isnull=True)
        .prefetch_related("points")
        .first()
        if 0 < contact_id <= MAX_INT
        else None
    )
    if contact is None:
        raise not_found()
    return contact


def _points(points: list[PointIn], contact: Contact | None) -> list[PointInput]:
    """The points as sent; one the contact already has keeps its row (and its history)."""
    known = {(point.kind, point.value): point.pk for point in contact.points.all()} if contact else {}
    return [
        PointInput(kind=p.kind, value=p.value, label=p.label, is_primary=p.is_primary, id=known.get((p.kind, p.value)))
        for p in points
    ]


@router.get("/contacts", response={200: list[ContactOut], **COMMON_ERRORS}, summary="Search contacts")
def list_contacts(request: HttpRequest, query: Query[ContactQuery]) -> list[Contact]:
    _ensure_agent(request)
    return search_contacts(query.q, limit=query.limit, offset=query.offset)


@router.post("/contacts", response={201: ContactOut, **WRITE_ERRORS}, summary="Create a contact")
def create_contact(request: HttpRequest, data: ContactIn) -> Answer[Contact]:
    _ensure_agent(request)
    details = ContactDetails(
        first_name=data.first_name,
        last_name=data.last_name,
        company_name=data.company_name,
        points=_points(data.points, None),
        street=data.street,
        postcode=data.postcode,
        city=data.city,
        country=data.country,
        language=data.language,
    )
    contact = do_add_contact(Contact.Kind(data.kind), details=details, acting_user=user_of(request))
    return Answer(201, _contact(request, contact.pk))


@router.get("/contacts/{contact_id}", response={200: ContactOut, **COMMON_ERRORS}, summary="Read a contact")
def read_contact(request: HttpRequest, contact_id: int) -> Contact:
    return _contact(request, contact_id)


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **WRITE_ERRORS}, summary="Update a contact")
def update_contact(request: HttpRequest, contact_id: int, data: ContactUpdateIn) -> Contact:
    """Only the fields sent change; ``points``, when sent, are the contact's points from now on."""
    contact = _contact(request, contact_id)
    current = [
        PointIn(kind=p.kind, value=p.value, label=p.label, is_primary=p.is_primary)  # type: ignore[arg-type]
        for p in contact.points.all()
    ]

    def sent(value: str | None, now: str) -> str:
        return now if value is None else value

    details = ContactDetails(
        first_name=sent(data.first_name, contact.first_name),
        last_name=sent(data.last_name, contact.last_name),
        company_name=sent(data.company_name, contact.company_name),
        points=_points(data.points if data.points is not None else current, contact),
        street=sent(data.street, contact.street),
        postcode=sent(data.postcode, contact.postcode),
        city=sent(data.city, contact.city),
        country=sent(data.country, contact.country),
        language=sent(data.language, contact.language),
        custom_values={str(key): str(value) for key, value in contact.custom_values.items()},
    )
    do_update_contact(contact, details=details, acting_user=user_of(request))
    return _contact(request, contact_id)


@router.post("/contacts/{contact_id}/merge", response={200: ContactOut, **WRITE_ERRORS}, summary="Merge contacts")
def merge_contact(request: HttpRequest, contact_id: int, data: ContactMergeIn) -> Contact:
    """Merge this contact into ``into``. Where both have an open ticket in one group, those
    tickets merge too, but only with ``merge_open_tickets`` (else 409, and nothing changes)."""
    contact = _contact(request, contact_id)
    into = _contact(request, data.into)
    check_can_merge(user_of(request), contact, into)  # before naming any ticket: 403 for others
    pairs = conflict_pairs(list_merge_conflicts(contact, into=into))
    if pairs and not data.merge_open_tickets:
        numbers = ", ".join(f"#{ticket} → #{other}" for ticket, other in pairs)
        raise ApiError(
            409,
            "open_tickets_conflict",
            _("Both contacts have open tickets in a group (%(tickets)s): send merge_open_tickets to merge them too.")
            % {"tickets": numbers},
        )
    survivor = do_merge_contacts(contact, into=into, confirmed=pairs, acting_user=user_of(request))
    return _contact(request, survivor.pk)
