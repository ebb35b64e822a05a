"""The ticket page's time form (AGENT-07): the timer's minutes, adjusted, or typed by hand."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from switchboard.tickets.models import MAX_ENTRY_MINUTES, TIME_NOTE_LENGTH, TimeSource


class TimeEntryForm(forms.Form):
    """Minutes (the timer's, adjusted, or typed) and a note; ``source`` says which (the timer's
    script sets it)."""

    minutes = forms.IntegerField(label=gettext_lazy("Minutes"))
    note = forms.CharField(label=gettext_lazy("Note (optional)"), required=False, max_length=TIME_NOTE_LENGTH)
    source = forms.ChoiceField(choices=TimeSource.choices, initial=TimeSource.MANUAL, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "time_%s")  # the ticket page has a "note" of its own
        super().__init__(*args, **kwargs)
        self.fields["minutes"].widget.attrs.update(
            {
                "class": "form-control form-control-sm",
                "min": "1",
                "max": str(MAX_ENTRY_MINUTES),
                "inputmode": "numeric",
                "data-timer-minutes": "",
            }
        )
        self.fields["note"].widget.attrs.update({"class": "form-control form-control-sm", "data-timer-note": ""})
        self.fields["source"].widget.attrs.update({"data-timer-source": ""})
