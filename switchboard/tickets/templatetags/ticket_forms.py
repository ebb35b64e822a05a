"""The ticket page's Form tab and the campaign move's warning (CC-04, CC-05)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as attribute
from typing import Any

from django import template

from switchboard.core.widgets import LocalDateInput
from switchboard.tickets import form_values
from switchboard.tickets.models import FormChoice, FormField, Ticket

register = template.Library()


@dataclass
class Entry:
    """One visible field of the ticket's form, as its input shows it."""

    field: FormField
    name: str
    text: str = ""
    selected: list[str] = attribute(default_factory=list)
    checked: bool = False
    choices: list[FormChoice] = attribute(default_factory=list)
    error: str = ""
    placeholder: str = ""

    @property
    def input_id(self) -> str:
        return f"id_{self.name}"


@dataclass
class TicketFormView:
    entries: list[Entry]
    buttons: list[FormField]
    has_form: bool
    error_count: int


def _entry(form_field: FormField, stored: object, submitted: Any | None, error: str) -> Entry:
    entry = Entry(field=form_field, name=form_values.field_name(form_field), error=error)
    kind = form_field.kind
    if submitted is not None:  # shown again as the agent typed it, after an error
        if kind == FormField.Kind.CHECKBOX:
            entry.checked = submitted.get(entry.name) is not None
        elif kind == FormField.Kind.MULTI_CHOICE:
            entry.selected = submitted.getlist(entry.name)
        elif kind == FormField.Kind.CHOICE:
            entry.selected = [submitted.get(entry.name, "")]
        else:
            entry.text = submitted.get(entry.name, "")
    elif kind == FormField.Kind.CHECKBOX:
        entry.checked = stored is True
    elif kind == FormField.Kind.MULTI_CHOICE:
        entry.selected = [str(key) for key in stored] if isinstance(stored, list) else []
    elif kind == FormField.Kind.CHOICE:
        entry.selected = [str(stored)] if stored else []
    elif kind == FormField.Kind.DATE:
        entry.text = form_values.local_date(str(stored)) if stored else ""
    else:
        entry.text = "" if form_values.is_empty(stored) else str(stored)
    if kind == FormField.Kind.DATE:
        placeholder = LocalDateInput().get_context(entry.name, None, None)["widget"]["attrs"]["placeholder"]
        entry.placeholder = str(placeholder)
    # Offered choices, and a removed one the ticket still has (so that saving keeps it).
    entry.choices = [
        choice for choice in form_field.choices if not choice.get("removed") or choice["key"] in entry.selected
    ]
    return entry


def blank_form_entries(fields: list[FormField], submitted: Any | None, errors: dict[str, str]) -> list[Entry]:
    """A group's form as a new message shows it (the web form, SELF-01): its visible fields,
    empty or as submitted, with the errors found."""
    return [
        _entry(each, None, submitted, errors.get(each.key, ""))
        for each in fields
        if not each.hidden and not each.is_button
    ]


@register.simple_tag(takes_context=True)
def ticket_form(context: template.Context) -> TicketFormView:
    """The Form tab of ``ticket``: its visible fields with their values, or what the agent
    submitted and the errors found in it."""
    ticket: Ticket = context["ticket"]
    fields = form_values.fields_of(ticket)
    data: Mapping[str, object] = ticket.form_data or {}
    submitted = context.get("form_submitted")
    errors: dict[str, str] = context.get("form_errors") or {}
    entries = [
        _entry(each, data.get(each.key), submitted, errors.get(each.key, ""))
        for each in fields
        if not each.hidden and not each.is_button
    ]
    buttons = [each for each in fields if each.is_button and not each.hidden and each.status_id is not None]
    return TicketFormView(entries=entries, buttons=buttons, has_form=bool(entries or buttons), error_count=len(errors))


@register.simple_tag(takes_context=True)
def active_ticket_tab(context: template.Context) -> str:
    """The tab of the ticket page's right column to show: "form" after a save of the form (or
    its errors), else the conversation."""
    if context.get("form_tab"):
        return "form"
    request = context.get("request")
    return "form" if request is not None and request.GET.get("tab") == "form" else "conversation"


@register.simple_tag
def form_loss_warning(ticket: Ticket) -> str:
    """The campaign move's confirmation: the fields and values the ticket will lose (CC-05)."""
    return form_values.form_loss_warning(ticket)
