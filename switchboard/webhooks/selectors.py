from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet

from switchboard.webhooks.models import WebhookDelivery, WebhookEndpoint


def list_endpoints() -> QuerySet[WebhookEndpoint]:
    """Every endpoint with its deliveries' counts, in one query."""
    return WebhookEndpoint.objects.annotate(
        waiting=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.FAILED)),
        last_delivery_at=Max("deliveries__created_at"),
    ).order_by("url", "pk")


def list_deliveries(endpoint: WebhookEndpoint, *, status: str = "") -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint)
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.order_by("-created_at", "-pk")
