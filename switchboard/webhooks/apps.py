from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Outbound webhooks (API-02): signed HTTP posts to other systems when tickets and contacts change."""

    name = "switchboard.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from switchboard.webhooks import jobs  # noqa: F401  the send jobs, registered with Huey in every process
        from switchboard.webhooks.models import WebhookEndpoint
        from switchboard.webhooks.outbox import forget_subscriptions

        post_save.connect(forget_subscriptions, sender=WebhookEndpoint, dispatch_uid="webhook-subscriptions")
        post_delete.connect(forget_subscriptions, sender=WebhookEndpoint, dispatch_uid="webhook-subscriptions")
