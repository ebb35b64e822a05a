from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from switchboard.api.models import ApiToken
from switchboard.api.tokens import EXPIRY_CHOICES


def _expiry_label(days: int) -> str:
    if not days:
        return str(_("Never (until revoked)"))
    return str(ngettext_lazy("%(days)s day", "%(days)s days", days) % {"days": days})


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, such as “CRM sync”."),
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        initial=90,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["expires_in_days"].choices = [(days, _expiry_label(days)) for days in EXPIRY_CHOICES]  # type: ignore[attr-defined]
