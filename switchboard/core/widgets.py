"""Widgets of the agents' forms: Bootstrap's small controls (``small_controls``), and date and
time fields in the agent's language, not the browser's: a text box in the language's format
(dd.mm.rrrr in Polish), with that format as its placeholder, read back on the server by Django's
localized input formats. A browser's own date picker (<input type="date">) shows the browser's
locale instead, e.g. mm/dd/yyyy in an en-US browser for a Polish agent."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.widgets import DateTimeBaseInput
from django.utils import formats
from django.utils.translation import gettext, gettext_noop


def small_controls(fields: Iterable[forms.Field]) -> None:
    """Bootstrap's small controls for the fields' widgets: a select box, or a text box of any kind.
    Check boxes and radio lists keep their own look (their templates place them); a class a
    widget already has stays."""
    for field in fields:
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        small = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
        widget.attrs.setdefault("class", small)


# What each format directive stands for in a placeholder, in the reader's words.
_PLACEHOLDER_PARTS = {
    "%d": gettext_noop("dd"),
    "%m": gettext_noop("mm"),
    "%Y": gettext_noop("yyyy"),
    "%y": gettext_noop("yy"),
    "%H": gettext_noop("hh"),
    "%M": gettext_noop("mm"),
}


def _placeholder(date_format: str) -> str:
    for directive, part in _PLACEHOLDER_PARTS.items():
        date_format = date_format.replace(directive, gettext(part))
    return date_format


class _LocalInput(DateTimeBaseInput):
    input_type = "text"
    time_part = ""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def local_format(self) -> str:
        return str(formats.get_format("DATE_INPUT_FORMATS")[0]) + self.time_part

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        return str(formats.localize_input(value, self.local_format()))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", _placeholder(self.local_format()))
        return context


class LocalDateInput(_LocalInput):
    """A date: dd.mm.rrrr in Polish, yyyy-mm-dd in English."""


class LocalDateTimeInput(_LocalInput):
    """A date and time to the minute: dd.mm.rrrr gg:mm in Polish, yyyy-mm-dd hh:mm in English."""

    time_part = " %H:%M"
