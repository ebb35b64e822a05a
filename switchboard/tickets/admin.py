from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from switchboard.audit.recorder import recording_many
from switchboard.core.admin import ReadOnlyAdmin
from switchboard.tickets.models import Activity, AgentProfile, Attachment, Group, Membership, Status, Ticket


class StatusInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Status
    extra = 0


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["last_assigned_at"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "slug", "assignment_rule", "purge_photos_on_close", "owner_on_open", "retention_days"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["workflow_people"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "signature", "reply_address"]}),
        (_("Email"), {"fields": ["reply_to_closed", "autoresponder", "resolution_notice", "plus_addressing"]}),
        (
            _("Assignment"),
            {"fields": ["assignment_rule", "assignment_limit", "reassign_unopened_minutes", "workflow_people"]},
        ),
        (
            _("Tickets"),
            {
                "fields": [
                    "contact_titles",
                    "owner_on_open",
                    "timer_starts_on_open",
                    "purge_photos_on_close",
                    "retention_days",
                ]
            },
        ),
        (_("Phone"), {"fields": ["voicemail", "voicemail_refusal"]}),
    ]
    inlines = [StatusInline, MembershipInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        with recording_many(form.instance, "workflow_people"):  # one audit entry for set()'s removals and additions
            super().save_related(request, form, formsets, change)


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "initials", "language", "time_zone"]
    search_fields = ["user__username", "initials"]


class ActivityInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Activity
    fields = readonly_fields = ("created_at", "kind", "actor", "body", "changes")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "group", "status", "owner", "contact", "updated_at", "closed_at"]
    list_filter = ["group", "status__kind", "source"]
    search_fields = ["=number", "title"]
    list_select_related = ["group", "status", "owner", "contact"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["ticket", "actor"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["filename", "content_type", "size", "activity"]
