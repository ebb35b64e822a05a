"""Mailboxes for administrators (MAIL-01): add, connect an OAuth2 account, test the connection,
check now."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from switchboard.mail.fetch import MailboxError, check_mailbox, try_connection
from switchboard.mail.models import Mailbox
from switchboard.mail.oauth2 import OAuth2Error, finish_sign_in, provider_of, start_sign_in

# The OAuth2 sign-in under way in this browser session: {"state", "mailbox", "code_verifier"}.
SIGN_IN_SESSION_KEY = "mail_oauth2_sign_in"
# Changing one of these makes the stored tokens belong to another account or app.
OAUTH2_ACCOUNT_FIELDS = {"auth_method", "oauth_client_id", "oauth_tenant", "username"}


class MailboxForm(forms.ModelForm):  # type: ignore[type-arg]
    new_password = forms.CharField(
        label=_("password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. Leave empty to keep the current one."),
    )
    new_oauth_client_secret = forms.CharField(
        label=_("OAuth2 client secret"),
        required=False,
        strip=True,
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
            "auth_method",
            "new_password",
            "oauth_client_id",
            "new_oauth_client_secret",
            "oauth_tenant",
            "folder",
            "after_fetch",
            "interval_seconds",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data.get("auth_method")
        if method in (Mailbox.AuthMethod.MICROSOFT, Mailbox.AuthMethod.GOOGLE):
            needed = _("Needed for OAuth2: it is on the app's page at the provider.")
            if not data.get("oauth_client_id"):
                self.add_error("oauth_client_id", needed)
            if not data.get("new_oauth_client_secret") and not self.instance.oauth_client_secret_encrypted:
                self.add_error("new_oauth_client_secret", needed)
            if method == Mailbox.AuthMethod.MICROSOFT and not data.get("oauth_tenant"):
                self.add_error("oauth_tenant", needed)
        return data

    def save(self, commit: bool = True) -> Mailbox:  # noqa: FBT001, FBT002 - Django's signature
        mailbox: Mailbox = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            mailbox.password = self.cleaned_data["new_password"]
        if self.cleaned_data.get("new_oauth_client_secret"):
            mailbox.oauth_client_secret = self.cleaned_data["new_oauth_client_secret"]
        if OAUTH2_ACCOUNT_FIELDS & set(self.changed_data):  # the account has to be connected again
            mailbox.oauth_refresh_token_encrypted = mailbox.oauth_access_token_encrypted = ""
            mailbox.oauth_access_token_expires_at = None
        if commit:
            mailbox.save()
        return mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = MailboxForm
    list_display = [
        "name",
        "group",
        "protocol",
        "host",
        "username",
        "auth_method",
        "enabled",
        "last_checked_at",
        "last_error",
    ]
    list_filter = ["group", "protocol", "enabled"]
    readonly_fields = ["oauth2_account", "last_checked_at", "last_error"]
    fieldsets = [
        (None, {"fields": ["name", "group", "enabled", "protocol", "host", "port", "security"]}),
        (
            _("Sign-in"),
            {
                "fields": [
                    "username",
                    "auth_method",
                    "new_password",
                    "oauth_client_id",
                    "new_oauth_client_secret",
                    "oauth_tenant",
                    "oauth2_account",
                ]
            },
        ),
        (None, {"fields": ["folder", "after_fetch", "interval_seconds", "last_checked_at", "last_error"]}),
    ]
    actions = ["test_connection", "check_now"]

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:mailbox_id>/connect-account/",
                self.admin_site.admin_view(self.connect_account),
                name="mail_mailbox_connect_account",
            ),
            path(
                "oauth2/callback/",
                self.admin_site.admin_view(self.oauth2_callback),
                name="mail_mailbox_oauth2_callback",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("account"))
    def oauth2_account(self, mailbox: Mailbox) -> SafeString | str:
        if mailbox.pk is None or not mailbox.uses_oauth2:
            return str(_("For OAuth2: save the mailbox, then connect its account here."))
        if mailbox.oauth_refresh_token_encrypted:
            status, label = _("Connected."), _("Connect the account again")
        else:
            status, label = _("Not connected yet."), _("Connect the account")
        return format_html(
            '{} <a class="button" href="{}">{} ({})</a><br>{} <code>{}</code>',
            status,
            reverse("admin:mail_mailbox_connect_account", args=[mailbox.pk]),
            label,
            provider_of(mailbox).name,
            _("The redirect URI to register with the app:"),
            _redirect_uri(),
        )

    def connect_account(self, request: HttpRequest, mailbox_id: int) -> HttpResponse:
        """Send the administrator to the provider's sign-in and consent page."""
        mailbox = get_object_or_404(Mailbox, pk=mailbox_id)
        if not mailbox.uses_oauth2:
            raise Http404
        sign_in = start_sign_in(mailbox, redirect_uri=_redirect_uri())
        request.session[SIGN_IN_SESSION_KEY] = {
            "state": sign_in.state,
            "mailbox": mailbox.pk,
            "code_verifier": sign_in.code_verifier,
        }
        return HttpResponseRedirect(sign_in.url)

    def oauth2_callback(self, request: HttpRequest) -> HttpResponse:
        """The provider sends the administrator back here with a code (or the reason it did not)."""
        pending = request.session.get(SIGN_IN_SESSION_KEY)
        state = request.GET.get("state", "").encode()
        if not pending or not secrets.compare_digest(state, pending["state"].encode()):
            self.message_user(
                request,
                _("This sign-in was not started in this browser, or is finished already: connect the account again."),
                messages.ERROR,
            )
            return redirect("admin:mail_mailbox_changelist")
        del request.session[SIGN_IN_SESSION_KEY]
        mailbox = get_object_or_404(Mailbox, pk=pending["mailbox"])
        provider = provider_of(mailbox).name
        if "error" in request.GET:  # the administrator said no, or the provider refused the app
            reason = request.GET.get("error_description") or request.GET["error"]
            self.message_user(
                request,
                _("%(box)s: %(provider)s did not connect the account: %(reason)s")
                % {"box": mailbox, "provider": provider, "reason": reason},
                messages.ERROR,
            )
            return redirect("admin:mail_mailbox_change", mailbox.pk)
        try:
            code, verifier = request.GET.get("code", ""), pending["code_verifier"]
            finish_sign_in(mailbox, code=code, code_verifier=verifier, redirect_uri=_redirect_uri())
        except OAuth2Error as error:
            self.message_user(request, f"{mailbox}: {error}", messages.ERROR)
        else:
            self.message_user(
                request, _("%(box)s: connected to %(provider)s.") % {"box": mailbox, "provider": provider}
            )
            self.test_connection(request, Mailbox.objects.filter(pk=mailbox.pk))
        return redirect("admin:mail_mailbox_change", mailbox.pk)

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


def _redirect_uri() -> str:
    """Where the provider sends the administrator back: registered with the app at the provider."""
    return settings.SITE_URL + reverse("admin:mail_mailbox_oauth2_callback")
