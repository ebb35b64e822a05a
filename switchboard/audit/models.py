from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SYSTEM = "system"  # the address of a change made outside a request: a job, the command line


class AuditError(Exception):
    """The audit log is append-only: an entry is never changed or removed."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditError("Audit entries cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditError("Audit entries cannot be removed.")


class AuditEntry(models.Model):
    """One administrative change, sign-in or failed sign-in. The actor is kept by id and name
    (no foreign key), so that removing a user changes no entry; the changes are a list of
    ``{"field", "old", "new"}`` with the values as stored then (related objects by their name)."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("audit log", "Created")
        CHANGE = "change", pgettext_lazy("audit log", "Changed")
        DELETE = "delete", pgettext_lazy("audit log", "Removed")
        SIGN_IN = "sign_in", pgettext_lazy("audit log", "Signed in")
        SIGN_IN_FAILED = "sign_in_failed", pgettext_lazy("audit log", "Failed sign-in")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor_id = models.IntegerField(_("user's id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=64, default=SYSTEM)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("kind of object"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object's id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=list, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_entry_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or SYSTEM} {self.action} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditError("Audit entries cannot be removed.")
