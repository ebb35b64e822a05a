"""The ticket page's callback form (CC-03): when (a relative button, or a date and time typed or
picked in the calendar) and for whom (private: me; public: anyone in the group)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from switchboard.core.widgets import LocalDateTimeInput
from switchboard.tickets.actions import TicketError
from switchboard.tickets.callbacks import QuickTime, check_due_time, quick_due_time


class CallbackForm(forms.Form):
    WHO_CHOICES = [
        ("public", _("Public: anyone in the group calls back")),
        ("private", _("Private: I call back (the ticket becomes mine)")),
    ]

    who = forms.ChoiceField(label=_("Who calls back"), choices=WHO_CHOICES, initial="public", widget=forms.RadioSelect)
    due_at = forms.DateTimeField(label=_("Date and time"), required=False, widget=LocalDateTimeInput())
    # Set by the relative buttons (+15 min … tomorrow 9:00), which submit the form themselves.
    quick = forms.ChoiceField(required=False, choices=[(q.value, q.label) for q in QuickTime])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Ids of its own: the ticket page's header form has a "due" field too.
        kwargs.setdefault("auto_id", "callback_%s")
        super().__init__(*args, **kwargs)
        self.fields["due_at"].widget.attrs.update({"class": "form-control form-control-sm", "data-callback-time": ""})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        quick, typed = data.get("quick"), data.get("due_at")
        if quick:
            data["when"] = quick_due_time(QuickTime(quick))
        elif typed is not None:
            data["when"] = typed
        elif not self.has_error("due_at"):
            self.add_error("due_at", _("Choose when to call back: a button, or a date and time."))
        if isinstance(when := data.get("when"), dt.datetime):
            try:
                check_due_time(when)
            except TicketError as error:
                self.add_error("due_at" if not quick else None, str(error))
        return data

    @property
    def due_time(self) -> dt.datetime:
        when: dt.datetime = self.cleaned_data["when"]
        return when

    @property
    def private(self) -> bool:
        return bool(self.cleaned_data["who"] == "private")
