"""Every write to contacts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.points import normalise_point, normalise_received_email
from switchboard.contacts.search import search_text_of
from switchboard.contacts.signals import contact_renamed


@transaction.atomic
def do_create_contact(
    *,
    kind: Contact.Kind,
    first_name: str = "",
    last_name: str = "",
    company_name: str = "",
    emails: list[str] | tuple[str, ...] = (),
    phones: list[str] | tuple[str, ...] = (),
    emails_from_mail: bool = False,
    acting_user: AbstractBaseUser | None,
) -> Contact:
    """Create a contact with its email addresses and phone numbers, normalised. Raises
    ValidationError for a malformed address or number; IntegrityError if one is taken.
    ``emails_from_mail``: the addresses came in on received mail, where any address RFC 5322/6532
    allows is taken; what a person types is checked strictly."""
    raw_points = [(ContactPoint.Kind.EMAIL, value) for value in emails] + [
        (ContactPoint.Kind.PHONE, value) for value in phones
    ]
    points: dict[str, ContactPoint] = {}
    for point_kind, raw in raw_points:
        if emails_from_mail and point_kind == ContactPoint.Kind.EMAIL:
            value = normalise_received_email(raw)
        else:
            value = normalise_point(point_kind, raw)
        points.setdefault(value, ContactPoint(kind=point_kind, value=value, is_primary=not points))
    names = {"first_name": first_name.strip(), "last_name": last_name.strip(), "company_name": company_name.strip()}
    text = search_text_of(**names, points=[(point.kind, point.value) for point in points.values()])
    contact = Contact.objects.create(kind=kind, search_text=text, **names)
    for point in points.values():
        point.contact = contact
    ContactPoint.objects.bulk_create(points.values())
    return contact


@transaction.atomic
def do_rename_contact(
    contact: Contact,
    *,
    first_name: str,
    last_name: str,
    company_name: str,
    acting_user: AbstractBaseUser | None,
) -> Contact:
    """Change a contact's names (never its kind) and keep it and its tickets findable by the new name."""
    contact.first_name, contact.last_name, contact.company_name = (
        first_name.strip(),
        last_name.strip(),
        company_name.strip(),
    )
    contact.search_text = search_text_of(
        first_name=contact.first_name,
        last_name=contact.last_name,
        company_name=contact.company_name,
        points=ContactPoint.objects.filter(contact=contact).values_list("kind", "value"),
    )
    contact.save(update_fields=["first_name", "last_name", "company_name", "search_text", "updated_at"])
    contact_renamed.send(sender=Contact, contact=contact)
    return contact


@transaction.atomic
def do_record_sms_opt_out(number: str) -> ContactPoint | None:
    """The number answered STOP (PHONE-04): no more text messages to it. Returns the contact's
    number, or None when no contact has it (nothing is sent to unknown numbers anyway)."""
    point = ContactPoint.objects.select_for_update().filter(kind=ContactPoint.Kind.PHONE, value=number).first()
    if point is not None and point.sms_opted_out_at is None:
        point.sms_opted_out_at = timezone.now()
        point.save(update_fields=["sms_opted_out_at"])
    return point


@transaction.atomic
def do_record_sms_opt_in(number: str) -> ContactPoint | None:
    """The number answered START (PHONE-04): text messages may be sent to it again."""
    point = ContactPoint.objects.select_for_update().filter(kind=ContactPoint.Kind.PHONE, value=number).first()
    if point is not None and point.sms_opted_out_at is not None:
        point.sms_opted_out_at = None
        point.save(update_fields=["sms_opted_out_at"])
    return point


@transaction.atomic
def do_set_contact_appointment(
    contact: Contact, *, has_appointment: bool, acting_user: AbstractBaseUser | None
) -> Contact:
    """Mark a contact as having an appointment (or not): they may then leave a voicemail where a
    group takes them only from callers with one (PHONE-02)."""
    contact.has_appointment = has_appointment
    contact.save(update_fields=["has_appointment", "updated_at"])
    return contact


def do_set_contact_language(contact: Contact, *, language: str, acting_user: AbstractBaseUser | None) -> Contact:
    """The language the contact's mail is written in (greeting, sign-off, built-in wording);
    empty: the group's."""
    contact.language = language
    contact.save(update_fields=["language", "updated_at"])
    return contact
