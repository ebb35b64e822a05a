"""Mailboxes for administrators (MAIL-01): add, test the connection, check now."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from switchboard.mail.fetch import MailboxError, check_mailbox, try_connection
from switchboard.mail.models import Mailbox


class MailboxForm(forms.ModelForm):  # type: ignore[type-arg]
    new_password = forms.CharField(
        label=_("password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. Leave empty to keep the current one."),
    )

    class Meta:
        model = Mailbox
        fields = [
            "name",
            "group",
            "enabled",
            "protocol",
            "host",
            "port",
            "security",
            "username",
            "new_password",
            "folder",
            "after_fetch",
            "interval_seconds",
        ]

    def save(self, commit: bool = True) -> Mailbox:  # noqa: FBT001, FBT002 - Django's signature
        mailbox: Mailbox = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            mailbox.password = self.cleaned_data["new_password"]
        if commit:
            mailbox.save()
        return mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = MailboxForm
    list_display = ["name", "group", "protocol", "host", "username", "enabled", "last_checked_at", "last_error"]
    list_filter = ["group", "protocol", "enabled"]
    readonly_fields = ["last_checked_at", "last_error"]
    actions = ["test_connection", "check_now"]

    @admin.action(description=_("Test the connection"))
    def test_connection(self, request: HttpRequest, queryset: QuerySet[Mailbox]) -> None:
        for mailbox in queryset:
            try:
                self.message_user(request, f"{mailbox}: {try_connection(mailbox)}", messages.SUCCESS)
            except MailboxError as error:
                self.message_user(request, f"{mailbox}: {error}", messages.ERROR)

    @admin.action(description=_("Check for new mail now"))
    def check_now(self, request: HttpRequest, queryset: QuerySet[Mailbox]) -> None:
        for mailbox in queryset.select_related("group"):
            try:
                report = check_mailbox(mailbox)
            except MailboxError as error:
                self.message_user(request, f"{mailbox}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(box)s: %(n)s new message(s).") % {"box": mailbox, "n": report.stored},
                    messages.SUCCESS,
                )
