"""What the tickets tell other systems (API-02): the events are read off the history the actions
write (``record_activity`` hands every history entry here), and off an agent's answer, and go to
the webhooks' outbox in the action's own transaction. The data is small and stable: a receiver
that wants more asks the API."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse

from switchboard.tickets.models import Activity, ActivityKind, Ticket
from switchboard.webhooks.models import Event
from switchboard.webhooks.outbox import record_events, subscriptions

CHANNELS = {ActivityKind.EMAIL_OUT: "email", ActivityKind.SMS_OUT: "sms"}


def ticket_data(ticket: Ticket) -> dict[str, Any]:
    owner = ticket.owner
    return {
        "ticket": {
            "number": ticket.number,
            "group": ticket.group.slug,
            "status": ticket.status.name,
            "status_kind": ticket.status.kind,
            "owner": owner.get_username() if owner is not None else None,
            "subject": ticket.title,
            "contact_id": ticket.contact_id,
            "source": ticket.source,
            "closed": ticket.closed_at is not None,
            "url": settings.SITE_URL + reverse("ticket", args=[ticket.number]),
        }
    }


def events_of(activity: Activity) -> list[Event]:
    """The events a history entry stands for."""
    kind = activity.kind
    if kind == ActivityKind.CREATED:
        return [Event.TICKET_CREATED]
    if kind == ActivityKind.CLOSED or (kind == ActivityKind.MERGED and activity.ticket.merged_into_id is not None):
        return [Event.TICKET_CLOSED]
    if kind not in {ActivityKind.CHANGED, ActivityKind.REOPENED}:
        return []
    fields = {change.get("field") for change in activity.changes or []}
    events = [Event.TICKET_UPDATED]
    if "status" in fields:
        events.append(Event.TICKET_STATUS_CHANGED)
    if "owner" in fields:
        events.append(Event.TICKET_ASSIGNED)
    return events


def _send(ticket: Ticket, events: Sequence[Event], *, extra: dict[str, Any] | None = None) -> None:
    wanted = subscriptions()  # one small query; nothing more when no endpoint wants these events
    events = [event for event in events if wanted.get(event)]
    if not events:
        return
    data = ticket_data(ticket) | (extra or {})
    for event in events:
        record_events(event, [data], endpoint_ids=wanted[event])


def history_recorded(activity: Activity) -> None:
    if events := events_of(activity):
        _send(activity.ticket, events)


def ticket_answered(ticket: Ticket, *, reply: Activity) -> None:
    """An agent's answer to the contact (email or SMS) was queued."""
    _send(ticket, [Event.TICKET_REPLIED], extra={"reply": {"channel": CHANNELS.get(ActivityKind(reply.kind), "")}})


def tickets_created(tickets: Iterable[Ticket]) -> None:
    """Many new tickets at once (an outbound campaign): one query, one insert."""
    if endpoint_ids := subscriptions().get(Event.TICKET_CREATED):
        record_events(Event.TICKET_CREATED, [ticket_data(ticket) for ticket in tickets], endpoint_ids=endpoint_ids)
