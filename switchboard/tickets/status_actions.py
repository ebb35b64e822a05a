"""A group's managers keep its statuses (CORE-04, ADMIN-01): name, kind, colour, order, initial.

What must always hold, and why:
- exactly one initial status, of an open kind: new and reopened tickets take it, and an open
  ticket cannot sit in a closed status;
- at least one status of the plain "closed" kind: Close, merges and "Close completed tickets"
  close in it;
- a status that tickets use is never removed (they would lose their status), and never moves
  between the open and the closed kinds (open tickets would look closed, or closed ones open).
Other kinds may be left without a status: what sets them (a reply's "waiting for the contact",
a message's "needs contact") then leaves the status as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from switchboard.core.ordering import move_one_place
from switchboard.tickets import report_day_builds
from switchboard.tickets.actions import TicketError
from switchboard.tickets.models import BUILT_IN_STATUS_NAMES, STATUS_KIND_LOOK, Group, Status, StatusKind, Ticket
from switchboard.tickets.permissions import can_manage

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class StatusValues:
    """What a manager sets for one status on the statuses page."""

    name: str
    kind: StatusKind
    colour: str  # "#rrggbb"; the kind's own colour (or empty) follows the kind


def _ensure_manager(user: User, group: Group) -> None:
    if not can_manage(user, group):
        raise PermissionDenied(_("Only the group's managers change its statuses."))


def _stored_name(name: str, kind: str) -> str:
    """The kind's built-in name, typed in English or in the reader's language, is stored in
    English, so that it goes on following each reader's language."""
    name = " ".join(name.split())
    built_in = BUILT_IN_STATUS_NAMES[kind]
    if name.casefold() in {built_in.casefold(), _(built_in).casefold()}:
        return built_in
    return name


def _check_name(group: Group, name: str, *, status: Status | None) -> None:
    if not name:
        raise TicketError(_("Give the status a name."))
    if len(name) > 100:
        raise TicketError(_("A status name is 100 characters at most."))
    others = group.statuses.exclude(pk=status.pk) if status else group.statuses.all()
    taken = {seen.casefold() for other in others for seen in (other.name, other.display_name)}
    if name.casefold() in taken or _(name).casefold() in taken:
        raise TicketError(_("The group already has a status named “%(name)s”.") % {"name": _(name)})


def _stored_colour(colour: str, kind: str, *, before: Status | None = None) -> str:
    """Empty when it is the kind's own colour (the status then follows its kind's colour)."""
    colour = colour.strip().lower()
    if colour and not COLOUR.match(colour):
        raise TicketError(_("Choose a colour."))
    kind_colours = {STATUS_KIND_LOOK[kind][1].lower()}
    if before is not None and not before.colour:
        kind_colours.add(STATUS_KIND_LOOK[before.kind][1].lower())  # untouched: it follows the kind
    return "" if colour in kind_colours else colour


def _tickets_using(status: Status) -> int:
    return Ticket.objects.filter(status=status).count()


def _uses_message(count: int) -> str:
    return ngettext("%(count)s ticket has this status.", "%(count)s tickets have this status.", count) % {
        "count": count
    }


@transaction.atomic
def do_add_status(group: Group, *, values: StatusValues, acting_user: User) -> Status:
    _ensure_manager(acting_user, group)
    name = _stored_name(values.name, values.kind)
    _check_name(group, name, status=None)
    last = group.statuses.order_by("-position").values_list("position", flat=True).first()
    return Status.objects.create(
        group=group,
        name=name,
        kind=values.kind,
        colour=_stored_colour(values.colour, values.kind),
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def do_update_status(status: Status, *, values: StatusValues, acting_user: User) -> Status:
    """Rename, recolour or change the kind of one status; refused (with the reason) when it
    would break what must hold (the module's docstring)."""
    status = Status.objects.select_for_update().select_related("group").get(pk=status.pk)
    group = status.group
    _ensure_manager(acting_user, group)
    name = values.name if " ".join(values.name.split()) != status.display_name else status.name
    name = _stored_name(name, values.kind)
    _check_name(group, name, status=status)
    if values.kind != status.kind:
        closes = values.kind in StatusKind.closed_kinds()
        if closes != status.is_closed:
            if status.is_initial and closes:
                raise TicketError(_("The initial status cannot be of a closed kind: make another one initial first."))
            if count := _tickets_using(status):
                raise TicketError(
                    _uses_message(count)
                    + " "
                    + _("It cannot move between the open and the closed kinds; add a new status instead.")
                )
        if (
            status.kind == StatusKind.CLOSED
            and not group.statuses.filter(kind=StatusKind.CLOSED).exclude(pk=status.pk).exists()
        ):
            raise TicketError(_("The group needs a status of the kind “Closed”: tickets are closed in it."))
    if values.kind != status.kind:
        report_day_builds.mark_status_days_stale(status)  # a close counts by its status's kind
    status.colour = _stored_colour(values.colour, values.kind, before=status)
    status.name, status.kind = name, values.kind
    status.save(update_fields=["name", "kind", "colour"])
    return status


@transaction.atomic
def do_set_initial_status(status: Status, *, acting_user: User) -> Status:
    """New and reopened tickets of the group take this status."""
    _ensure_manager(acting_user, status.group)
    if status.is_closed:
        raise TicketError(_("The initial status cannot be of a closed kind."))
    for other in status.group.statuses.filter(is_initial=True).exclude(pk=status.pk):
        other.is_initial = False
        other.save(update_fields=["is_initial"])  # saved, not updated: the audit log records it
    status.is_initial = True
    status.save(update_fields=["is_initial"])
    return status


@transaction.atomic
def do_move_status(status: Status, *, up: bool, acting_user: User) -> None:
    """One place up or down in the group's order (the order of the lists' status menus)."""
    _ensure_manager(acting_user, status.group)
    ordered = list(status.group.statuses.select_for_update().order_by("position", "id"))
    before = {row.pk: row.position for row in ordered}
    if move_one_place(ordered, status.pk, up=up):
        for row in ordered:  # saved, not bulk-updated: the audit log records each move
            if row.position != before[row.pk]:
                row.save(update_fields=["position"])


@transaction.atomic
def do_remove_status(status: Status, *, acting_user: User) -> None:
    """Remove a status no ticket uses; the initial one and the last "closed" one stay."""
    status = Status.objects.select_for_update().select_related("group").get(pk=status.pk)
    _ensure_manager(acting_user, status.group)
    if status.is_initial:
        raise TicketError(_("The initial status cannot be removed: make another one initial first."))
    if (
        status.kind == StatusKind.CLOSED
        and not status.group.statuses.filter(kind=StatusKind.CLOSED).exclude(pk=status.pk).exists()
    ):
        raise TicketError(_("The group needs a status of the kind “Closed”: tickets are closed in it."))
    if count := _tickets_using(status):
        raise TicketError(_uses_message(count) + " " + _("Move them to another status first; then it can be removed."))
    try:
        status.delete()
    except ProtectedError:  # a canned response or a form's button sets it
        raise TicketError(
            _("Something of the group still sets this status (a canned response or a form's button).")
        ) from None
