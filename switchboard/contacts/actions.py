"""Every write to contacts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.contacts.fields import list_contact_fields, parse_custom_value
from switchboard.contacts.models import Consent, ConsentPurpose, Contact, ContactPoint
from switchboard.contacts.points import normalise_point, normalise_received_email
from switchboard.contacts.search import reindex_contacts, search_text_of
from switchboard.contacts.signals import contact_renamed
from switchboard.core.rows import insert_row
from switchboard.webhooks.models import Event
from switchboard.webhooks.outbox import record_event


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
    contact = Contact(kind=kind, search_text=text, **names)
    insert_row(contact)
    for point in points.values():
        point.contact = contact
    ContactPoint.objects.bulk_create(points.values())
    _tell_webhooks(contact)
    return contact


def _tell_webhooks(contact: Contact) -> None:
    """API-02: a new contact, to the endpoints that want it, in the creating transaction."""
    url = settings.SITE_URL + reverse("contact", args=[contact.pk])
    record_event(Event.CONTACT_CREATED, {"contact": {"id": contact.pk, "kind": contact.kind, "url": url}})


@transaction.atomic
def do_add_phone_if_free(contact: Contact, *, number: str, acting_user: AbstractBaseUser | None) -> ContactPoint | None:
    """Give the contact a phone number (E.164) unless a contact has it already: then nothing
    changes and None is returned."""
    point = ContactPoint(
        contact=contact,
        kind=ContactPoint.Kind.PHONE,
        value=number,
        is_primary=not contact.points.filter(kind=ContactPoint.Kind.PHONE).exists(),
    )
    try:
        with transaction.atomic():
            point.save()
    except IntegrityError:  # the number is someone's
        return None
    reindex_contacts([contact.pk])
    return point


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


@transaction.atomic
def do_record_consent(
    contact: Contact,
    *,
    purpose: ConsentPurpose,
    given: bool,
    method: Consent.Method,
    note: str = "",
    acting_user: AbstractBaseUser | None,
) -> Consent:
    """Record that the contact gave (or withdrew) a consent (CC-01, GDPR). Appends to the
    purpose's history; nothing is ever changed in place. Giving needs an active purpose;
    withdrawing is always possible."""
    if contact.erased_at is not None or contact.merged_into_id is not None:
        raise ValidationError(_("This contact can no longer be changed."))
    if given and not purpose.active:
        raise ValidationError(_("This purpose is no longer in use: a consent to it cannot be given."))
    return Consent.objects.create(
        contact=contact,
        purpose=purpose,
        given=given,
        method=method,
        note=note.strip()[:500],
        recorded_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,  # type: ignore[misc]
    )


@dataclass(frozen=True)
class PointInput:
    """One phone number or email address as the contact's edit page sends it: ``id`` of the
    point it was (None: a new one)."""

    kind: str
    value: str
    label: str = ""
    is_primary: bool = False
    id: int | None = None


@dataclass(frozen=True)
class ContactDetails:
    """Everything the contact's edit page changes (CC-01); never the kind."""

    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    points: list[PointInput] = field(default_factory=list)
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    custom_values: dict[str, str] = field(default_factory=dict)  # field id → what was typed
    language: str = ""


class ContactDetailsError(ValidationError):
    """What is wrong with the details, each where it belongs: ``name``, ``points`` (position of
    the point → message), ``custom`` (field id → message). Nothing was changed."""

    def __init__(self, *, name: str = "", points: dict[int, str], custom: dict[str, str]) -> None:
        self.name_error, self.point_errors, self.custom_errors = name, points, custom
        messages = [name, *points.values(), *custom.values()]
        super().__init__([message for message in messages if message])


def _checked(kind: str, details: ContactDetails, contact: Contact | None) -> tuple[list[PointInput], dict[str, str]]:
    """The details' points normalised and their custom values as kept; ContactDetailsError when
    a name is missing, a point is malformed, repeated or another contact's, or a value is not of
    its field's kind."""
    name_error = ""
    if kind == Contact.Kind.COMPANY and not details.company_name.strip():
        name_error = _("Enter the company’s name.")
    elif kind == Contact.Kind.PERSON and not (
        details.first_name.strip() or details.last_name.strip() or any(p.value.strip() for p in details.points)
    ):
        name_error = _("Enter a name, a phone number or an email address.")
    point_errors: dict[int, str] = {}
    points: list[PointInput] = []
    seen: set[tuple[str, str]] = set()
    for position, point in enumerate(details.points):
        try:
            value = normalise_point(point.kind, point.value, region=settings.PHONE_REGION)
        except ValidationError as error:
            point_errors[position] = " ".join(error.messages)
            continue
        if (point.kind, value) in seen:
            point_errors[position] = _("“%(value)s” is given twice.") % {"value": value}
            continue
        seen.add((point.kind, value))
        label = point.label if point.label in ContactPoint.Label.values else ""
        points.append(PointInput(point.kind, value, label, point.is_primary, point.id))
    taken = ContactPoint.objects.filter(value__in=[value for _kind, value in seen])
    if contact is not None:
        taken = taken.exclude(contact_id=contact.pk)
    for other in taken.select_related("contact"):
        if (other.kind, other.value) not in seen:
            continue
        point_errors[_position_of(details.points, other)] = _(
            "“%(value)s” already belongs to another contact: %(other)s."
        ) % {
            "value": other.value,
            "other": other.contact.display_name or _("without a name"),
        }
    custom: dict[str, str] = {}
    custom_errors: dict[str, str] = {}
    current = contact.custom_values if contact else {}
    for custom_field in list_contact_fields():
        key = str(custom_field.pk)
        typed = details.custom_values.get(key, "").strip()
        if typed and typed == current.get(key):  # as it was, even a choice the field no longer offers
            custom[key] = typed
            continue
        try:
            custom[key] = parse_custom_value(custom_field, details.custom_values.get(key, ""))
        except ValidationError as error:
            custom_errors[key] = " ".join(error.messages)
    if name_error or point_errors or custom_errors:
        raise ContactDetailsError(name=name_error, points=point_errors, custom=custom_errors)
    return points, custom


