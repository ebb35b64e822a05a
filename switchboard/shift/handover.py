"""End of shift (seed 003: the agent is answerable for unfinished email): before clocking out, the
open tickets the agent owns whose next move is theirs are shown, and each is handed over or kept.
A hand-over gives the ticket to the next agent by the group's rule (ROUTE-01), never back to the
one leaving; where the group assigns nobody automatically, or nobody is available, the ticket
waits unowned in its group. The ticket's timeline records it: a note and the change of owner."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from switchboard.tickets.actions import add_note_to_locked_ticket, lock_ticket
from switchboard.tickets.assignment import AUTOMATIC_RULES, choose_owner
from switchboard.tickets.models import Membership, StatusKind, Ticket
from switchboard.tickets.ticket_changes import assign_locked_ticket


def list_tickets_waiting_on(user: User) -> QuerySet[Ticket]:
    """The open tickets ``user`` owns whose next move is theirs (a new message, "needs contact"),
    the longest waiting first, with what the end-of-shift list shows. One query."""
    return (
        Ticket.objects.filter(owner_id=user.pk, closed_at__isnull=True, status__kind__in=StatusKind.needing_action())
        .select_related("group", "status", "contact")
        .order_by("updated_at", "number")
    )


@transaction.atomic
def do_hand_over_ticket(ticket: Ticket, *, acting_user: User) -> Ticket:
    """``acting_user`` ends their shift and hands their ``ticket`` over: to the agent the group's
    rule chooses among the others, or back to the group's waiting tickets. The ticket is locked and
    read once, for the note and the new owner."""
    current = lock_ticket(ticket, acting_user)
    if current.owner_id != acting_user.pk or not current.is_open:
        return current
    group = current.group
    owner = None
    if group.assignment_rule in AUTOMATIC_RULES:
        others = Membership.objects.filter(group=group, level=Membership.Level.FIRST).exclude(user_id=acting_user.pk)
        owner = choose_owner(group, members=others)
    add_note_to_locked_ticket(current, body=_("Handed over at the end of the shift."), acting_user=acting_user)
    return assign_locked_ticket(current, owner=owner, acting_user=acting_user)
