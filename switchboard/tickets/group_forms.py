"""The writes of group forms (CC-04): managers shape a group's form; agents fill it in on tickets.

A change to the form applies at once to every ticket of the group: tickets store values by the
field's id and a choice's key, so renaming a field or a choice, reordering, hiding or adding
leaves their data as it is and shows it under the new names. A hidden field keeps its values
(in the data, the search and the export); it is only no longer on the ticket's form. A removed
choice likewise stays on the tickets that have it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from switchboard.core.ordering import move_one_place
from switchboard.tickets import search
from switchboard.tickets.actions import TicketError, do_close_ticket, lock_ticket
from switchboard.tickets.form_values import (
    CleanedForm,
    FormData,
    clean_form_values,
    history_changes,
    list_form_fields,
    search_text,
)
from switchboard.tickets.models import FormChoice, FormField, Group, SearchEntry, Status, Ticket
from switchboard.tickets.permissions import can_manage
from switchboard.tickets.ticket_changes import apply_changes, save_changes

MAX_LABEL = 200


class FormInvalidError(TicketError):
    """The submitted form has errors; nothing was saved."""

    def __init__(self, cleaned: CleanedForm) -> None:
        self.errors = cleaned.errors
        super().__init__(_("The form was not saved: correct the fields marked below."))


def _ensure_manager(acting_user: User, group: Group) -> None:
    if not can_manage(acting_user, group):
        raise PermissionDenied(_("Only the group's managers change its form."))


def _clean_label(label: str, *, taken: Sequence[str]) -> str:
    label = " ".join(label.split())
    if not label:
        raise TicketError(_("Give it a name."))
    if len(label) > MAX_LABEL:
        raise TicketError(_("At most %(count)s characters.") % {"count": MAX_LABEL})
    if label.casefold() in {other.casefold() for other in taken}:
        raise TicketError(_("“%(label)s” is already there.") % {"label": label})
    return label


def _check_status(group: Group, kind: str, status: Status | None) -> Status | None:
    if kind != FormField.Kind.STATUS_BUTTON:
        return None
    if status is None or status.group_id != group.pk:
        raise TicketError(_("Choose the status the button sets."))
    return status


def _locked_fields(group: Group) -> list[FormField]:
    """The group's fields, locked, in order: one manager's edit at a time."""
    return list(FormField.objects.select_for_update().filter(group=group).order_by("position", "id"))


def _new_choices(labels: Sequence[str], *, existing: Sequence[FormChoice] = ()) -> list[FormChoice]:
    choices = list(existing)
    numbers = [int(choice["key"][1:]) for choice in choices if choice["key"][1:].isdigit()]
    next_number = max(numbers, default=0) + 1
    for label in labels:
        label = _clean_label(label, taken=[choice["label"] for choice in choices])
        choices.append({"key": f"c{next_number}", "label": label, "removed": False})
        next_number += 1
    return choices


# --- the manager's page ---------------------------------------------------------------------


@transaction.atomic
def do_add_form_field(
    group: Group,
    *,
    label: str,
    kind: FormField.Kind,
    required: bool = False,
    choices: Sequence[str] = (),
    status: Status | None = None,
    acting_user: User,
) -> FormField:
    """Add a field at the end of the group's form; a choice field with its first choices."""
    _ensure_manager(acting_user, group)
    fields = _locked_fields(group)
    label = _clean_label(label, taken=[f.label for f in fields])
    status = _check_status(group, kind, status)
    new_choices = _new_choices(choices) if kind in FormField.Kind.with_choices() else []
    position = (FormField.objects.filter(group=group).aggregate(last=Max("position"))["last"] or 0) + 1
    return FormField.objects.create(
        group=group,
        label=label,
        kind=kind,
        required=required and kind != FormField.Kind.STATUS_BUTTON,
        choices=new_choices,
        status=status,
        position=position,
    )


@transaction.atomic
def do_update_form_field(
    form_field: FormField, *, label: str, required: bool, status: Status | None = None, acting_user: User
) -> FormField:
    """Rename a field, make it required or not; a button: the status it sets."""
    _ensure_manager(acting_user, form_field.group)
    fields = _locked_fields(form_field.group)
    form_field.label = _clean_label(label, taken=[f.label for f in fields if f.pk != form_field.pk])
    form_field.required = required and not form_field.is_button
    form_field.status = _check_status(form_field.group, form_field.kind, status)
    form_field.save(update_fields=["label", "required", "status"])
    return form_field


@transaction.atomic
def do_move_form_field(form_field: FormField, *, offset: int, acting_user: User) -> FormField:
    """Move a field one place up (``offset=-1``) or down (``+1``) the form."""
    _ensure_manager(acting_user, form_field.group)
    fields = _locked_fields(form_field.group)
    before = {row.pk: row.position for row in fields}
    if move_one_place(fields, form_field.pk, up=offset < 0, first=1):
        for row in fields:  # saved, not bulk-updated: the audit log records each move
            if row.position != before[row.pk]:
                row.save(update_fields=["position"])
    return next(f for f in fields if f.pk == form_field.pk)


@transaction.atomic
def do_set_form_field_hidden(form_field: FormField, *, hidden: bool, acting_user: User) -> FormField:
    """Hide a field from the tickets' form, keeping its values; or show it again."""
    _ensure_manager(acting_user, form_field.group)
    form_field.hidden = hidden
    form_field.save(update_fields=["hidden"])
    return form_field


