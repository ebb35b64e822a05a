"""A ticket's form values (CC-04): how they are read, checked, shown, searched and listed.

Values live in ``Ticket.form_data`` under the field's id; their stored shapes, by kind:
text, long text: the text; number: the number as written in plain digits ("12.5"); date:
"YYYY-MM-DD"; choice: the choice's key; several choices: a list of keys, in the choices' order;
checkbox: ``true``. An empty value is not stored. A status button stores nothing.

Nothing here writes: ``group_forms.py`` saves what ``clean_form_values`` accepts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from switchboard.tickets.models import FormField, Group, Ticket

Kind = FormField.Kind

MAX_TEXT = 1_000
MAX_LONG_TEXT = 20_000
MAX_NUMBER_DIGITS = 30
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")

# A checkbox's value in history entries: stored in English, shown in the reader's language
# (the template filter ``history_value``), as built-in status names are.
YES = gettext_noop("yes")
NO = gettext_noop("no")
CHECKBOX_WORDS = frozenset({YES, NO})

# History entries of form fields are named "form:<the field's label at the time>".
HISTORY_PREFIX = "form:"


class FormData(Protocol):
    """What a request's POST gives: one value or all values of a name."""

    def get(self, key: str, default: str = ...) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...


def list_form_fields(group: Group | int) -> list[FormField]:
    """The group's form fields in order, hidden ones and buttons included (one query)."""
    group_id = group if isinstance(group, int) else group.pk
    return list(FormField.objects.filter(group_id=group_id).select_related("status").order_by("position", "id"))


def fields_of(ticket: Ticket) -> list[FormField]:
    """The fields of the ticket's group, read once per ticket object (the page asks more than once)."""
    cached: list[FormField] | None = getattr(ticket, "_form_fields", None)
    if cached is None or getattr(ticket, "_form_fields_group", None) != ticket.group_id:
        cached = list_form_fields(ticket.group_id)
        ticket._form_fields = cached  # type: ignore[attr-defined]
        ticket._form_fields_group = ticket.group_id  # type: ignore[attr-defined]
    return cached


def field_name(form_field: FormField) -> str:
    """The name of a field's input on the ticket page."""
    return f"field-{form_field.pk}"


def date_input_format() -> str:
    """The reader's way of writing a date (dd.mm.rrrr in Polish), as dates are typed here."""
    return str(formats.get_format("DATE_INPUT_FORMATS")[0])


def local_date(stored: str) -> str:
    """A stored date ("2026-12-31") as the reader writes it ("31.12.2026" in Polish)."""
    try:
        return str(formats.localize_input(dt.date.fromisoformat(stored), date_input_format()))
    except ValueError:
        return stored


def is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value is False


def show_value(form_field: FormField, value: object, *, translate: bool = True) -> str:
    """A stored value as a person reads it: a choice by its label (as it is called now), a
    checkbox as yes or no, a date as the reader writes it. ``translate=False`` keeps yes and no
    in English and dates as stored (for history, and for exports)."""
    if form_field.kind == Kind.CHECKBOX:
        word = YES if value is True else NO
        return gettext(word) if translate else word
    if is_empty(value):
        return ""
    if form_field.kind == Kind.CHOICE:
        return form_field.choice_label(str(value))
    if form_field.kind == Kind.MULTI_CHOICE:
        keys = value if isinstance(value, list) else [value]
        return ", ".join(form_field.choice_label(str(key)) for key in keys)
    if form_field.kind == Kind.DATE and translate:
        return local_date(str(value))
    return str(value)


@dataclass(frozen=True)
class ShownValue:
    label: str
    value: str
    hidden: bool


