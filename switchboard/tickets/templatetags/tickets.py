"""Template helpers that know the tickets app: the status legend, history values, the ticket
page's menu of tickets to merge into."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import template
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from switchboard.core.html import html_to_text
from switchboard.core.templatetags.switchboard import change_value
from switchboard.tickets.models import (
    BUILT_IN_STATUS_NAMES,
    STATUS_KIND_LOOK,
    CannedResponse,
    StatusKind,
    Ticket,
    TicketSource,
)
from switchboard.tickets.solutions import fold

register = template.Library()

# What each kind of status means for the agent: the status legend of the lists ("?").
KIND_MEANINGS: dict[str, Promise] = {
    StatusKind.NEW: _("Just came in: nobody has acted on it yet."),
    StatusKind.NEEDS_CONTACT: _("Our move: answer or call the contact."),
    StatusKind.WAITING_CONTACT: _("We answered: waiting for the contact."),
    StatusKind.SCHEDULED: _("Booked for a date: a pick-up, a call back, an appointment."),
    StatusKind.PENDING: _("Waiting for someone else: another team, a supplier."),
    StatusKind.COMPLETED: _("Done: “Close completed tickets” closes it."),
    StatusKind.CLOSED: _("Closed."),
    StatusKind.CLOSED_SUCCESS: _("Closed with success."),
    StatusKind.SUCCESS_CANCELLED: _("A success that was cancelled; closed."),
}


# Kinds whose own name says something only to the code ("New (unused)").
KIND_NAMES: dict[str, Promise] = {StatusKind.NEW: _("New")}


@dataclass(frozen=True)
class LegendEntry:
    icon: str
    colour: str
    label: str
    meaning: str


@register.inclusion_tag("tickets/_status_legend.html")
def status_legend() -> dict[str, object]:
    """A small "?" that unfolds what each kind of status's icon means."""
    entries = [
        LegendEntry(
            icon=icon,
            colour=colour,
            label=str(KIND_NAMES.get(kind, StatusKind(kind).label)),
            meaning=str(KIND_MEANINGS[kind]),
        )
        for kind, (icon, colour) in STATUS_KIND_LOOK.items()
    ]
    return {"entries": entries}


_BUILT_IN_NAMES = frozenset(BUILT_IN_STATUS_NAMES.values())


@register.filter
def history_value(value: str, field: str) -> str:
    """A history entry's old or new value for the reader: a built-in status name in their
    language (only those: a group's own name is shown as written, even where it happens to be
    a word the interface translates), a source by its name, anything else as ``change_value``."""
    if value and field == "status":
        return gettext(value) if value in _BUILT_IN_NAMES else value
    if value and field == "source" and value in TicketSource.values:
        return str(TicketSource(value).label)
    return change_value(value, field)


@register.filter
def search_key(canned: CannedResponse) -> str:
    """What the reply composer's search of the solutions compares (AGENT-04): the title and the
    text, lower case and without accents."""
    return fold(f"{canned.title} {html_to_text(canned.body_html)}")


@register.simple_tag
def merge_options(tickets: Iterable[Ticket]) -> SafeString:
    """The ticket page's "Merge into ticket" choices, an ``<option>`` each ("#12 Title"): written
    here, as the menu has 50 and the template's loop was 150 nodes (~2 ms of the page)."""
    return SafeString(
        "".join(
            f'<option value="ticket:{other.number}">#{other.number} {escape(other.title)}</option>' for other in tickets
        )
    )
