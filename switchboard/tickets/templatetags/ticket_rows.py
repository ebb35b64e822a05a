"""A row of a ticket list (tickets/_ticket_table.html), written in Python: a list shows 50 rows, and the
template's work for a row (its lookups, tags and include) was a third of the open-tickets page's time
(bench/README.md). The columns and their order are the table's headers'."""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from switchboard.core.templatetags.switchboard import is_past, relative_time, status_pill
from switchboard.tickets.models import Ticket, TicketSource
from switchboard.tickets.templatetags.service_levels import service_level_mark

register = template.Library()
SOURCE_LABELS = dict(TicketSource.choices)


_SOME_NUMBER = 987654321  # a number no ticket's address holds but where the number goes


@register.simple_tag(takes_context=True)
def ticket_row(
    context: template.Context, ticket: Ticket, *, columns: object = None, selectable: object = False
) -> SafeString:
    """The ``<tr>`` of ``ticket``, from selectors.with_list_columns. ``columns``: an open list's (Due, Service
    level, Created, Updated); without: a closed list's (Created, Closed). ``selectable``: a check box."""
    number, unread = ticket.number, getattr(ticket, "unread", False)
    # The ticket's address, reversed once per table (reverse() took ~0.03 ms a row), its number put in.
    head_tail = context.render_context.get("ticket_rows:href")
    if head_tail is None:
        head_tail = context.render_context["ticket_rows:href"] = reverse("ticket", args=[_SOME_NUMBER]).split(
            str(_SOME_NUMBER)
        )
    href = f"{head_tail[0]}{number}{head_tail[1]}"
    marks = ' class="unread" data-unread' if unread else ""
    cells = [f'<tr data-href="{href}" data-number="{number}"{marks}>']
    if selectable:
        label = escape(gettext("Select ticket %(number)s") % {"number": number})
        cells.append(
            f'<td class="c-select"><input type="checkbox" class="form-check-input" name="tickets" value="{number}"'
            f' form="bulk" aria-label="{label}"></td>'
        )
    source = escape(SOURCE_LABELS.get(ticket.source, ticket.source))  # get_source_display hashes every choice
    cells += [
        f'<td class="c-number"><a href="{href}" class="fw-semibold">{number}</a></td>',
        f'<td class="c-status">{status_pill(ticket.status)}</td>',
        f'<td class="c-source"><i class="bi {ticket.source_icon}" title="{source}" aria-hidden="true"></i>'
        f'<span class="visually-hidden">{source}</span></td>',
        f'<td class="c-title">{_title(ticket, unread=unread)}</td>',
        f'<td class="c-contact">{escape(_contact_name(ticket) or "—")}</td>',
        f'<td class="c-owner">{_owner(ticket)}</td>',
    ]
    if columns:
        cells += [
            f'<td class="c-due">{_due(ticket)}</td>',
            f'<td class="c-sla">{service_level_mark(ticket)}</td>',
            f'<td class="c-created">{relative_time(ticket.created_at)}</td>',
            f'<td class="c-updated">{relative_time(ticket.updated_at)}</td>',
        ]
    else:
        cells += [
            f'<td class="c-created">{relative_time(ticket.created_at)}</td>',
            f'<td class="c-updated">{relative_time(ticket.closed_at)}</td>',
        ]
    return SafeString("".join(cells) + "</tr>")


def _title(ticket: Ticket, *, unread: bool) -> str:
    html = '<div class="ticket-title">'
    if unread:
        html += (
            '<i class="bi bi-circle-fill unread-dot" aria-hidden="true"></i>'
            f'<span class="visually-hidden">{escape(gettext("unread"))}: </span>'
        )
    html += escape(ticket.title)
    if ticket.category:
        html += (
            ' <span class="badge rounded-pill text-bg-light border fw-normal category-badge"'
            f' title="{escape(gettext("Category"))}" data-category>{escape(ticket.category.name)}</span>'
        )
    html += "</div>"
    if ticket.last_contact_excerpt:
        html += f'<div class="snippet">{escape(ticket.last_contact_excerpt)}</div>'
    return html


def _contact_name(ticket: Ticket) -> str:
    return ticket.contact.display_name if ticket.contact else ""


def _owner(ticket: Ticket) -> str:
    owner = ticket.owner
    if owner is None:
        return ""
    try:
        initials = owner.agent_profile.initials
    except ObjectDoesNotExist:
        initials = ""
    return (
        f'<span class="badge text-bg-secondary" title="{escape(owner.get_full_name())}">'
        f"{escape(initials or owner.username)}</span>"
    )


def _due(ticket: Ticket) -> str:
    callback = getattr(ticket, "callback_due", None)
    html = render_to_string("tickets/_callback_mark.html", {"ticket": ticket}) if callback else ""
    if ticket.due_at is None:
        return html
    if is_past(ticket.due_at):
        overdue = escape(gettext("Overdue"))
        return (
            f'{html}<span class="text-danger fw-semibold"><i class="bi bi-alarm" aria-hidden="true"></i> {overdue}'
            f" · {relative_time(ticket.due_at)}</span>"
        )
    return f"{html}{relative_time(ticket.due_at)}"
