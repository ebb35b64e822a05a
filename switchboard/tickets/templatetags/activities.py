"""Template helpers of the activities tab (CC-07): an entry's icon, and the timeline's entries.

The entries are written in Python, as a list's rows are (``ticket_rows``): the template's work for
an entry (its lookups, tags, translations and two forms) was ~0.7 ms, most of the ticket page's
timeline, and a long ticket has dozens (bench/README.md). What is rare and has a template of its
own (an SMS's delivery, a photo) is still rendered by that template; an email's delivery, under
every reply, is written here too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.template.defaultfilters import time as time_filter
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext

from switchboard.core.templatetags.switchboard import change_field, relative_time
from switchboard.tickets.activity_selectors import KIND_ICONS, MOVABLE_KINDS, NOTABLE_KINDS, TimelineEntry
from switchboard.tickets.models import Activity, ActivityKind, FileFetch
from switchboard.tickets.templatetags.tickets import history_value

register = template.Library()
KIND_LABELS = dict(ActivityKind.choices)  # get_kind_display hashes every choice


@register.filter
def activity_icon(kind: str) -> str:
    """The Bootstrap icon of an activity's kind (the icon of its chip)."""
    return KIND_ICONS.get(kind, "bi-dot")


@register.simple_tag(takes_context=True)
def timeline_entries(context: template.Context, entries: list[TimelineEntry]) -> SafeString:
    """The ``<li>`` of each entry of the activities tab (tickets/_timeline.html): what it is, who and
    when, its text, files, delivery, changes and notes, and its note and move forms."""
    writer = _EntryWriter(context)
    return SafeString("".join(writer.entry(item) for item in entries))


@register.simple_tag
def activity_chips(activities: Any, ticket_url: str, activities_url: str) -> SafeString:
    """The activities tab's chips, one a kind (tickets/_timeline.html): a link to the tab showing
    only that kind, with its count. Written here as the entries are: each chip was ~17 template nodes."""
    order, chips = escape(activities.order), []
    page, partial = escape(ticket_url), escape(activities_url)
    for chip in activities.chips:
        key, query = escape(chip.key), f"?kind={escape(chip.key)}&amp;order={order}"
        look, badge = (
            ("btn-secondary", "text-bg-light") if chip.active else ("btn-outline-secondary", "text-bg-secondary")
        )
        current = 'aria-current="true" ' if chip.active else ""
        chips.append(
            f'\n      <a class="btn btn-sm rounded-pill py-0 {look}" href="{page}{query}" hx-get="{partial}{query}"'
            f' hx-target="#activities" hx-swap="outerHTML" hx-push-url="{page}{query}" {current}data-kind-chip="{key}"'
            f' data-focus-key="kind-{key}"><i class="bi {escape(chip.icon)}" aria-hidden="true"></i>'
            f' {escape(chip.label)} <span class="badge rounded-pill {badge}" data-count>{localize(chip.count)}</span>'
            "</a>\n      "
        )
    return SafeString("".join(chips))


