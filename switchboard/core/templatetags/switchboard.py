"""Template helpers for what every list row shows; written in Python because rows are many."""

from __future__ import annotations

import datetime as dt
import functools
import re

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import dateformat, formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def relative_time(value: dt.datetime | None) -> SafeString | str:
    """ "3 hours ago", with the exact local time on hover and in the machine-readable attribute."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    # Not format_html: lists call this three times a row, and its escaping of every argument took
    # half the time. The ISO time needs none; the other two are escaped here.
    title, natural = escape(_date_time_text(local)), escape(naturaltime(value))
    return SafeString(f'<time datetime="{local.isoformat(timespec="seconds")}" title="{title}">{natural}</time>')


def _date_time_text(local: dt.datetime) -> str:
    """``formats.date_format(local, "DATETIME_FORMAT")``, with the language's format split into its
    parts once, not at every call: Django splits and unescapes it each time, half of the call's
    cost (a list's 150 times took 4-7 ms)."""
    formatter = dateformat.DateFormat(local)
    parts = _format_parts(str(formats.get_format("DATETIME_FORMAT")))
    return "".join(str(getattr(formatter, part)()) if is_code else part for is_code, part in parts)


@functools.lru_cache(maxsize=16)
def _format_parts(format_string: str) -> tuple[tuple[bool, str], ...]:
    """A date format's parts as django.utils.dateformat.Formatter.format reads them: (True, a
    format character) or (False, text, its backslashes taken away)."""
    parts = dateformat.re_formatchars.split(format_string)
    return tuple(
        (True, part) if index % 2 else (False, dateformat.re_escaped.sub(r"\1", part))
        for index, part in enumerate(parts)
        if index % 2 or part
    )


@register.filter
def status_icon(status: object) -> SafeString:
    """A status's icon in its colour, with its name for screen readers (CORE-04). The colour is
    set by switchboard.js from data-colour: the Content-Security-Policy allows no inline style."""
    name = getattr(status, "display_name", "")
    return format_html(
        '<i class="bi {} status-icon" data-colour="{}" title="{}" aria-hidden="true"></i>'
        '<span class="visually-hidden">{}</span>',
        getattr(status, "icon_name", ""),
        getattr(status, "colour_value", ""),
        name,
        name,
    )


# The ticket fields a history entry names (tickets.ticket_changes.apply_changes), as the reader calls them.
CHANGE_FIELDS = {
    "title": _("Title"),
    "status": _("Status"),
    "owner": _("Owner"),
    "next_action": _("Next action"),
    "due_at": _("Due"),
    "group": _("Group"),
    "source": _("Source"),
    "category": _("Category"),
    "form_data": _("Form"),
    "contact": _("Contact"),
    "callback_private": _("Private callback"),
    "callback_public": _("Public callback"),
    "linked_ticket": _("Linked ticket"),
    "parent_incident": _("Parent incident"),
    "child_ticket": _("Linked to this incident"),
    "time_spent": _("Time spent"),
}

# What became of a callback, as its history entry says it (tickets/callbacks.py).
CALLBACK_ENDS = {"done": _("done"), "cancelled": _("cancelled")}


# A form field's entry is named "form:<its label at the time>" (tickets.form_values, CC-04); a
# checkbox's values are stored as these English words, a date's as yyyy-mm-dd.
FORM_FIELD_PREFIX = "form:"
FORM_CHECKBOX_WORDS = frozenset({"yes", "no"})
FORM_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")


@register.filter
def hours_minutes(minutes: int | None) -> str:
    """Minutes as the reader says them: "25 min", "2 h", "1 h 5 min" (time per ticket, AGENT-07)."""
    hours, rest = divmod(minutes or 0, 60)
    if not hours:
        return gettext("%(minutes)d min") % {"minutes": rest}
    if not rest:
        return gettext("%(hours)d h") % {"hours": hours}
    return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}


@register.filter
def change_field(field: str) -> str:
    """A history entry's field in the reader's words ("Status", not "status"); a form field by
    its label."""
    if field.startswith(FORM_FIELD_PREFIX):
        return field.removeprefix(FORM_FIELD_PREFIX)
    return str(CHANGE_FIELDS.get(field, field))


def change_value(value: str, field: str) -> str:
    """A history entry's old or new value for the reader, a time or date in their format, a
    form's yes/no in their language. Templates use the tickets' ``history_value``, which names
    statuses and sources first and leaves the rest to this."""
    if not value:
        return "—"
    if field.startswith(FORM_FIELD_PREFIX):
        if value in FORM_CHECKBOX_WORDS:
            return gettext(value)
        if FORM_DATE.fullmatch(value):  # a date field's value, stored as 2026-12-31
            try:
                return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
            except ValueError:
                return value
    if field.startswith("callback_") and value in CALLBACK_ENDS:
        return str(CALLBACK_ENDS[value])
    if field == "time_spent" and value.isdigit():
        return hours_minutes(int(value))
    if field == "due_at" or field.startswith("callback_"):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    return value


@register.filter
def without(items: list[str], excluded: set[str]) -> list[str]:
    """The items that are not in ``excluded``, in their order."""
    return [item for item in items if item not in excluded]


@register.filter
def status_pill(status: object) -> SafeString:
    """A status as a pill: its icon and its name, in its colour (border and icon; the words stay
    dark to be read). Painted by switchboard.js from data-pill-colour, like ``status_icon``."""
    return format_html(
        '<span class="status-pill" data-pill-colour="{}"><i class="bi {}" aria-hidden="true"></i> {}</span>',
        getattr(status, "colour_value", ""),
        getattr(status, "icon_name", ""),
        getattr(status, "display_name", ""),  # a built-in name in the reader's language
    )


@register.filter
def is_past(value: dt.datetime | None) -> bool:
    """Whether a time has passed: a due time that is overdue."""
    return value is not None and value < timezone.now()
