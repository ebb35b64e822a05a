"""One change for many tickets at once (CORE-15)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from switchboard.tickets.actions import (
    TicketError,
    do_assign_ticket,
    do_change_ticket_source,
    do_change_ticket_status,
    do_close_ticket,
    do_move_ticket,
)
from switchboard.tickets.links import do_link_to_parent
from switchboard.tickets.models import (
    Group,
    Status,
    Ticket,
    TicketSource,
)


class BulkAction(models.TextChoices):
    SET_STATUS = "status", gettext_lazy("Set status")
    SET_OWNER = "owner", gettext_lazy("Set owner")
    RELEASE = "release", gettext_lazy("Take the owner off")
    MOVE = "move", gettext_lazy("Move to group")
    SET_SOURCE = "source", gettext_lazy("Change source")
    CLOSE = "close", gettext_lazy("Close")
    LINK_PARENT = "parent", gettext_lazy("Link to parent incident #…")


@dataclass(frozen=True)
class BulkChange:
    """One change for every selected ticket (CORE-15); only the value its action needs is read."""

    action: BulkAction
    status: Status | None = None
    owner: User | None = None
    group: Group | None = None
    source: TicketSource | None = None
    parent: Ticket | None = None


@transaction.atomic
def do_bulk_change_tickets(tickets: list[Ticket], *, change: BulkChange, acting_user: User) -> int:
    """Apply one change to every selected ticket, all or nothing: if one ticket refuses (another
    group's status, an open ticket in the target group…) nothing changes and the error names it."""
    for ticket in tickets:
        try:
            _apply_bulk_change(ticket, change, acting_user)
        except TicketError as error:
            raise TicketError(
                _("Nothing was changed. #%(number)s: %(reason)s") % {"number": ticket.number, "reason": error}
            ) from error
    return len(tickets)


def _apply_bulk_change(ticket: Ticket, change: BulkChange, acting_user: User) -> None:
    if change.action == BulkAction.SET_STATUS and change.status is not None:
        status = change.status
        if status.group_id != ticket.group_id:  # a status of the same kind in the ticket's own group
            status = ticket.group.statuses.filter(kind=status.kind).first() or status
        do_change_ticket_status(ticket, status=status, acting_user=acting_user)
    elif change.action == BulkAction.SET_OWNER and change.owner is not None:
        do_assign_ticket(ticket, owner=change.owner, acting_user=acting_user)
    elif change.action == BulkAction.RELEASE:
        do_assign_ticket(ticket, owner=None, acting_user=acting_user)
    elif change.action == BulkAction.MOVE and change.group is not None:
        do_move_ticket(ticket, group=change.group, reset_status_and_form=True, acting_user=acting_user)
    elif change.action == BulkAction.SET_SOURCE and change.source is not None:
        do_change_ticket_source(ticket, source=change.source, acting_user=acting_user)
    elif change.action == BulkAction.CLOSE:
        do_close_ticket(ticket, acting_user=acting_user)
    elif change.action == BulkAction.LINK_PARENT and change.parent is not None:
        do_link_to_parent(ticket, parent=change.parent, acting_user=acting_user)
    else:
        raise TicketError(_("Choose what to change."))
