"""Live updates through the channel layer: every ticket change is pushed, after commit, to the
people looking at that ticket and at its group's lists (CORE-06, CORE-13)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from switchboard.tickets.models import Ticket


def ticket_channel_group(ticket_id: int) -> str:
    return f"ticket.{ticket_id}"


def group_channel_group(group_id: int) -> str:
    return f"group.{group_id}"


Event = tuple[list[str], dict[str, object]]
_batch = threading.local()


def publish_ticket_changed_on_commit(ticket: Ticket, *, actor_id: int | None) -> None:
    event = {
        "type": "ticket.changed",
        "ticket": ticket.pk,
        "number": ticket.number,
        "version": ticket.version,
        "group": ticket.group_id,
        "owner": ticket.owner_id,  # who may hear of it where agents see only their own (ADMIN-01)
        "actor": actor_id,
    }
    groups = [ticket_channel_group(ticket.pk), group_channel_group(ticket.group_id)]
    pending: dict[int, Event] | None = getattr(_batch, "pending", None)
    if pending is not None:
        pending[ticket.pk] = (groups, event)  # the latest change of each ticket, sent once
    else:
        transaction.on_commit(lambda: _send([(groups, event)]))


@contextmanager
def one_update_per_ticket() -> Iterator[None]:
    """Around a transaction that changes many tickets (an intake batch): each changed ticket is
    pushed once, after the block; nothing is pushed if the block raises."""
    _batch.pending = {}
    try:
        yield
        events = list(_batch.pending.values())
    finally:
        _batch.pending = None
    transaction.on_commit(lambda: _send(events))  # at once, or when an enclosing transaction commits


@contextmanager
def held_updates() -> Iterator[None]:
    """Around a job of several transactions (the intake's live path, intake/waiting.py): what
    their commits push is held, the latest update of each ticket, and pushed in one trip into the
    channel layer by ``send_held`` or at the block's end (a trip costs the job more CPU than a
    message's other writes: an event loop and a Redis connection each time)."""
    _batch.held = {}
    try:
        yield
    finally:
        held, _batch.held = _batch.held, None
        _send(list(held.values()))


def send_held() -> None:
    """Push the updates ``held_updates`` holds so far."""
    held: dict[object, Event] | None = getattr(_batch, "held", None)
    if held:
        events = list(held.values())
        held.clear()
        _send(events, holding=False)


def _send(events: list[Event], *, holding: bool = True) -> None:
    held: dict[object, Event] | None = getattr(_batch, "held", None) if holding else None
    if held is not None:  # committed: pushed with the job's others
        held.update((event["ticket"], (groups, event)) for groups, event in events)
        return
    layer = get_channel_layer()
    if layer is None or not events:
        return

    async def send_all() -> None:  # one trip into the event loop for all of them
        for groups, event in events:
            for name in groups:
                await layer.group_send(name, event)

    async_to_sync(send_all)()
