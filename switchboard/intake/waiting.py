"""The live path's job (LMTP, texts): an adapter stores each message and queues a job for it;
the job applies its own message and the others waiting with it, each in a short transaction of
its own, and routes their tickets per group afterwards (bench/README.md, "Load")."""

from __future__ import annotations

import time
from functools import cached_property

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from switchboard.intake.batch_context import FixedContext
from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import apply_stored
from switchboard.tickets import batch_writes
from switchboard.tickets.assignment import do_assign_waiting_tickets_of
from switchboard.tickets.models import Group
from switchboard.tickets.realtime import held_updates, one_update_per_ticket, send_held

ROUTE_EVERY = 1.0  # seconds at most between a message's commit and its ticket's routing, in a long job


def do_apply_waiting_messages(raw_message_ids: list[int]) -> int:
    """A job's own messages still stored, then the oldest others of their channels still
    stored, up to INTAKE_BATCH_SIZE in all, each in a transaction of its own that takes it with
    ``FOR UPDATE SKIP LOCKED`` (one another job holds is left to it: never applied twice). What
    does not change from one message to the next (our addresses, blocked senders, the users'
    addresses; groups, statuses, members to tell: ``batch_writes.shared_reads``) is read once
    per job; the later jobs find theirs applied and end after one query.

    The messages' transactions lock no agent: a ticket left without an owner is routed with its
    group's other waiting tickets (``do_assign_waiting_tickets``: a transaction per group, its
    candidates locked in user id order, the tickets oldest first) after the commit, at most
    ROUTE_EVERY seconds later and at the job's end. Routing inside each message's transaction
    held the group's agents locked until the message was written, and the workers' threads
    queued for them (bench/results/2026-12-06-apply.txt); routing several groups in one
    transaction deadlocked (bench/README.md "Inbound mail", round 3). Returns how many messages
    this job finished."""
    own = list(
        RawMessage.objects.filter(pk__in=raw_message_ids, state=RawMessage.State.STORED)
        .order_by("pk")
        .values_list("pk", "channel")
    )
    if not own:
        return 0
    waiting = RawMessage.objects.filter(state=RawMessage.State.STORED)
    oldest = waiting.filter(channel__in={channel for _pk, channel in own}).order_by("received_at", "pk")
    job, finished = _Job(), 0
    with batch_writes.shared_reads(), held_updates():
        for key, _channel in own:
            finished += job.apply_first(waiting.filter(pk=key))
        while finished < settings.INTAKE_BATCH_SIZE and job.apply_first(oldest):
            finished += 1
        job.route()
    return finished


class _Job:
    """What one job reads once and what it has left to do after its messages' commits."""

    def __init__(self) -> None:
        self.to_route: dict[int, Group] = {}  # groups with a ticket left without an owner
        self.routed_at = time.monotonic()

    @cached_property
    def fixed(self) -> FixedContext:
        """Read at the first message the job takes: a job whose messages others took reads nothing."""
        return FixedContext.read()

    def apply_first(self, waiting: QuerySet[RawMessage]) -> bool:
        """The first of ``waiting`` that no one else holds, in a transaction of its own, then
        routing if it is due; False if none."""
        with one_update_per_ticket(), transaction.atomic(), batch_writes.batch():
            raw = next(iter(waiting.select_for_update(skip_locked=True)[:1]), None)
            if raw is None:
                return False
            apply_stored(raw, fixed=self.fixed, route_later=self.to_route)
        if time.monotonic() - self.routed_at >= ROUTE_EVERY:
            self.route()
        return True

    def route(self) -> None:
        """The waiting tickets of the groups to route, a group at a time, then the live updates
        of what the job committed (held until now: a ticket's creation and its assignment are
        pushed once)."""
        do_assign_waiting_tickets_of(self.to_route.values())
        self.to_route.clear()
        self.routed_at = time.monotonic()
        send_held()
