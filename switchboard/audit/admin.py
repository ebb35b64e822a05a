from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from switchboard.audit.models import AuditEntry
from switchboard.audit.recorder import recording_many


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the log is append-only (the Audit log page is where administrators read it)."""

    list_display = ["at", "actor_name", "address", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_label"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False


User = get_user_model()
_UserAdmin: Any = type(admin.site._registry[User])
admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(_UserAdmin):  # type: ignore[misc]
    """Django's user admin; the groups and permissions it sets are one entry each, not two
    (``set()`` removes, then adds)."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        with recording_many(form.instance, "groups", "user_permissions"):
            super().save_related(request, form, formsets, change)