def list_shown_values(fields: Iterable[FormField], form_data: Mapping[str, object]) -> list[ShownValue]:
    """Every field that holds a value, hidden ones included, in the form's order; then any value
    of a field the form no longer has, under its stored key."""
    shown = []
    known = set()
    for form_field in fields:
        known.add(form_field.key)
        value = form_data.get(form_field.key)
        if form_field.is_button or is_empty(value):
            continue
        shown.append(ShownValue(form_field.label, show_value(form_field, value), form_field.hidden))
    for key, value in form_data.items():
        if key not in known and not is_empty(value):
            shown.append(ShownValue(key, ", ".join(map(str, value)) if isinstance(value, list) else str(value), True))
    return shown


def form_loss_warning(ticket: Ticket) -> str:
    """What the campaign move's confirmation says (CC-05): which fields and values the ticket
    will lose, or that it loses none."""
    values = list_shown_values(fields_of(ticket), ticket.form_data or {})
    if not values:
        return gettext("The ticket will take the new group’s initial status. Its form is empty: no form data is lost.")
    lost = "; ".join(f"{value.label}: {value.value}" for value in values)
    return ngettext(
        "The ticket will take the new group’s initial status and lose this form value: %(values)s.",
        "The ticket will take the new group’s initial status and lose these form values: %(values)s.",
        len(values),
    ) % {"values": lost}


def lost_form_data(ticket: Ticket) -> str:
    """The history's record of form values a campaign move cleared: "Product: Fibre 300; …"."""
    values = list_shown_values(fields_of(ticket), ticket.form_data or {})
    return "; ".join(f"{value.label}: {value.value}" for value in values)


def search_text(fields: Iterable[FormField], form_data: Mapping[str, object]) -> str:
    """The words that find a ticket by its form: each value (a choice by its label), one a line.
    Checkboxes say nothing worth finding."""
    lines = []
    for form_field in fields:
        value = form_data.get(form_field.key)
        if form_field.kind != Kind.CHECKBOX and not is_empty(value):
            lines.append(show_value(form_field, value))
    return "\n".join(lines)


# --- checking what an agent submitted --------------------------------------------------------


@dataclass
class CleanedForm:
    """The ticket's form data as it will be saved, or the errors (by field key) that stop it."""

    data: dict[str, object]
    errors: dict[str, str] = field(default_factory=dict)


def _number(text: str) -> str:
    """ "12,5" or "1 200" as plain digits ("12.5", "1200"); ValueError if it is not a number."""
    compact = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not _PLAIN_NUMBER.fullmatch(compact) or len(compact) > MAX_NUMBER_DIGITS:
        raise ValueError(text)
    try:
        number = Decimal(compact)
    except InvalidOperation:
        raise ValueError(text) from None
    plain = format(number, "f")
    return plain.rstrip("0").rstrip(".") if "." in plain else plain


def _clean_one(form_field: FormField, data: FormData, current: object) -> object:
    """One visible field's new value from the submitted data; ValueError with the reader's
    message when it is not acceptable."""
    name = field_name(form_field)
    kind = form_field.kind
    if kind == Kind.CHECKBOX:
        return data.get(name) is not None
    if kind == Kind.MULTI_CHOICE:
        keys = [key for key in data.getlist(name) if key]
        allowed = {choice["key"] for choice in form_field.offered_choices}
        allowed |= set(current) if isinstance(current, list) else set()
        if any(key not in allowed for key in keys):
            raise ValueError(gettext("Choose from the options listed."))
        order = [choice["key"] for choice in form_field.choices]
        return sorted(set(keys), key=order.index)
    text = (data.get(name) or "").strip()
    if not text:
        return ""
    if kind == Kind.TEXT:
        text = " ".join(text.split())
        if len(text) > MAX_TEXT:
            raise ValueError(gettext("At most %(count)s characters.") % {"count": MAX_TEXT})
        return text
    if kind == Kind.LONG_TEXT:
        if len(text) > MAX_LONG_TEXT:
            raise ValueError(gettext("At most %(count)s characters.") % {"count": MAX_LONG_TEXT})
        return text
    if kind == Kind.NUMBER:
        try:
            return _number(text)
        except ValueError:
            raise ValueError(gettext("Enter a number, such as 12 or 3.5.")) from None
    if kind == Kind.DATE:
        try:
            return forms.DateField().clean(text).isoformat()
        except ValidationError:
            example = local_date(dt.date(2026, 12, 31).isoformat())
            raise ValueError(gettext("Enter a date, such as %(example)s.") % {"example": example}) from None
    if kind == Kind.CHOICE:
        allowed = {choice["key"] for choice in form_field.offered_choices}
        if text not in allowed and text != current:
            raise ValueError(gettext("Choose from the options listed."))
        return text
    raise ValueError(gettext("This field cannot be filled in."))


