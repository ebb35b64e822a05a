"""The managers' page of a group's service levels (ROUTE-07): targets, near breach, the breach
rule and the calendar (weekly hours, holidays, time zone)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import TicketError
from switchboard.tickets.business_hours import parse_ranges
from switchboard.tickets.manager_pages import managed_group
from switchboard.tickets.models import ServiceLevel
from switchboard.tickets.service_level_actions import ServiceLevelValues, do_set_service_level

WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]
UNITS = [("min", gettext_lazy("minutes")), ("h", gettext_lazy("hours"))]
HOURS_HELP = gettext_lazy("Like 09:00-17:00, or 08:00-12:00, 13:00-16:00; empty: closed.")


class ServiceLevelForm(forms.Form):
    first_response = forms.IntegerField(label=gettext_lazy("First response within"), min_value=1, required=False)
    first_response_unit = forms.ChoiceField(label=gettext_lazy("unit"), choices=UNITS, initial="h")
    resolution = forms.IntegerField(label=gettext_lazy("Resolution within"), min_value=1, required=False)
    resolution_unit = forms.ChoiceField(label=gettext_lazy("unit"), choices=UNITS, initial="h")
    near_percent = forms.IntegerField(
        label=gettext_lazy("Near breach at"),
        min_value=1,
        max_value=99,
        initial=80,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        help_text=gettext_lazy("Per cent of the target used: the list marks the ticket from then on."),
    )
    breach_rule = forms.ChoiceField(
        label=gettext_lazy("On breach"),
        choices=ServiceLevel.BreachRule.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial=ServiceLevel.BreachRule.NOTIFY_OWNER,
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        initial="Europe/Warsaw",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    holidays = forms.CharField(
        label=gettext_lazy("Holidays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2026-12-24", "class": "form-control form-control-sm"}),
        help_text=gettext_lazy("One date a line (year-month-day): the clock stands still all day."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - a form's arguments
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z) for z in sorted(zoneinfo.available_timezones())]  # type: ignore[attr-defined]
        for day, name in enumerate(WEEKDAYS):
            self.fields[f"day{day}"] = forms.CharField(label=name, required=False, max_length=200)

    def day_fields(self) -> list[forms.BoundField]:
        return [self[f"day{day}"] for day in range(7)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in range(7):
            try:
                data[f"day{day}"] = parse_ranges(data.get(f"day{day}") or "")
            except ValueError as error:
                self.add_error(f"day{day}", _("Not hours: “%(text)s”. %(help)s") % {"text": error, "help": HOURS_HELP})
        days = []
        for line in (data.get("holidays") or "").split():
            try:
                days.append(dt.date.fromisoformat(line).isoformat())
            except ValueError:
                self.add_error("holidays", _("Not a date: “%(text)s”.") % {"text": line})
        data["holidays"] = sorted(set(days))
        return data

    def values(self) -> ServiceLevelValues:
        data = self.cleaned_data

        def minutes(name: str) -> int | None:
            amount = data.get(name)
            return None if amount is None else amount * (60 if data[f"{name}_unit"] == "h" else 1)

        week = {
            str(day): [[f"{a:%H:%M}", "24:00" if b is None else f"{b:%H:%M}"] for a, b in data[f"day{day}"]]
            for day in range(7)
        }
        return ServiceLevelValues(
            time_zone=data["time_zone"],
            week={day: ranges for day, ranges in week.items() if ranges},
            holidays=data["holidays"],
            first_response_minutes=minutes("first_response"),
            resolution_minutes=minutes("resolution"),
            near_percent=data["near_percent"],
            breach_rule=data["breach_rule"],
        )


def _initial(level: ServiceLevel | None) -> dict[str, object]:
    if level is None:
        return {f"day{day}": "09:00-17:00" for day in range(5)}
    initial: dict[str, object] = {
        "near_percent": level.near_percent,
        "breach_rule": level.breach_rule,
        "time_zone": level.time_zone,
        "holidays": "\n".join(level.holidays),
    }
    for name, minutes in (("first_response", level.first_response_minutes), ("resolution", level.resolution_minutes)):
        if minutes is not None:
            hours = minutes % 60 == 0
            initial[name], initial[f"{name}_unit"] = (minutes // 60, "h") if hours else (minutes, "min")
    for day in range(7):
        initial[f"day{day}"] = ", ".join(f"{a}-{b}" for a, b in level.week.get(str(day), []))
    return initial


@login_required
def group_service_levels(request: AgentRequest, slug: str) -> HttpResponse:
    """Set the group's service levels (its managers only)."""
    group = managed_group(request, slug, refusal=_("Only the group's managers set its service levels."))
    level = ServiceLevel.objects.filter(group=group).first()
    form = ServiceLevelForm(request.POST or None, initial=_initial(level))
    if request.method == "POST" and form.is_valid():
        try:
            do_set_service_level(group, values=form.values(), acting_user=request.user)
        except TicketError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Service levels of %(group)s saved.") % {"group": group.name})
            return redirect("group_service_levels", slug=group.slug)
    context = {"group": group, "form": form}
    return render(request, "tickets/service_levels.html", context, status=400 if form.is_bound else 200)
