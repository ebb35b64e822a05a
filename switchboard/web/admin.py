from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest
from django.template.response import TemplateResponse

from switchboard.core.admin import ReadOnlyAdmin
from switchboard.web.models import FormPost


@admin.register(FormPost)
class FormPostAdmin(ReadOnlyAdmin):
    """The web forms' posts, refused ones with the reason; above the list, the refusals counted
    by reason (SELF-01)."""

    list_display = ["created_at", "group", "refusal"]
    list_filter = ["refusal", "group"]
    date_hierarchy = "created_at"
    change_list_template = "admin/web/formpost/change_list.html"

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        counts = dict(
            FormPost.objects.exclude(refusal=FormPost.Refusal.ACCEPTED)
            .order_by()
            .values("refusal")
            .annotate(count=Count("pk"))
            .values_list("refusal", "count")
        )
        refusals = [(label, counts.get(value, 0)) for value, label in FormPost.Refusal.choices if value]
        context = {**(extra_context or {}), "refusals": refusals}
        return super().changelist_view(request, extra_context=context)  # type: ignore[return-value]
