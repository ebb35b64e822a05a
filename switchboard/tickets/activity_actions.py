"""Writes of the activities tab (CC-07): move an entry of a ticket's timeline to another ticket,
and add a note to an entry. Each is one transaction that records its history (CORE-09) on every
ticket it changes and pushes their live updates after commit."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from switchboard.tickets import search
from switchboard.tickets.actions import TicketError, lock_ticket
from switchboard.tickets.activity_selectors import MOVABLE_KINDS, NOTABLE_KINDS
from switchboard.tickets.models import Activity, ActivityKind, SearchEntry, Ticket
from switchboard.tickets.realtime import publish_ticket_changed_on_commit
from switchboard.tickets.ticket_changes import id_of, record_activity

# An outbound message the outbox has not sent yet (intake.models.OutboundMessage.State.QUEUED).
QUEUED = "queued"


class ActivityMoveError(TicketError):
    """A move that cannot be done; the message says why, to the agent who tried."""


def describe(activity: Activity) -> str:
    """An entry as the history names it: its kind and when it happened, in the reader's time zone."""
    when = formats.date_format(timezone.localtime(activity.created_at), "SHORT_DATETIME_FORMAT")
    return _("%(kind)s (%(when)s)") % {"kind": activity.get_kind_display(), "when": when}


@transaction.atomic
def do_move_activity(activity: Activity, *, into: Ticket, acting_user: User) -> Activity:
    """Move ``activity`` (a message, call or note, with its files and the notes on it) from its
    ticket to ``into``; both tickets' histories say so ("moved to #N", "moved from #M"). The
    agent must work in both tickets' groups. History entries stay where they happened."""
    if activity.kind not in MOVABLE_KINDS:
        raise ActivityMoveError(_("A history entry stays on its ticket: only messages, calls and notes can be moved."))
    if activity.parent_id is not None:
        raise ActivityMoveError(_("A note on an entry moves with that entry."))
    if activity.ticket_id == into.pk:
        raise ActivityMoveError(_("This entry is already on ticket #%(number)s.") % {"number": into.number})
    # Lock both tickets in id order (two opposite moves at once cannot deadlock), then the entry.
    tickets = {}
    for ticket in sorted([Ticket(pk=activity.ticket_id), into], key=lambda t: t.pk):
        try:
            tickets[ticket.pk] = lock_ticket(ticket, acting_user)
        except PermissionDenied:
            number = into.number if ticket.pk == into.pk else activity.ticket.number
            raise ActivityMoveError(
                _("You cannot work on ticket #%(number)s: it is not in one of your groups.") % {"number": number}
            ) from None
    source, into = tickets[activity.ticket_id], tickets[into.pk]
    current = Activity.objects.select_for_update().filter(pk=activity.pk, ticket=source).first()
    if current is None:
        raise ActivityMoveError(_("This entry was moved by someone else in the meantime."))
    if into.merged_into_id is not None:
        raise ActivityMoveError(
            _("Ticket #%(number)s was merged into another ticket: move it there.") % {"number": into.number}
        )
    outbound = getattr(current, "outbound_message", None)
    if outbound is not None and outbound.state == QUEUED:
        raise ActivityMoveError(_("This message is still being sent: move it once it has gone."))
    moved = [current.pk, *current.activity_notes.values_list("pk", flat=True)]
    Activity.objects.filter(pk__in=moved).update(ticket=into)
    SearchEntry.objects.filter(source=SearchEntry.Source.ACTIVITY, source_id__in=moved, ticket=source).update(
        ticket=into
    )
    what = describe(current)
    record_activity(
        source,
        ActivityKind.CHANGED,
        acting_user,
        body=_("%(entry)s moved to #%(number)s.") % {"entry": what, "number": into.number},
    )
    record_activity(
        into,
        ActivityKind.CHANGED,
        acting_user,
        body=_("%(entry)s moved from #%(number)s.") % {"entry": what, "number": source.number},
    )
    for ticket in (source, into):
        ticket.version += 1
        ticket.save(update_fields=["version", "updated_at"])
        publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    current.ticket = into
    return current


@transaction.atomic
def do_add_activity_note(activity: Activity, *, body: str, acting_user: User) -> Activity:
    """An internal note on one entry of the timeline (CC-07): shown under it, moved with it, never
    shown to the contact; the ticket's history records it."""
    body = body.strip()
    if not body:
        raise TicketError(_("A note cannot be empty."))
    if activity.kind not in NOTABLE_KINDS or activity.parent_id is not None:
        raise TicketError(_("A note cannot have a note of its own: add to it as a new note on the ticket."))
    ticket = lock_ticket(Ticket(pk=activity.ticket_id), acting_user)
    current = Activity.objects.filter(pk=activity.pk, ticket=ticket).first()
    if current is None:
        raise TicketError(_("This entry was moved to another ticket in the meantime."))
    note = Activity.objects.create(ticket=ticket, kind=ActivityKind.NOTE, actor=acting_user, body=body, parent=current)
    search.add_text(ticket_id=ticket.pk, source=SearchEntry.Source.ACTIVITY, source_id=note.pk, text=body)
    record_activity(
        ticket, ActivityKind.CHANGED, acting_user, body=_("Note added to: %(entry)s.") % {"entry": describe(current)}
    )
    ticket.version += 1
    ticket.save(update_fields=["version", "updated_at"])
    publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    return note