def clean_form_values(fields: Iterable[FormField], form_data: Mapping[str, object], data: FormData) -> CleanedForm:
    """Check every visible field's submitted value by its kind, and that required ones are
    filled in. Hidden fields, buttons and values of fields the form no longer has keep what
    they hold."""
    cleaned = CleanedForm(data=dict(form_data))
    for form_field in fields:
        if form_field.hidden or form_field.is_button:
            continue
        current = form_data.get(form_field.key)
        try:
            value = _clean_one(form_field, data, current)
        except ValueError as error:
            cleaned.errors[form_field.key] = str(error)
            continue
        if form_field.required and is_empty(value):
            cleaned.errors[form_field.key] = gettext("This field is required.")
        if is_empty(value):
            cleaned.data.pop(form_field.key, None)
        else:
            cleaned.data[form_field.key] = value
    return cleaned


def history_changes(
    fields: Iterable[FormField], old: Mapping[str, object], new: Mapping[str, object]
) -> list[dict[str, str]]:
    """The history entries of what changed, old → new, by the fields' labels of the time."""
    changes = []
    for form_field in fields:
        if form_field.is_button:
            continue
        before = show_value(form_field, old.get(form_field.key), translate=False)
        after = show_value(form_field, new.get(form_field.key), translate=False)
        if before != after:
            changes.append({"field": HISTORY_PREFIX + form_field.label, "old": before, "new": after})
    return changes


# --- the export -----------------------------------------------------------------------------


def list_form_export(group: Group) -> Iterator[list[str]]:
    """The rows of the group's form export: a heading, then every ticket (open and closed, by
    number) with its form's values, hidden fields included. Two queries, whatever the count."""
    fields = [form_field for form_field in list_form_fields(group) if not form_field.is_button]
    heading = [gettext("Ticket"), gettext("Title"), gettext("Status"), gettext("Contact")]
    heading += [gettext("Created"), gettext("Closed")]
    for form_field in fields:
        hidden = form_field.hidden
        heading.append(gettext("%(label)s (hidden)") % {"label": form_field.label} if hidden else form_field.label)
    yield heading
    tickets = (
        Ticket.objects.filter(group=group)
        .select_related("status", "contact")
        .only(
            "number",
            "title",
            "form_data",
            "created_at",
            "closed_at",
            "status__name",
            "status__kind",
            "contact__kind",
            "contact__first_name",
            "contact__last_name",
            "contact__company_name",
            "contact__erased_at",
        )
        .order_by("number")
    )
    for ticket in tickets.iterator(chunk_size=2000):
        data = ticket.form_data or {}
        row = [str(ticket.number), ticket.title, ticket.status.display_name]
        row.append(ticket.contact.display_name if ticket.contact else "")
        row.append(_local(ticket.created_at))
        row.append(_local(ticket.closed_at))
        for form_field in fields:
            value = data.get(form_field.key)
            if form_field.kind == Kind.DATE:
                row.append(str(value or ""))  # as stored: 2026-12-31, whatever the reader's language
            else:
                row.append(
                    "" if form_field.kind != Kind.CHECKBOX and is_empty(value) else show_value(form_field, value)
                )
        yield row


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).isoformat(sep=" ", timespec="minutes") if moment else ""
