from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log (ADMIN-03): who changed what in the center's set-up, when and from where."""

    name = "switchboard.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from switchboard.audit import recorder

        recorder.connect()
