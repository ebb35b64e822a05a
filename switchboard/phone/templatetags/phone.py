"""The ticket page's phone parts (PHONE-05, CC-08): the SMS composer and the Call button, hidden
when the installation has no number, greyed with the reason when they cannot be used."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.utils.translation import gettext as _

from switchboard.contacts.models import ContactPoint
from switchboard.contacts.selectors import list_mobile_numbers
from switchboard.core.html import html_to_text
from switchboard.phone.sms import find_sms_number, opted_out_reason

register = template.Library()


@dataclass(frozen=True)
class SmsChoice:
    number: str
    unavailable: str  # why it cannot be chosen, "" when it can


@register.inclusion_tag("phone/_sms_composer.html", takes_context=True)
def sms_composer(context: template.Context) -> dict[str, Any]:
    """The SMS tab of the reply composer (hidden when the installation has no number: the tab
    itself is left out by ``phone_channel``)."""
    ticket = context["ticket"]
    choices = [
        SmsChoice(point.value, opted_out_reason() if point.sms_opted_out else "")
        for point in list_mobile_numbers(ticket.contact)
    ]
    usable = [choice for choice in choices if not choice.unavailable]
    return {
        "ticket": ticket,
        "csrf_token": context.get("csrf_token"),
        "choices": choices,
        "unavailable": sms_unavailable_reason(choices),
        "selected": usable[0].number if usable else "",
        "canned": [(canned.title, html_to_text(canned.body_html)) for canned in context.get("canned_responses") or []],
        "placeholder_pattern": context.get("placeholder_pattern", ""),
    }


def sms_unavailable_reason(choices: list[SmsChoice]) -> str:
    if not choices:
        return _("The contact has no mobile number.")
    if all(choice.unavailable for choice in choices):
        return opted_out_reason()
    return ""


@register.simple_tag
def phone_channel(ticket: object) -> bool:
    """Whether the installation can text and call for this ticket's group (CC-08)."""
    return find_sms_number(ticket.group) is not None  # type: ignore[attr-defined]


@register.simple_tag(takes_context=True)
def call_unavailable(context: template.Context) -> str:
    """Why Call is greyed (CC-08): the agent has no phone of their own in personal settings."""
    profile = getattr(context["user"], "agent_profile", None)
    return "" if profile and profile.phone else _("Add your phone in personal settings to call.")


@register.simple_tag(takes_context=True)
def call_unavailable_for_contact(context: template.Context) -> str:
    """``call_unavailable``, said once under the contact's numbers when there is one to call."""
    contact = context["ticket"].contact
    if contact is None or not any(point.kind == ContactPoint.Kind.PHONE for point in contact.points.all()):
        return ""
    return call_unavailable(context)


@register.inclusion_tag("phone/_call_button.html", takes_context=True)
def call_button(context: template.Context, point: ContactPoint) -> dict[str, Any]:
    """Click-to-call beside one of the contact's numbers (PHONE-05), greyed with the reason as
    its title while ``call_unavailable`` says so."""
    return {
        "ticket": context["ticket"],
        "point": point,
        "csrf_token": context.get("csrf_token"),
        "unavailable": call_unavailable(context),
    }
