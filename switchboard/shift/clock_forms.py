"""The managers' correction of a shift (AGENT-05): its start and end and its breaks', typed in
the agent's language's format and read in the agent's time zone, and why."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from switchboard.core.widgets import LocalDateTimeInput
from switchboard.shift.models import Break, Shift


def _naive(value: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    """The wall-clock time in ``zone``, without a zone: shown as it is, not in the reader's zone."""
    return None if value is None else value.astimezone(zone).replace(tzinfo=None)


def _when() -> LocalDateTimeInput:
    return LocalDateTimeInput(attrs={"class": "form-control form-control-sm"})


class CorrectionForm(forms.Form):
    started_at = forms.DateTimeField(label=_("Clocked in"), widget=_when())
    reason = forms.CharField(
        label=_("Why (required)"),
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args: Any, shift: Shift, breaks: list[Break], zone: ZoneInfo, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, **kwargs)
        self.zone, self.breaks = zone, breaks
        self.initial["started_at"] = _naive(shift.started_at, zone)
        if shift.ended_at is not None:
            self.fields["ended_at"] = forms.DateTimeField(label=_("Clocked out"), widget=_when())
            self.initial["ended_at"] = _naive(shift.ended_at, zone)
        for brk in breaks:
            reason = brk.get_reason_display()
            self.fields[f"break-{brk.pk}-start"] = forms.DateTimeField(
                label=_("%(reason)s: start") % {"reason": reason}, widget=_when()
            )
            self.fields[f"break-{brk.pk}-end"] = forms.DateTimeField(
                label=_("%(reason)s: end") % {"reason": reason},
                widget=_when(),
                required=brk.ended_at is not None,
            )
            self.initial[f"break-{brk.pk}-start"] = _naive(brk.started_at, zone)
            self.initial[f"break-{brk.pk}-end"] = _naive(brk.ended_at, zone)
        self.order_fields(["started_at", "ended_at", *[name for name in self.fields if name.startswith("break-")]])

    def full_clean(self) -> None:
        with timezone.override(self.zone):  # the times typed are the agent's wall clock
            super().full_clean()

    def break_values(self) -> dict[int, tuple[dt.datetime, dt.datetime | None]]:
        data = self.cleaned_data
        return {brk.pk: (data[f"break-{brk.pk}-start"], data.get(f"break-{brk.pk}-end")) for brk in self.breaks}
