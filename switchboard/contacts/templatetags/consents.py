"""The consents panel of the contact page (CC-01, GDPR): ``{% load consents %}{% consents_panel contact %}``.

An interface module: it asks the tickets' permission helper who may merge, erase and export.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats, timezone

from switchboard.contacts.models import Consent, ConsentPurpose, Contact
from switchboard.contacts.selectors import list_consent_states
from switchboard.tickets.permissions import can_manage_contact

register = template.Library()


@register.inclusion_tag("contacts/_consents_panel.html", takes_context=True)
def consents_panel(context: template.Context, contact: Contact) -> dict[str, Any]:
    request = context["request"]
    return {
        "contact": contact,
        "states": list_consent_states(contact),
        "purposes": ConsentPurpose.objects.filter(active=True),
        "methods": Consent.Method.choices,
        "can_manage": can_manage_contact(request.user, contact),
        "next": request.get_full_path(),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def iso_time(value: str | None) -> str:
    """A time as the export writes it (ISO 8601), in the reader's format and time zone."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
