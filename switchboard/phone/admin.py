"""Phone numbers for administrators: the number at the provider, its credentials (the auth token
stored encrypted, like mailbox passwords) and its voice menu (PHONE-01)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from switchboard.phone.models import MenuEntry, PhoneNumber


class PhoneNumberForm(forms.ModelForm):  # type: ignore[type-arg]
    new_auth_token = forms.CharField(
        label=_("auth token"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. Leave empty to keep the current one."),
    )

    class Meta:
        model = PhoneNumber
        fields = ["number", "account_sid", "new_auth_token", "language", "default_group", "enabled"]

    def clean_new_auth_token(self) -> str:
        token: str = self.cleaned_data.get("new_auth_token", "")
        if not token and not self.instance.auth_token_encrypted:
            raise forms.ValidationError(_("Needed to check that calls and texts come from the provider."))
        return token

    def save(self, commit: bool = True) -> PhoneNumber:  # noqa: FBT001, FBT002 - Django's signature
        number: PhoneNumber = super().save(commit=False)
        if self.cleaned_data.get("new_auth_token"):
            number.auth_token = self.cleaned_data["new_auth_token"]
        if commit:
            number.save()
        return number


class MenuEntryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MenuEntry
    extra = 1


@admin.register(PhoneNumber)
class PhoneNumberAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PhoneNumberForm
    inlines = [MenuEntryInline]
    list_display = ["number", "language", "default_group", "enabled"]
    list_filter = ["enabled", "language"]
