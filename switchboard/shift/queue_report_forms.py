"""The queue report's forms (PHONE-08): the agent's dialog and a manager's figures by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from switchboard.core.widgets import LocalDateInput
from switchboard.shift.models import Area
from switchboard.shift.queue_reports import Figures

MAX_FIGURE = 9999


class QueueReportForm(forms.Form):
    calls_waiting = forms.IntegerField(
        label=_("Calls in queue"),
        min_value=0,
        max_value=MAX_FIGURE,
        widget=forms.NumberInput(attrs={"autofocus": True}),
    )
    minutes_waiting = forms.IntegerField(label=_("Longest wait (minutes)"), min_value=0, max_value=MAX_FIGURE)
    outage = forms.TypedChoiceField(
        label=_("Is a node out?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    area = forms.ModelChoiceField(
        label=_("Where"), queryset=Area.objects.all(), required=False, empty_label=_("Choose the area")
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outage") and not data.get("area"):
            self.add_error("area", _("Say in which area the node is out."))
        return data

    @property
    def figures(self) -> Figures:
        data = self.cleaned_data
        return Figures(
            calls_waiting=data["calls_waiting"],
            minutes_waiting=data["minutes_waiting"],
            outage=data["outage"],
            area=data["area"] if data["outage"] else None,
            comment=data["comment"],
        )


class QueueFiguresForm(forms.Form):
    calls_waiting = forms.IntegerField(label=_("Calls in queue"), min_value=0, max_value=MAX_FIGURE)
    minutes_waiting = forms.IntegerField(label=_("Longest wait (minutes)"), min_value=0, max_value=MAX_FIGURE)


class DayForm(forms.Form):
    """The manager's page's day: typed in the reader's format, or 2026-03-02 in the page's links."""

    day = forms.CharField(
        label=_("Day"), required=False, widget=LocalDateInput(attrs={"class": "form-control form-control-sm"})
    )

    def clean_day(self) -> dt.date | None:
        value = self.cleaned_data["day"].strip()
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            day: dt.date = forms.DateField().clean(value)  # the reader's format
            return day