class _EntryWriter:
    """What every entry of one timeline shares (the words, the CSRF field, the ticket), read once."""

    def __init__(self, context: template.Context) -> None:
        self.context = context
        self.ticket = context["ticket"]
        self.addresses_on_ticket = context.get("addresses_on_ticket") or set()
        self.csrf = CsrfTokenNode().render(context)  # what {% csrf_token %} writes
        self.urls = {name: _url_of(name) for name in ENTRY_URLS}
        # The words are the template's literals: shown as translated, not escaped (as {% translate %} does).
        self.words = {
            "system": gettext("system"),
            "add_note": gettext("Add a note to this entry"),
            "save_solution": gettext("Save this answer as a solution"),
            "move_to": gettext("Move to another ticket"),
            "download_all": gettext("Download all files"),
            "quoted": gettext("Show the quoted earlier messages"),
            "unproven": gettext(
                "This message gives an agent's address as its sender, but nothing proves the agent sent it: "
                "it was taken as a contact's message."
            ),
            "in_copy": gettext("Also in copy of this message, not of the ticket:"),
            "add_to_copy": gettext("Add to copy"),
            "recording_failed": gettext("Recording could not be fetched"),
            "photos_failed": gettext("Photos could not be fetched"),
            "recording_pending": gettext("Recording pending"),
            "photos_pending": gettext("Photos pending"),
            "download": gettext("Download"),
            "note": gettext("Note"),
            "agents_only": gettext("for agents only"),
            "note_label": gettext("Note on this entry, for agents only"),
            "add_note_button": gettext("Add note"),
            "move_confirm": gettext(
                "Move this entry, with its files and notes, to the other ticket? It leaves this ticket."
            ),
            "move_label": gettext("Move to ticket number"),
            "move": gettext("Move"),
            "move_help": gettext("Its files and notes go with it; both tickets' histories record the move."),
        }

    def entry(self, item: TimelineEntry) -> str:
        entry, words, pk = item.activity, self.words, item.activity.pk
        files = list(entry.attachments.all())
        notable = entry.kind in NOTABLE_KINDS and entry.parent_id is None
        movable = entry.kind in MOVABLE_KINDS and entry.parent_id is None
        html = [
            f'<li class="timeline-entry kind-{escape(entry.kind)}" id="activity-{pk}" data-activity="{pk}">'
            '<div class="d-flex align-items-start gap-1"><div class="small text-muted flex-grow-1">'
            f'<i class="bi {KIND_ICONS.get(entry.kind, "bi-dot")}" aria-hidden="true"></i> '
            f'<strong class="text-body">{escape(KIND_LABELS.get(entry.kind, entry.kind))}</strong>'
        ]
        if entry.duration is not None:
            seconds = ngettext("%(seconds)s second", "%(seconds)s seconds", entry.duration)
            html.append(" · " + seconds % {"seconds": escape(localize(entry.duration))})
        html.append(f" · {self._who(entry)} · {relative_time(entry.created_at)}</div>")
        html.append('<div class="entry-actions d-flex flex-nowrap">')
        if notable:
            html.append(
                '<button class="btn btn-sm btn-link text-secondary py-0 px-1" type="button" data-bs-toggle="collapse"'
                f' data-bs-target="#note-on-{pk}" aria-expanded="false" aria-controls="note-on-{pk}"'
                f' title="{words["add_note"]}" data-note-toggle><i class="bi bi-chat-square-text" aria-hidden="true">'
                f'</i><span class="visually-hidden">{words["add_note"]}</span></button>'
            )
        if entry.kind == ActivityKind.EMAIL_OUT and entry.actor_id:
            html.append(
                f'<form method="post" action="{self.urls["save_as_solution"](pk)}" class="d-inline"'
                f' data-save-solution>{self.csrf}<button class="btn btn-sm btn-link text-secondary py-0 px-1"'
                f' title="{words["save_solution"]}"><i class="bi bi-journal-plus" aria-hidden="true"></i>'
                f'<span class="visually-hidden">{words["save_solution"]}</span></button></form>'
            )
        if movable:
            html.append(
                '<button class="btn btn-sm btn-link text-secondary py-0 px-1" type="button" data-bs-toggle="collapse"'
                f' data-bs-target="#move-{pk}" aria-expanded="false" aria-controls="move-{pk}"'
                f' title="{words["move_to"]}" data-move-toggle><i class="bi bi-box-arrow-right" aria-hidden="true">'
                f'</i><span class="visually-hidden">{words["move_to"]}</span></button>'
            )
        if len(files) > 1:
            title = ngettext("Download all %(count)s files (zip)", "Download all %(count)s files (zip)", len(files))
            html.append(
                '<a class="btn btn-sm btn-link text-secondary py-0 px-1"'
                f' href="{self.urls["activity_files"](pk)}" download title="{title % {"count": len(files)}}"'
                ' data-download-all><i class="bi bi-file-earmark-zip" aria-hidden="true"></i>'
                f'<span class="visually-hidden">{words["download_all"]}</span></a>'
            )
        html.append("</div></div>")
        html.append(self._body(entry))
        html.append(self._extras(entry))
        html.append(self._files(entry, files))
        for note in item.notes:
            html.append(
                '<div class="activity-note small mt-1" data-activity-note><div class="text-muted">'
                f'<i class="bi bi-sticky" aria-hidden="true"></i> <strong class="text-body">{words["note"]}</strong>'
                f" · {_agent_name(note.actor)} · {relative_time(note.created_at)} · "
                f'<i class="bi bi-lock" aria-hidden="true"></i> {words["agents_only"]}</div>'
                f'<div class="entry-body">{linebreaksbr(note.body, autoescape=True)}</div></div>'
            )
        if notable:
            html.append(
                f'<form method="post" action="{self.urls["add_activity_note"](pk)}" class="collapse mt-1"'
                f' id="note-on-{pk}" data-note-form>{self.csrf}'
                f'<label class="form-label small mb-1" for="note-on-{pk}-body">{words["note_label"]}</label>'
                f'<textarea name="body" id="note-on-{pk}-body" rows="2" class="form-control form-control-sm mb-1"'
                ' required maxlength="20000"></textarea><button class="btn btn-sm btn-secondary">'
                f'<i class="bi bi-sticky" aria-hidden="true"></i> {words["add_note_button"]}</button></form>'
            )
        if movable:
            html.append(
                f'<form method="post" action="{self.urls["move_activity"](pk)}" class="collapse mt-1"'
                f' id="move-{pk}" data-move-form data-confirm="{words["move_confirm"]}">{self.csrf}'
                f'<label class="form-label small mb-1" for="move-{pk}-number">{words["move_label"]}</label>'
                '<div class="input-group input-group-sm move-to"><span class="input-group-text">#</span>'
                f'<input type="number" name="number" id="move-{pk}-number" class="form-control" min="1" required'
                ' inputmode="numeric"><button class="btn btn-outline-primary">'
                f'<i class="bi bi-box-arrow-right" aria-hidden="true"></i> {words["move"]}</button></div>'
                f'<div class="form-text mt-0">{words["move_help"]}</div></form>'
            )
        html.append("</li>")
        return "".join(html)

    def _who(self, entry: Activity) -> str:
        if entry.actor:
            return _agent_name(entry.actor)
        return escape(entry.from_address) if entry.from_address else self.words["system"]

    def _body(self, entry: Activity) -> str:
        if entry.kind == ActivityKind.EMAIL_OUT and entry.body_html:
            return f'<div class="entry-body">{entry.body_html}</div>'  # sanitised before it is stored
        if not entry.body:
            return ""
        new, quoted = entry.new_and_quoted_text
        html = f'<div class="entry-body">{linebreaksbr(new, autoescape=True)}</div>'
        if quoted:
            html += (
                f'<details class="quoted small mt-1"><summary class="text-muted">{self.words["quoted"]}</summary>'
                f'<div class="entry-body text-muted border-start ps-2">{linebreaksbr(quoted, autoescape=True)}</div>'
                "</details>"
            )
        return html

    def _extras(self, entry: Activity) -> str:
        """The browser a web message came from, an unproven sender, addresses offered for the copy,
        the delivery of a reply, and what a history entry changed."""
        html = []
        if entry.kind == ActivityKind.WEB_IN and entry.client:
            sent_from = gettext("Sent from %(client)s") % {"client": escape(entry.client)}
            html.append(
                '<div class="small text-muted" data-client><i class="bi bi-display" aria-hidden="true"></i>'
                f" {sent_from}</div>"
            )
        if entry.sender_unproven:
            html.append(
                '<div class="alert alert-warning py-1 px-2 small mt-1 mb-0" data-unproven-sender>'
                f'<i class="bi bi-shield-exclamation" aria-hidden="true"></i> {self.words["unproven"]}</div>'
            )
        if offer := [address for address in entry.offered_cc_addresses if address not in self.addresses_on_ticket]:
            html.append(
                f'<form method="post" action="{reverse("add_to_copy", args=[self.ticket.number])}" class="small mt-1"'
                f' data-offered-cc>{self.csrf}<input type="hidden" name="message" value="{entry.pk}">'
                f'<span class="text-muted">{self.words["in_copy"]} {", ".join(escape(a) for a in offer)}</span>'
                ' <button class="btn btn-sm btn-outline-secondary py-0" type="submit">'
                f'<i class="bi bi-person-plus" aria-hidden="true"></i> {self.words["add_to_copy"]}</button></form>'
            )
        if message := _outbound_message(entry):
            if message.channel == "sms":
                html.append(render_to_string("phone/_sms_delivery.html", {"message": message}))
            else:
                html.append(_email_delivery(message))
        for change in entry.changes:
            field = change.get("field", "")
            html.append(
                f'<div class="small"><span class="text-muted">{conditional_escape(change_field(field))}</span>: '
                f"{conditional_escape(history_value(change.get('old', ''), field))} → "
                f"{conditional_escape(history_value(change.get('new', ''), field))}</div>"
            )
        return "".join(html)

    def _files(self, entry: Activity, files: list[Any]) -> str:
        """Why the files are not there yet, or each file: a recording to play, a photo, a download."""
        words, html = self.words, []
        if entry.file_fetch == FileFetch.FAILED:
            failed = words["recording_failed"] if entry.kind == ActivityKind.VOICEMAIL else words["photos_failed"]
            html.append(
                '<div class="small text-danger" data-files-not-fetched>'
                f'<i class="bi bi-exclamation-triangle" aria-hidden="true"></i> {failed}</div>'
            )
        elif entry.kind == ActivityKind.VOICEMAIL and not files:
            html.append(
                '<div class="small text-muted" data-recording-pending>'
                f'<i class="bi bi-hourglass-split" aria-hidden="true"></i> {words["recording_pending"]}</div>'
            )
        elif entry.file_fetch == FileFetch.PENDING:
            html.append(
                '<div class="small text-muted" data-photos-pending>'
                f'<i class="bi bi-hourglass-split" aria-hidden="true"></i> {words["photos_pending"]}</div>'
            )
        for file in files:
            name = escape(file.filename)
            if file.is_audio:
                html.append(
                    '<div class="d-flex align-items-center gap-1 mt-1"><audio class="d-block" controls'
                    f' preload="metadata" src="{self.urls["attachment"](file.pk)}" title="{name}"></audio>'
                    '<a class="btn btn-sm btn-link text-secondary px-1"'
                    f' href="{self.urls["download_attachment"](file.pk)}" download'
                    f' title="{words["download"]}: {name}"><i class="bi bi-download" aria-hidden="true"></i>'
                    f'<span class="visually-hidden">{words["download"]}: {name}</span></a></div>'
                )
            elif file.is_photo:
                html.append(
                    render_to_string("tickets/_photo.html", {"photo": file, "entry": entry, "ticket": self.ticket})
                )
            else:
                html.append(
                    '<div class="small"><i class="bi bi-paperclip" aria-hidden="true"></i>'
                    f' <a href="{self.urls["attachment"](file.pk)}" download data-file>{name}</a>'
                    f" ({escape(filesizeformat(file.size))})</div>"
                )
        return "".join(html)


