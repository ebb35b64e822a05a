from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from switchboard.webhooks.actions import EndpointValues
from switchboard.webhooks.models import SUBSCRIBABLE, WebhookEndpoint


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        widget=forms.URLInput(attrs={"class": "form-control form-control-sm", "placeholder": "https://"}),
        help_text=_("Where the events are posted, with https:// (or http://)."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("Which system receives them, for the people who look after it."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(event.value, event.label) for event in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose at least one event.")},
    )
    active = forms.BooleanField(
        label=_("Active"), required=False, initial=True, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    allow_private_address = forms.BooleanField(
        label=_("Allow private addresses"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_(
            "Only for a receiver in your own network (10.x, 192.168.x, this server). Otherwise "
            "addresses that are not public are refused, so that nobody can use webhooks to reach "
            "your internal systems."
        ),
    )

    @classmethod
    def for_endpoint(cls, endpoint: WebhookEndpoint) -> EndpointForm:
        return cls(
            initial={
                "url": endpoint.url,
                "description": endpoint.description,
                "events": endpoint.events,
                "active": endpoint.active,
                "allow_private_address": endpoint.allow_private_address,
            }
        )

    def values(self) -> EndpointValues:
        data = self.cleaned_data
        return EndpointValues(
            url=data["url"].strip(),
            events=list(data["events"]),
            description=data["description"],
            active=data["active"],
            allow_private_address=data["allow_private_address"],
        )
