"""Live updates through the channel layer: every ticket change is pushed, after commit, to the
people looking at that ticket and at its group's lists (CORE-06, CORE-13)."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from switchboard.tickets.models import Ticket


def ticket_channel_group(ticket_id: int) -> str:
    return f"ticket.{ticket_id}"


def group_channel_group(group_id: int) -> str:
    return f"group.{group_id}"


def publish_ticket_changed_on_commit(ticket: Ticket, *, actor_id: int | None) -> None:
    event = {
        "type": "ticket.changed",
        "ticket": ticket.pk,
        "number": ticket.number,
        "version": ticket.version,
        "group": ticket.group_id,
        "actor": actor_id,
    }
    groups = [ticket_channel_group(ticket.pk), group_channel_group(ticket.group_id)]
    transaction.on_commit(lambda: _send(groups, event))


def _send(groups: list[str], event: dict[str, object]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for name in groups:
        async_to_sync(layer.group_send)(name, event)
