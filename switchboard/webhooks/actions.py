"""Administrators' writes to webhooks: endpoints (each saved through the model, so the audit log
records it, the secret as changed only), a delivery retried by hand, a test event."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.webhooks.addresses import resolve
from switchboard.webhooks.models import SUBSCRIBABLE, Event, WebhookDelivery, WebhookEndpoint
from switchboard.webhooks.outbox import record_events
from switchboard.webhooks.signing import new_secret


class WebhookError(Exception):
    """A webhook change that cannot be made; the message is for the administrator."""


@dataclass(frozen=True)
class EndpointValues:
    url: str
    events: list[str]
    description: str = ""
    active: bool = True
    allow_private_address: bool = False


def _ensure_administrator(user: User | None) -> None:
    if user is not None and not user.is_superuser:
        raise WebhookError(_("Only administrators manage webhooks."))


def _apply(endpoint: WebhookEndpoint, values: EndpointValues) -> None:
    """Checks the URL's addresses now (AddressRefusedError) and sets the fields."""
    resolve(values.url, allow_private=values.allow_private_address)
    known = {event.value for event in SUBSCRIBABLE}
    endpoint.url = values.url.strip()
    endpoint.description = values.description.strip()
    endpoint.events = [event for event in known if event in values.events]
    endpoint.events.sort()
    endpoint.allow_private_address = values.allow_private_address
    if values.active and not endpoint.active:  # switched on again: a fresh start
        endpoint.disabled_at = None
        endpoint.failing_since = None
    endpoint.active = values.active


@transaction.atomic
def do_create_endpoint(values: EndpointValues, *, acting_user: User | None) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret, which is shown this once."""
    _ensure_administrator(acting_user)
    endpoint = WebhookEndpoint()
    _apply(endpoint, values)
    secret = new_secret()
    endpoint.secret = secret
    endpoint.save()
    return endpoint, secret


@transaction.atomic
def do_update_endpoint(
    endpoint: WebhookEndpoint, *, values: EndpointValues, acting_user: User | None
) -> WebhookEndpoint:
    _ensure_administrator(acting_user)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    _apply(endpoint, values)
    endpoint.save()
    return endpoint


@transaction.atomic
def do_rotate_secret(endpoint: WebhookEndpoint, *, acting_user: User | None) -> str:
    """A new signing secret, shown once; deliveries sent from now on are signed with it."""
    _ensure_administrator(acting_user)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    secret = new_secret()
    endpoint.secret = secret
    endpoint.save(update_fields=["secret_encrypted"])
    return secret


@transaction.atomic
def do_remove_endpoint(endpoint: WebhookEndpoint, *, acting_user: User | None) -> None:
    _ensure_administrator(acting_user)
    endpoint.delete()


@transaction.atomic
def do_retry_delivery(delivery: WebhookDelivery, *, acting_user: User | None) -> WebhookDelivery:
    """Send a failed delivery again now ("Retry now"); one attempt, then failed again if it fails."""
    _ensure_administrator(acting_user)
    delivery = WebhookDelivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    if delivery.status != WebhookDelivery.Status.FAILED:
        raise WebhookError(_("Only a failed delivery can be sent again."))
    if not delivery.endpoint.active:
        raise WebhookError(_("Switch the endpoint on first."))
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    delivery_id = delivery.pk
    transaction.on_commit(lambda: _send(delivery_id))
    return delivery


def _send(delivery_id: int) -> None:
    from switchboard.webhooks import jobs

    jobs.send_webhook_delivery(delivery_id)


@transaction.atomic
def do_send_test_event(endpoint: WebhookEndpoint, *, acting_user: User | None) -> WebhookDelivery:
    """A "ping" to this endpoint only, whatever it subscribes to, to see that the receiver works."""
    _ensure_administrator(acting_user)
    if not endpoint.active:
        raise WebhookError(_("Switch the endpoint on first."))
    data = {"message": "This is a test event from Switchboard."}
    return record_events(Event.PING, [data], endpoint_ids=[endpoint.pk])[0]
