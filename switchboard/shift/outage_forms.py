"""The forms of the outages page and the banner page (ADMIN-05)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from switchboard.core.widgets import small_controls
from switchboard.shift.broadcasts import BroadcastDraft
from switchboard.shift.outages import banner_groups_for, list_areas
from switchboard.tickets.models import Group
from switchboard.tickets.permissions import visible_groups


class BannerFields(forms.Form):
    """What a banner says, and to whose pages it goes (a manager: their groups)."""

    text = forms.CharField(label=_("Message"), max_length=300, required=False)
    procedure = forms.CharField(
        label=_("Procedure"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What to tell callers and do."),
    )
    contact_name = forms.CharField(label=_("Emergency contact"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Emergency phone"), max_length=40, required=False)
    groups = forms.ModelMultipleChoiceField(
        label=_("To the agents of"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:  # noqa: ANN401 - Django's form arguments
        super().__init__(*args, **kwargs)
        groups = self.fields["groups"]
        assert isinstance(groups, forms.ModelMultipleChoiceField)  # noqa: S101 - declared above
        groups.queryset = banner_groups_for(user)
        if user.is_superuser:
            groups.help_text = _("None ticked: every agent.")
        small_controls(self.fields.values())

    def banner(self) -> BroadcastDraft:
        data = self.cleaned_data
        return BroadcastDraft(
            text=data["text"],
            procedure=data["procedure"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
        )


class BroadcastForm(BannerFields):
    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the message."))
        return text


class OutageForm(BannerFields):
    """Open an outage; with a banner in the same step for those who may post one."""

    area = forms.ModelChoiceField(label=_("Area"), queryset=list_areas(), empty_label=None)
    description = forms.CharField(label=_("What is out"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    post_banner = forms.BooleanField(
        label=_("Post a banner to the agents"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    field_order = ["area", "description", "post_banner", "text", "procedure", "contact_name", "contact_phone", "groups"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("post_banner") and not (data.get("text") or "").strip():
            self.add_error("text", _("Write the banner's message."))
        return data


class IncidentForm(forms.Form):
    """The group of an outage's parent incident ticket: one of the agent's."""

    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none(), empty_label=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:  # noqa: ANN401 - Django's form arguments
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        assert isinstance(group, forms.ModelChoiceField)  # noqa: S101 - declared above
        group.queryset = visible_groups(user).order_by("name")
        small_controls(self.fields.values())
