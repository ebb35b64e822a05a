"""The tickets a person may see, narrowed by the filters a program asks for (API-01): group,
kind of status, owner, channel, changed since. Through ``visible_tickets``, so a filter never
widens what the person sees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from switchboard.tickets.models import Ticket
from switchboard.tickets.permissions import User, visible_tickets


@dataclass(frozen=True)
class TicketFilters:
    group_id: int | None = None
    status_kind: str | None = None
    owner_id: int | None = None
    unowned: bool = False
    source: str | None = None
    updated_since: dt.datetime | None = None
    state: str = "all"  # "open", "closed" or "all"


def list_filtered_tickets(user: User, filters: TicketFilters) -> QuerySet[Ticket]:
    """The visible tickets that match, with what a row shows (group, status, owner) joined."""
    tickets = visible_tickets(user).select_related("group", "status", "merged_into")
    if filters.group_id is not None:
        tickets = tickets.filter(group_id=filters.group_id)
    if filters.status_kind:
        tickets = tickets.filter(status__kind=filters.status_kind)
    if filters.unowned:
        tickets = tickets.filter(owner__isnull=True)
    elif filters.owner_id is not None:
        tickets = tickets.filter(owner_id=filters.owner_id)
    if filters.source:
        tickets = tickets.filter(source=filters.source)
    if filters.updated_since is not None:
        tickets = tickets.filter(updated_at__gte=filters.updated_since)
    if filters.state == "open":
        tickets = tickets.filter(closed_at__isnull=True)
    elif filters.state == "closed":
        tickets = tickets.filter(closed_at__isnull=False)
    return tickets
