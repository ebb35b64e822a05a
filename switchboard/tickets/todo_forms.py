"""The to-do form (AGENT-02), on home and on the ticket page: what is to be done and, if it
should be, by when, typed in the agent's format or picked in the calendar."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from switchboard.core.widgets import LocalDateTimeInput
from switchboard.tickets.models import TODO_TEXT_LENGTH


class TodoForm(forms.Form):
    text = forms.CharField(label=_("To do"), max_length=TODO_TEXT_LENGTH)
    due_at = forms.DateTimeField(label=_("Due (optional)"), required=False, widget=LocalDateTimeInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Ids of its own: the ticket page has a "due" field of the ticket's.
        kwargs.setdefault("auto_id", "todo_%s")
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs.update({"class": "form-control form-control-sm", "data-todo-text": ""})
        # data-callback-time: the box the calendar button writes into (core/callbacks.js).
        self.fields["due_at"].widget.attrs.update({"class": "form-control form-control-sm", "data-callback-time": ""})
