"""Time per ticket (AGENT-07): the writes. An agent logs their own minutes on a ticket they may
work on, from the ticket page's timer or by hand (``do_log_time``); each reply they send records
its handle time (``record_handle_time``, called by the reply actions in their transaction).

Handle time follows Zendesk's definition (its "agent handle time" of an assigned ticket): the
time from the ticket's assignment to the agent until their reply. For a later reply of the same
agent on the same ticket it counts from their previous reply, so the handle times of a ticket add
up without counting any stretch twice. Only the ticket's owner has handle time: a colleague who
answers a ticket that is not theirs was never given it. We count from the assignment, not from
the moment the owner first opened the ticket: a ticket waiting on the owner's desk unopened is
time the contact waits on them, which is what the figure is for (the same choice as Zendesk's).
Live chat lines are not replies in this sense and record none.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from switchboard.tickets.actions import TicketError, lock_ticket
from switchboard.tickets.models import (
    MAX_ENTRY_MINUTES,
    TIME_NOTE_LENGTH,
    Activity,
    ActivityKind,
    HandleTime,
    Ticket,
    TimeEntry,
    TimeSource,
)
from switchboard.tickets.realtime import publish_ticket_changed_on_commit
from switchboard.tickets.ticket_changes import id_of, record_activity

# The history entry of logged time (CORE-09): the ticket's total minutes, old → new.
TIME_SPENT_FIELD = "time_spent"


class TimeEntryError(TicketError):
    """Minutes that cannot be logged; the message is for the agent."""


def check_minutes(minutes: int) -> int:
    if minutes <= 0:
        raise TimeEntryError(_("Enter the minutes spent: at least 1."))
    if minutes > MAX_ENTRY_MINUTES:
        raise TimeEntryError(
            _("One entry can hold at most %(hours)d hours (%(minutes)d minutes); log a longer time in parts.")
            % {"hours": MAX_ENTRY_MINUTES // 60, "minutes": MAX_ENTRY_MINUTES}
        )
    return minutes


@transaction.atomic
def do_log_time(
    ticket: Ticket, *, minutes: int, acting_user: User, note: str = "", source: TimeSource = TimeSource.MANUAL
) -> TimeEntry:
    """``acting_user`` logs ``minutes`` of their own work on the ticket (1 to MAX_ENTRY_MINUTES),
    with an optional note. Only someone who may work on the ticket can. The timeline gets a small
    history line with the ticket's total time, old → new, and the note."""
    check_minutes(minutes)
    note = " ".join(note.split())
    if len(note) > TIME_NOTE_LENGTH:
        raise TimeEntryError(_("A note can be at most %(count)d characters long.") % {"count": TIME_NOTE_LENGTH})
    ticket = lock_ticket(ticket, acting_user)  # refuses those who may not work on it
    before = TimeEntry.objects.filter(ticket=ticket).aggregate(total=Sum("minutes"))["total"] or 0
    entry = TimeEntry.objects.create(
        ticket=ticket, group_id=ticket.group_id, agent=acting_user, minutes=minutes, note=note, source=source
    )
    changes = [{"field": TIME_SPENT_FIELD, "old": str(before), "new": str(before + minutes)}]
    record_activity(ticket, ActivityKind.CHANGED, acting_user, body=note, changes=changes)
    ticket.version += 1
    ticket.save(update_fields=["version", "updated_at"])
    publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    return entry


def record_handle_time(ticket: Ticket, *, reply: Activity, agent: User) -> HandleTime | None:
    """The reply's handle time, in the reply action's transaction (the ticket locked by it):
    from the ticket's assignment to ``agent``, or from their previous reply on it since, to the
    reply. None when ``agent`` does not own the ticket."""
    if ticket.owner_id != agent.pk or ticket.assigned_at is None:
        return None
    previous = (
        HandleTime.objects.filter(ticket=ticket, agent=agent, replied_at__gte=ticket.assigned_at)
        .order_by("-replied_at")
        .values_list("replied_at", flat=True)
        .first()
    )
    started_at = previous or ticket.assigned_at
    seconds = max(0, int((reply.created_at - started_at).total_seconds()))
    return HandleTime.objects.create(
        reply=reply,
        ticket=ticket,
        group_id=ticket.group_id,
        agent=agent,
        started_at=started_at,
        replied_at=reply.created_at,
        seconds=seconds,
    )
