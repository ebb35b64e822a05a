from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from switchboard.core.admin import ReadOnlyAdmin
from switchboard.intake.actions import UNFETCHED
from switchboard.intake.autoresponder import autoresponse_figures
from switchboard.intake.models import AgentReplyAddress, BlockedSender, OutboundMessage, RawMessage
from switchboard.intake.pipeline import do_discard_raw_message, do_retry_raw_message
from switchboard.intake.trust import do_revoke_reply_addresses


@admin.register(RawMessage)
class RawMessageAdmin(ReadOnlyAdmin):
    """Every inbound message as received; quarantined ones are retried or discarded here (MAIL-13)."""

    list_display = ["received_at", "channel", "sender", "state", "reason", "ticket"]
    list_filter = ["state", "channel", "group"]
    search_fields = ["source_key", "message_id", "sender"]
    exclude = ["data"]
    actions = ["retry", "discard"]

    @admin.action(description=_("Retry the quarantined messages"))
    def retry(self, request: HttpRequest, queryset: QuerySet[RawMessage]) -> None:
        for raw in queryset.filter(state=RawMessage.State.QUARANTINED):
            if raw.source_key.endswith(UNFETCHED):  # only its headers are here: the message is at its source
                self.message_user(
                    request,
                    _(
                        "%(message)s is still on the server, not here: raise the size limit "
                        "and the next check fetches it."
                    )
                    % {"message": raw},
                    messages.WARNING,
                )
                continue
            raw = do_retry_raw_message(raw)
            level = messages.SUCCESS if raw.state != RawMessage.State.QUARANTINED else messages.WARNING
            self.message_user(request, f"{raw}: {raw.get_state_display()} {raw.reason}", level)

    @admin.action(description=_("Discard the quarantined messages"))
    def discard(self, request: HttpRequest, queryset: QuerySet[RawMessage]) -> None:
        for raw in queryset.filter(state=RawMessage.State.QUARANTINED):
            do_discard_raw_message(raw, acting_user=request.user)  # type: ignore[arg-type]


@admin.register(BlockedSender)
class BlockedSenderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["sender", "subject_pattern", "note", "dropped", "created_at"]
    search_fields = ["sender", "note"]
    readonly_fields = ["dropped"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    """The outbox; above the list, the autoresponder's last hour against its limits (mail trust)."""

    list_display = ["created_at", "to_address", "subject", "automatic", "state", "ticket"]
    list_filter = ["state", "automatic", "channel"]
    search_fields = ["to_address", "subject", "message_id"]
    change_list_template = "admin/intake/outboundmessage/change_list.html"

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        context = {**(extra_context or {}), "autoresponses": autoresponse_figures()}
        return super().changelist_view(request, extra_context=context)  # type: ignore[return-value]


@admin.register(AgentReplyAddress)
class AgentReplyAddressAdmin(ReadOnlyAdmin):
    """Agents' secret reply addresses (mail trust); an administrator revokes them here."""

    list_display = ["user", "ticket", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "user__email"]
    exclude = ["token"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the reply addresses"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[AgentReplyAddress]) -> None:
        count = do_revoke_reply_addresses(queryset)
        self.message_user(request, _("Reply addresses revoked: %(n)s.") % {"n": count}, messages.SUCCESS)
