"""Everything held about a contact (CC-01, GDPR "right of access"), as one plain structure that
the JSON download and the readable page both show.

Included, because it is personal data about the person: the contact's names, address, settings
and the installation's own fields, every email and phone with its label, every consent record
(the history, not only the current state), the contact's own history, and each of their tickets
(and those they are in copy on) with the whole timeline: messages both ways, calls and voicemail
(with transcripts), text messages, chat, internal notes (notes are about the person, so access
covers them) and recorded changes, with the names and sizes of attached files, and the campaign
form's values under the fields' names. Agents appear by their initials. Not included: the raw
copies the intake keeps of received messages (the same messages, as shown), and tickets merged
into another one (their timeline moved there).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q

from switchboard.contacts.fields import display_custom_value, list_contact_fields
from switchboard.contacts.models import Consent, Contact, ContactEvent, ContactPoint
from switchboard.tickets.form_values import list_shown_values
from switchboard.tickets.models import Activity, Attachment, FormField, Ticket

Export = dict[str, Any]


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _who(user: object) -> str:
    if user is None:
        return ""
    profile = getattr(user, "agent_profile", None)
    return profile.initials if profile else str(user)


def export_contact(contact: Contact) -> Export:
    """The contact's data, in a fixed number of queries whatever its size."""
    points = ContactPoint.objects.filter(contact=contact).order_by("kind", "-is_primary", "id")
    consents = (
        Consent.objects.filter(contact=contact)
        .select_related("purpose", "recorded_by__agent_profile")
        .order_by("purpose__position", "purpose__name", "recorded_at", "id")
    )
    events = ContactEvent.objects.filter(contact=contact).select_related("actor__agent_profile")
    activities = Activity.objects.select_related("actor__agent_profile").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    )
    tickets_found = (
        Ticket.objects.filter(Q(contact=contact) | Q(cc_contacts=contact), merged_into__isnull=True)
        .distinct()
        .select_related("group", "status")
        .prefetch_related(Prefetch("activities", queryset=activities))
        .order_by("number")
    )
    tickets = list(tickets_found)
    form_fields: dict[int, list[FormField]] = {}
    for form_field in FormField.objects.filter(group_id__in={ticket.group_id for ticket in tickets}).order_by(
        "position", "id"
    ):
        form_fields.setdefault(form_field.group_id, []).append(form_field)
    return {
        "contact": {
            "number": contact.pk,
            "kind": contact.kind,
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "company_name": contact.company_name,
            "street": contact.street,
            "postcode": contact.postcode,
            "city": contact.city,
            "country": contact.country,
            "language": contact.language,
            "has_appointment": contact.has_appointment,
            "created_at": _when(contact.created_at),
        },
        "custom_fields": [
            {"field": field.name, "value": display_custom_value(field, contact.custom_values.get(str(field.pk), ""))}
            for field in list_contact_fields(active_only=False)
            if contact.custom_values.get(str(field.pk))
        ],
        "emails_and_phones": [
            {
                "kind": point.kind,
                "value": point.value,
                "label": point.get_label_display() if point.label else "",
                "primary": point.is_primary,
                "sms_opted_out_at": _when(point.sms_opted_out_at),
            }
            for point in points
        ],
        "consents": [
            {
                "purpose": record.purpose.display_name,
                "given": record.given,
                "at": _when(record.recorded_at),
                "how": record.get_method_display(),
                "recorded_by": _who(record.recorded_by),
                "note": record.note,
            }
            for record in consents
        ],
        "history": [
            {"at": _when(event.created_at), "kind": event.kind, "by": _who(event.actor), "text": event.body}
            for event in events
        ],
        "tickets": [_ticket(ticket, contact, form_fields.get(ticket.group_id, [])) for ticket in tickets],
    }


def _ticket(ticket: Ticket, contact: Contact, form_fields: list[FormField]) -> Export:
    return {
        "number": ticket.number,
        "role": "contact" if ticket.contact_id == contact.pk else "in_copy",
        "group": ticket.group.name,
        "title": ticket.title,
        "status": ticket.status.display_name,
        "source": ticket.get_source_display(),
        "created_at": _when(ticket.created_at),
        "closed_at": _when(ticket.closed_at),
        "next_action": ticket.next_action,
        "due_at": _when(ticket.due_at),
        "form": [
            {"field": shown.label, "value": shown.value}
            for shown in list_shown_values(form_fields, ticket.form_data or {})
        ],
        "timeline": [
            {
                "at": _when(activity.created_at),
                "kind": activity.kind,
                "kind_name": activity.get_kind_display(),
                "by": _who(activity.actor),
                "from": activity.from_address,
                "to": activity.to_address,
                "duration_seconds": activity.duration,
                "text": activity.body,
                "changes": activity.changes,
                "files": [
                    {"name": attachment.filename, "type": attachment.content_type, "size": attachment.size}
                    for attachment in activity.attachments.all()
                ],
            }
            for activity in ticket.activities.all()
        ],
    }
