"""The shift in the Django admin: administrators keep the list of areas (ADMIN-05, PHONE-08);
outages and banners are shown, written only through their pages (history, live pushes)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from switchboard.core.admin import ReadOnlyAdmin
from switchboard.shift.models import Area, Broadcast, Outage


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "position", "outage_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    ordering = ["position", "name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Area]:
        areas: QuerySet[Area] = super().get_queryset(request)
        return areas.annotate(outage_count=Count("outages"))

    @admin.display(description=_("outages"), ordering="outage_count")
    def outage_count(self, area: Area) -> int:
        return int(getattr(area, "outage_count", 0))


@admin.register(Outage)
class OutageAdmin(ReadOnlyAdmin):
    list_display = ["area", "started_at", "ended_at", "opened_by", "ended_by", "incident"]
    list_filter = ["area"]
    list_select_related = ["area", "opened_by", "ended_by", "incident"]
    date_hierarchy = "started_at"


@admin.register(Broadcast)
class BroadcastAdmin(ReadOnlyAdmin):
    list_display = ["text", "posted_at", "posted_by", "cleared_at", "cleared_by"]
    list_select_related = ["posted_by", "cleared_by"]
    search_fields = ["text", "procedure"]
    date_hierarchy = "posted_at"