def _position_of(points: list[PointInput], taken: ContactPoint) -> int:
    for position, point in enumerate(points):
        try:
            if (
                point.kind == taken.kind
                and normalise_point(point.kind, point.value, region=settings.PHONE_REGION) == taken.value
            ):
                return position
        except ValidationError:
            continue
    return 0


def _save_points(contact: Contact, points: list[PointInput]) -> None:
    """Make the contact's points these: an unchanged number or address keeps its row (and its
    SMS opt-out); one that changed or went is deleted, a new one created. One primary per kind:
    the first one ticked, else the first of the kind."""
    primaries: dict[str, PointInput] = {}
    for point in points:
        if point.is_primary and point.kind not in primaries:
            primaries[point.kind] = point
    for point in points:
        primaries.setdefault(point.kind, point)
    existing = {(point.kind, point.value): point for point in contact.points.all()}
    wanted = {(point.kind, point.value) for point in points}
    ContactPoint.objects.filter(pk__in=[p.pk for key, p in existing.items() if key not in wanted]).delete()
    for point in points:
        is_primary = primaries[point.kind] is point
        kept = existing.get((point.kind, point.value))
        if kept is None:
            ContactPoint.objects.create(
                contact=contact, kind=point.kind, value=point.value, label=point.label, is_primary=is_primary
            )
        elif (kept.label, kept.is_primary) != (point.label, is_primary):
            kept.label, kept.is_primary = point.label, is_primary
            kept.save(update_fields=["label", "is_primary"])


def _apply(contact: Contact, details: ContactDetails, points: list[PointInput], custom: dict[str, str]) -> None:
    contact.street, contact.postcode = details.street.strip(), details.postcode.strip()
    contact.city, contact.country = details.city.strip(), details.country.strip()
    contact.language = details.language
    # Values of fields switched off (or removed) stay as they were.
    contact.custom_values = {**contact.custom_values, **custom}
    contact.custom_values = {key: value for key, value in contact.custom_values.items() if value != ""}
    contact.save(update_fields=["street", "postcode", "city", "country", "language", "custom_values", "updated_at"])
    try:
        with transaction.atomic():
            _save_points(contact, points)
    except IntegrityError:  # taken by another contact since it was checked, a moment ago
        raise ContactDetailsError(
            points={0: _("A phone number or email address was just given to another contact. Check them again.")},
            custom={},
        ) from None
    reindex_contacts([contact.pk])  # a new contact found by its names, an edited one by its points


@transaction.atomic
def do_update_contact(contact: Contact, *, details: ContactDetails, acting_user: AbstractBaseUser | None) -> Contact:
    """Save the contact's edit page (CC-01): names (the kind never changes), phones and emails
    with their labels and primaries, address, custom fields, language. Everything is checked
    first: ContactDetailsError says what is wrong and nothing changes. A change of name keeps
    the contact's tickets findable by it (``contact_renamed``)."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    points, custom = _checked(contact.kind, details, contact)
    names = (details.first_name.strip(), details.last_name.strip(), details.company_name.strip())
    if names != (contact.first_name, contact.last_name, contact.company_name):
        do_rename_contact(
            contact, first_name=names[0], last_name=names[1], company_name=names[2], acting_user=acting_user
        )
    _apply(contact, details, points, custom)
    _tell_webhooks(contact)
    return contact


@transaction.atomic
def do_add_contact(kind: Contact.Kind, *, details: ContactDetails, acting_user: AbstractBaseUser | None) -> Contact:
    """The "New contact" page (CC-01): a person or a company, with everything its edit page
    has; ContactDetailsError, and no contact, when something is wrong."""
    points, custom = _checked(kind, details, None)
    contact = Contact.objects.create(
        kind=kind,
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        company_name=details.company_name.strip(),
    )
    _apply(contact, details, points, custom)
    _tell_webhooks(contact)
    return contact
