from __future__ import annotations

from django.contrib import admin

from switchboard.core.admin import ReadOnlyAdmin
from switchboard.intake.models import RawMessage


@admin.register(RawMessage)
class RawMessageAdmin(ReadOnlyAdmin):
    list_display = ["channel", "source_key", "state", "received_at", "ticket"]
    list_filter = ["channel", "state"]
    search_fields = ["source_key", "message_id"]
    exclude = ["data"]
