from __future__ import annotations

from django.contrib import admin

from switchboard.chat.models import ChatSession
from switchboard.core.admin import ReadOnlyAdmin


@admin.register(ChatSession)
class ChatSessionAdmin(ReadOnlyAdmin):
    """The chats, for looking back: their lines are on their tickets' timelines."""

    list_display = ["started_at", "group", "name", "email", "state", "agent", "ticket", "ending"]
    list_filter = ["state", "group", "ending"]
    search_fields = ["name", "email"]
    exclude = ["key_digest"]
