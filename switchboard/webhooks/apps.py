from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Outbound webhooks (API-02): signed HTTP posts to other systems when tickets and contacts change."""

    name = "switchboard.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from switchboard.webhooks import jobs  # noqa: F401  the send jobs, registered with Huey in every process
