"""How a change to a ticket's own fields is written, in the caller's transaction on a ticket it
has locked (``actions.lock_ticket``): the fields that differ are set with their history entries
(``apply_changes``), stamped and saved with the entry (``save_changes``), and followed by read
marks, clocks, notices, search and the live update. The actions (actions.py and its neighbours)
save one ticket this way; routing (assignment.py) stamps and follows many at once with the same
two steps. ``record_activity`` writes any history entry."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, User
from django.utils import timezone

from switchboard.core.rows import insert_row
from switchboard.tickets import report_day_builds, search, service_levels, webhook_events
from switchboard.tickets.messaging import messenger
from switchboard.tickets.models import Activity, ActivityKind, SearchEntry, Status, Ticket, TicketRead
from switchboard.tickets.realtime import publish_ticket_changed_on_commit


def id_of(user: User | None) -> int | None:
    return None if user is None else user.pk


def shown(value: object) -> str:
    """How a field value is written into history: names, not ids, as they were at the time."""
    if value is None or value == "":
        return ""
    if isinstance(value, AbstractBaseUser):
        profile = getattr(value, "agent_profile", None)
        return profile.initials if profile else value.get_username()
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, Status):
        return value.name  # a built-in name stays English here and is shown in the reader's language
    return str(value)


def apply_changes(ticket: Ticket, **values: object) -> list[dict[str, str]]:
    """Set the fields that differ, returning their history entries (old → new)."""
    changes = []
    for field, new in values.items():
        old = getattr(ticket, field)
        if old != new:
            changes.append({"field": field, "old": shown(old), "new": shown(new)})
            setattr(ticket, field, new)
    return changes


def save_changes(ticket: Ticket, changes: list[dict[str, str]], acting_user: User | None) -> Ticket:
    """Stamp and save the changed ticket with its history entry, and what follows; nothing when
    nothing changed."""
    if not changes:
        return ticket
    seen_until = stamp_changes(ticket, changes, acting_user)
    ticket.save()
    record_activity(ticket, ActivityKind.CHANGED, acting_user, changes=changes)
    follow_saved_changes(ticket, changes, acting_user, seen_until)
    return ticket


def stamp_changes(ticket: Ticket, changes: list[dict[str, str]], acting_user: User | None) -> dt.datetime:
    """What a change sets beside its fields; returns the time the ticket was last changed."""
    if any(change["field"] == "owner" for change in changes):
        ticket.assigned_at = timezone.now() if ticket.owner_id else None
        ticket.owner_opened_at = ticket.assigned_at if ticket.owner_id == id_of(acting_user) else None
    ticket.version += 1
    return ticket.updated_at


def follow_saved_changes(
    ticket: Ticket, changes: list[dict[str, str]], acting_user: User | None, seen_until: dt.datetime
) -> None:
    """What follows a saved change with its history entry: read marks, clocks, notices, search
    and the live update."""
    if acting_user is not None:  # their own change does not make a ticket they had read unread to them
        TicketRead.objects.filter(user=acting_user, ticket=ticket, read_at__gte=seen_until).update(
            read_at=ticket.updated_at
        )
    if any(change["field"] in {"status", "group"} for change in changes):
        service_levels.sync_clock(ticket)  # ROUTE-07
    if any(change["field"] == "owner" for change in changes):
        messenger().notify_new_owner(ticket, acting_user=acting_user)
    if ticket.category_id is not None and any(change["field"] == "category" for change in changes):
        messenger().notify_category_agents(ticket, acting_user=acting_user)
    if any(change["field"] == "title" for change in changes):
        search.index_text(ticket_id=ticket.pk, source=SearchEntry.Source.TITLE, source_id=ticket.pk, text=ticket.title)
    publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))


def record_activity(
    ticket: Ticket,
    kind: ActivityKind,
    actor: User | None,
    *,
    body: str = "",
    changes: list[dict[str, str]] | None = None,
) -> Activity:
    activity = Activity(ticket=ticket, kind=kind, actor=actor, body=body, changes=changes or [])
    insert_row(activity)
    report_day_builds.note_activity(ticket, kind, changes)  # ADMIN-02: the summary's days it moves
    webhook_events.history_recorded(activity)  # API-02: in this transaction, to the subscribed endpoints
    return activity


def assign_locked_ticket(ticket: Ticket, *, owner: User | None, acting_user: User | None) -> Ticket:
    """``do_assign_ticket`` (actions.py) on a ticket locked as ``lock_ticket`` does, for an owner
    chosen among the group's members (routing, assignment.py)."""
    return save_changes(ticket, apply_changes(ticket, owner=owner), acting_user)