# The addresses an entry links to, each reversed once per timeline: reverse() took ~0.05-0.2 ms,
# and an entry has two to four.
ENTRY_URLS = (
    "save_as_solution",
    "activity_files",
    "add_activity_note",
    "move_activity",
    "attachment",
    "download_attachment",
)
_SOME_ID = 987654321  # a number none of these paths holds but where the id goes


def _url_of(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[id])`` for any id: reversed once, the id put in its place."""
    head, tail = reverse(name, args=[_SOME_ID]).split(str(_SOME_ID))
    return lambda pk: f"{head}{pk}{tail}"


def _email_delivery(message: Any) -> str:
    """Where a reply's email is: sent (when), failed (why), taken back, being retried or queued."""
    to, state = escape(message.to_address), message.state
    if state == "sent":
        time = escape(time_filter(localtime(message.sent_at) if message.sent_at else None, "TIME_FORMAT"))
        line = '<i class="bi bi-check2-circle text-success" aria-hidden="true"></i> ' + gettext(
            "Sent to %(to)s at %(time)s"
        ) % {"to": to, "time": time}
    elif state == "failed":
        if message.failure:
            why = f"{escape(message.get_failure_display())}."
            if message.failure != "unsendable":
                why += f' <span class="text-muted">({escape(message.last_error)})</span>'
        else:
            why = escape(message.last_error)
        not_sent = gettext("Not sent to %(to)s:") % {"to": to}
        line = (
            '<i class="bi bi-exclamation-octagon text-danger" aria-hidden="true"></i>'
            f' <span class="text-danger">{not_sent} {why}</span>'
        )
    elif state == "withdrawn":
        line = '<i class="bi bi-arrow-counterclockwise text-muted" aria-hidden="true"></i> ' + gettext(
            "Taken back before it was sent to %(to)s"
        ) % {"to": to}
    elif message.attempts and message.last_error:
        retrying = ngettext(
            "Not yet sent to %(to)s (one attempt failed, trying again):",
            "Not yet sent to %(to)s (%(attempts)s attempts failed, trying again):",
            message.attempts,
        ) % {"to": to, "attempts": message.attempts}
        line = (
            f'<i class="bi bi-arrow-repeat text-warning" aria-hidden="true"></i> {retrying}'
            f" {escape(message.last_error)}"
        )
    else:
        line = '<i class="bi bi-hourglass-split text-muted" aria-hidden="true"></i> ' + gettext("Queued for %(to)s") % {
            "to": to
        }
    return f'<div class="small delivery delivery-{escape(state)}">\n  {line}\n</div>'


def _agent_name(user: Any) -> str:
    return escape(user.get_full_name() or user.get_username()) if user else ""


def _outbound_message(entry: Activity) -> Any:
    """The entry's message to send (its delivery), or None: the relation is one-to-one from the message."""
    try:
        return entry.outbound_message
    except ObjectDoesNotExist:
        return None
