"""Reading the audit log: the filtered entries (two queries a page: the count and the page, the
entries join nothing) and each change told in a person's words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from switchboard.audit.models import AuditEntry
from switchboard.audit.recorder import AUDITED, HIDDEN, object_type
from switchboard.core.html import html_to_text

# Values stored in English and shown in the reader's language (the built-in status names).
TRANSLATED = {("tickets.status", "name")}
SIGN_INS = "sign-ins"
# Fields whose own names are not a person's words: a secret's stored form, a field without a
# verbose name (Django's default, the English field name, is looked up in the catalogue too).
FIELD_NAMES = {
    "password_encrypted": gettext_noop("password"),
    "oauth_client_secret_encrypted": gettext_noop("OAuth2 client secret"),
    "auth_token_encrypted": gettext_noop("auth token"),
    "author": gettext_noop("author"),
}  # the object-type filter's choice for sign-ins and failed sign-ins


@dataclass(frozen=True)
class AuditFilter:
    who: str = ""
    kind: str = ""  # an object type ("tickets.group"), SIGN_INS, or "" for all
    text: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class ShownChange:
    field: str
    old: str
    new: str
    secret: bool = False


def kind_choices() -> list[tuple[str, str]]:
    """The kinds of object the log holds, by their names, alphabetically; sign-ins last."""
    kinds = [(object_type(m), capfirst(str(m._meta.verbose_name))) for m in map(apps.get_model, AUDITED)]
    return [*sorted(kinds, key=lambda kind: kind[1]), (SIGN_INS, _("Sign-ins"))]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def list_audit_entries(filters: AuditFilter) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if filters.who:
        entries = entries.filter(actor_name__icontains=filters.who)
    if filters.kind == SIGN_INS:
        entries = entries.filter(action__in=[AuditEntry.Action.SIGN_IN, AuditEntry.Action.SIGN_IN_FAILED])
    elif filters.kind:
        entries = entries.filter(object_type=filters.kind).exclude(action=AuditEntry.Action.SIGN_IN)
    if filters.text:
        text = filters.text
        entries = entries.filter(
            Q(object_label__icontains=text) | Q(actor_name__icontains=text) | Q(changes__icontains=text)
        )
    if filters.since:
        entries = entries.filter(at__gte=_day_start(filters.since))
    if filters.until:
        entries = entries.filter(at__lt=_day_start(filters.until + dt.timedelta(days=1)))
    return entries.order_by("-at", "-id")


def _model(entry: AuditEntry) -> Any:
    try:
        return apps.get_model(entry.object_type) if entry.object_type else None
    except LookupError:
        return None


def kind_name(entry: AuditEntry) -> str:
    if entry.action in (AuditEntry.Action.SIGN_IN, AuditEntry.Action.SIGN_IN_FAILED):
        return _("Sign-in")
    model = _model(entry)
    return capfirst(str(model._meta.verbose_name)) if model is not None else entry.object_type


def object_name(entry: AuditEntry) -> str:
    """The object's name as recorded; a built-in status name in the reader's language."""
    if (entry.object_type, "name") in TRANSLATED and entry.object_label:
        return gettext(entry.object_label)
    return entry.object_label


def _working_hours(week: dict[str, list[list[str]]]) -> str:
    """A service level's week ({"0": [["08:00", "18:00"]], …}, 0 Monday) as a person says it:
    "Mon–Fri 08:00–18:00, Sat 09:00–13:00"; days in a row with the same hours go together."""
    runs: list[tuple[int, int, str]] = []  # first day, last day, hours
    for day in range(7):
        hours = ", ".join(f"{start}–{end}" for start, end in week.get(str(day), []))
        if hours and runs and runs[-1][1] == day - 1 and runs[-1][2] == hours:
            runs[-1] = (runs[-1][0], day, hours)
        elif hours:
            runs.append((day, day, hours))
    if not runs:
        return _("round the clock")
    spans = (
        (str(WEEKDAYS_ABBR[first]) if first == last else f"{WEEKDAYS_ABBR[first]}–{WEEKDAYS_ABBR[last]}", hours)
        for first, last, hours in runs
    )
    return ", ".join(f"{days} {hours}" for days, hours in spans)


# Values of a shape of their own, told in words by a function of the value (not by the generic rules).
SHAPED = {("tickets.servicelevel", "week"): _working_hours}


def _text(value: Any, choices: dict[Any, Any]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_text(item, choices) for item in value if not (isinstance(item, dict) and item.get("removed")))
    if isinstance(value, dict):
        return str(value.get("label") or value.get("key") or ", ".join(f"{k}: {v}" for k, v in value.items()))
    text = str(choices.get(value, value))
    return (
        html_to_text(text) if "<" in text else text
    )  # a canned response's text: its words and paragraphs, not its markup


def shown_changes(entry: AuditEntry) -> Iterator[ShownChange]:
    model = _model(entry)
    for change in entry.changes:
        name, label, choices = change.get("field", ""), change.get("field", ""), {}
        if model is not None:
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                pass
            else:
                label = str(FIELD_NAMES.get(name) or getattr(model_field, "verbose_name", name))
                label = capfirst(gettext(label))
                choices = {key: text for key, text in getattr(model_field, "flatchoices", None) or []}
        old, new = change.get("old"), change.get("new")
        if (entry.object_type, name) in TRANSLATED:
            old, new = (gettext(value) if isinstance(value, str) and value else value for value in (old, new))
        if HIDDEN in (old, new):
            yield ShownChange(label, "", "", secret=True)
        elif shape := SHAPED.get((entry.object_type, name)):
            yield ShownChange(label, shape(old) if old is not None else "—", shape(new) if new is not None else "—")
        else:
            yield ShownChange(label, _text(old, choices), _text(new, choices))


def csv_rows(entries: QuerySet[AuditEntry]) -> Iterator[list[object]]:
    yield [_("When"), _("Who"), _("Address"), _("Action"), _("Kind"), _("Object"), _("Field"), _("Before"), _("After")]
    for entry in entries.iterator(chunk_size=1000):
        when = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S")
        head = [when, entry.actor_name, entry.address, entry.get_action_display(), kind_name(entry), object_name(entry)]
        changes = list(shown_changes(entry))
        if not changes:
            yield [*head, "", "", ""]
        for change in changes:
            secret = _("changed (the value is not recorded)")
            yield [*head, change.field, secret if change.secret else change.old, "" if change.secret else change.new]