def _locked_field(form_field: FormField) -> FormField:
    return FormField.objects.select_for_update().select_related("group").get(pk=form_field.pk)


def _choice_index(form_field: FormField, key: str) -> int:
    for index, choice in enumerate(form_field.choices):
        if choice["key"] == key:
            return index
    raise TicketError(_("That choice is no longer there."))


@transaction.atomic
def do_add_form_choice(form_field: FormField, *, label: str, acting_user: User) -> FormField:
    _ensure_manager(acting_user, form_field.group)
    form_field = _locked_field(form_field)
    if not form_field.has_choices:
        raise TicketError(_("Only choice fields have choices."))
    form_field.choices = _new_choices([label], existing=form_field.choices)
    form_field.save(update_fields=["choices"])
    return form_field


@transaction.atomic
def do_rename_form_choice(form_field: FormField, *, key: str, label: str, acting_user: User) -> FormField:
    """Rename a choice: every ticket that has it shows, and is found by, the new name."""
    _ensure_manager(acting_user, form_field.group)
    form_field = _locked_field(form_field)
    index = _choice_index(form_field, key)
    others = [choice["label"] for choice in form_field.choices if choice["key"] != key]
    form_field.choices[index]["label"] = _clean_label(label, taken=others)
    form_field.save(update_fields=["choices"])
    _reindex_group_forms(form_field.group_id)
    return form_field


@transaction.atomic
def do_move_form_choice(form_field: FormField, *, key: str, offset: int, acting_user: User) -> FormField:
    _ensure_manager(acting_user, form_field.group)
    form_field = _locked_field(form_field)
    index = _choice_index(form_field, key)
    target = index + offset
    if 0 <= target < len(form_field.choices):
        choices = form_field.choices
        choices[index], choices[target] = choices[target], choices[index]
        form_field.save(update_fields=["choices"])
    return form_field


@transaction.atomic
def do_set_form_choice_removed(form_field: FormField, *, key: str, removed: bool, acting_user: User) -> FormField:
    """Remove a choice from those offered (the tickets that have it keep it), or restore it."""
    _ensure_manager(acting_user, form_field.group)
    form_field = _locked_field(form_field)
    form_field.choices[_choice_index(form_field, key)]["removed"] = removed
    form_field.save(update_fields=["choices"])
    return form_field


def _reindex_group_forms(group_id: int) -> None:
    """Make the group's tickets found by their form values as they now read."""
    fields = list_form_fields(group_id)
    entries = {
        entry.ticket_id: entry
        for entry in SearchEntry.objects.filter(source=SearchEntry.Source.FORM, ticket__group_id=group_id)
    }
    tickets = Ticket.objects.filter(pk__in=entries).values_list("pk", "form_data")
    changed = []
    for ticket_id, form_data in tickets.iterator(chunk_size=2000):
        entry = entries[ticket_id]
        text = search_text(fields, form_data or {})[: search.MAX_INDEXED_CHARS]
        if text != entry.text:
            entry.text = text
            changed.append(entry)
    SearchEntry.objects.bulk_update(changed, ["text"], batch_size=500)


# --- the ticket's form ----------------------------------------------------------------------


def index_form(ticket: Ticket, fields: Sequence[FormField]) -> None:
    """Keep the ticket findable by its form values (one entry per ticket)."""
    text = search_text(fields, ticket.form_data or {})
    if text:
        search.index_text(ticket_id=ticket.pk, source=SearchEntry.Source.FORM, source_id=ticket.pk, text=text)
    else:
        search.remove_text(ticket_id=ticket.pk, source=SearchEntry.Source.FORM, source_id=ticket.pk)


@transaction.atomic
def do_save_ticket_form(
    ticket: Ticket,
    *,
    data: FormData,
    expected_version: int,
    button: FormField | None = None,
    acting_user: User,
) -> Ticket:
    """Save the values an agent entered in the ticket's form, checked by each field's kind;
    with a status button, then set its status (a closed one closes the ticket). Refused with
    FormInvalidError, saving nothing, when a value is wrong or a required field is empty; with
    StaleTicketError when the ticket changed since the agent loaded it (CORE-13). The history
    names each changed field with its values, old → new."""
    ticket = lock_ticket(ticket, acting_user, expected_version=expected_version)
    if not ticket.is_open:
        raise TicketError(_("Reopen the ticket to change its form."))
    fields = list_form_fields(ticket.group_id)
    if button is not None and (button.group_id != ticket.group_id or not button.is_button or button.hidden):
        raise TicketError(_("That button is not on this ticket's form."))
    old = dict(ticket.form_data or {})
    cleaned = clean_form_values(fields, old, data)
    if cleaned.errors:
        raise FormInvalidError(cleaned)
    changes = history_changes(fields, old, cleaned.data)
    ticket.form_data = cleaned.data
    status = button.status if button is not None else None
    if status is not None and not status.is_closed:
        changes += apply_changes(ticket, status=status)
    if changes:
        ticket = save_changes(ticket, changes, acting_user)
        index_form(ticket, fields)
    if status is not None and status.is_closed:
        ticket = do_close_ticket(ticket, status=status, acting_user=acting_user)
    return ticket
