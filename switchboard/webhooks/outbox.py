"""The one door the domain uses (API-02): ``record_event`` writes a delivery row for each active
endpoint subscribed to the event, in the caller's transaction, and starts its send job when that
transaction commits. An action that rolls back leaves no delivery; one nobody subscribed to costs
one small query and writes nothing. Imports only ``core`` and this app's own low modules, so the
domain can call it without importing an interface."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from switchboard.webhooks.models import WebhookDelivery, WebhookEndpoint


@dataclass
class _Known:
    """The subscriptions as read in the current transaction: ``forget`` is the on-commit
    callback registered at ``position`` of the connection's list, which a commit runs and a
    rollback drops; while it is still there, the transaction that read them goes on."""

    wanted: dict[str, list[int]]
    forget: Callable[[], None]
    position: int


def subscriptions() -> dict[str, list[int]]:
    """Event → the ids of the active endpoints that want it: one query over a small table, once
    per transaction (an action that writes many history entries asks once)."""
    connection = transaction.get_connection()
    known: _Known | None = getattr(connection, "webhook_subscriptions", None)
    if known is not None and _still_current(connection.run_on_commit, known):
        return known.wanted
    wanted: dict[str, list[int]] = {}
    for pk, events in WebhookEndpoint.objects.filter(active=True).values_list("pk", "events"):
        for event in events or []:
            wanted.setdefault(event, []).append(pk)
    if connection.in_atomic_block:

        def forget() -> None:
            connection.webhook_subscriptions = None

        position = len(connection.run_on_commit)
        transaction.on_commit(forget)
        connection.webhook_subscriptions = _Known(wanted, forget, position)
    return wanted


def _still_current(callbacks: list[Any], known: _Known) -> bool:
    return len(callbacks) > known.position and callbacks[known.position][1] is known.forget


def forget_subscriptions(**_kwargs: Any) -> None:
    """An endpoint was saved or removed: the next event reads the subscriptions again."""
    transaction.get_connection().webhook_subscriptions = None


def subscribers(event: str) -> list[int]:
    return subscriptions().get(event, [])


def envelope(event: str, data: dict[str, Any], *, event_id: uuid.UUID) -> dict[str, Any]:
    """What every delivery's body holds: the event's id (the same for every endpoint), its name,
    when it happened, and the small ``data`` of the event."""
    return {
        "id": str(event_id),
        "event": event,
        "occurred_at": timezone.now().isoformat(timespec="seconds"),
        "data": data,
    }


def record_event(event: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    return record_events(event, [payload])


def record_events(
    event: str, payloads: Sequence[dict[str, Any]], *, endpoint_ids: Sequence[int] = ()
) -> list[WebhookDelivery]:
    """One delivery per payload and subscribed endpoint (or ``endpoint_ids``: a test event)."""
    targets = list(endpoint_ids) or subscribers(event)
    if not targets or not payloads:
        return []
    rows = []
    for payload in payloads:
        event_id = uuid.uuid4()
        body = envelope(event, payload, event_id=event_id)
        rows += [
            WebhookDelivery(endpoint_id=target, event=event, event_id=event_id, payload=body) for target in targets
        ]
    deliveries = WebhookDelivery.objects.bulk_create(rows)
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: _start_sending(ids))
    return deliveries


def _start_sending(delivery_ids: list[int]) -> None:
    from switchboard.webhooks import jobs  # the jobs import the sender, which needs the models ready

    for delivery_id in delivery_ids:
        jobs.send_webhook_delivery(delivery_id)
