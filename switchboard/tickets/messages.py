"""Messages on a ticket's timeline from and to its people: a message from outside (MAIL-02), an
agent's reply to the contact (MAIL-05) and an email to the ticket's owner (MAIL-09). Each is
one transaction that records its activity and pushes its live update after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.contacts.models import Contact
from switchboard.core.html import html_to_text, sanitise_html
from switchboard.core.rows import insert_row, save_fields
from switchboard.tickets import report_day_builds, search, service_levels, webhook_events
from switchboard.tickets.actions import TicketError, lock_ticket, queue_email_to_contact
from switchboard.tickets.files import FileRefusedError, NewFile, check_uploads, do_attach_file
from switchboard.tickets.messaging import IncomingMessage, OutgoingMessage, messenger
from switchboard.tickets.models import (
    EXCERPT_LENGTH,
    Activity,
    ActivityKind,
    FileFetch,
    SearchEntry,
    StatusKind,
    Ticket,
)
from switchboard.tickets.placeholders import find_placeholders
from switchboard.tickets.realtime import publish_ticket_changed_on_commit
from switchboard.tickets.ticket_changes import apply_changes, id_of, record_activity, shown
from switchboard.tickets.time_tracking import record_handle_time
from switchboard.tickets.titles import excerpt_of

# --- from outside ---------------------------------------------------------------------------


# The timeline entry of a message from outside, by the channel it came in on (email otherwise).
INBOUND_KINDS = {
    "sms": ActivityKind.SMS_IN,
    "voice": ActivityKind.VOICEMAIL,
    "web": ActivityKind.WEB_IN,
    "chat": ActivityKind.CHAT,
}


def _inbound_kind(inbound: IncomingMessage) -> ActivityKind:
    """A call is a call in or out, unless it left a voicemail (PHONE-07); other messages by channel."""
    call = inbound.call
    if call is not None and call.outcome != "voicemail":
        return ActivityKind.CALL_OUT if call.outbound else ActivityKind.CALL_IN
    return INBOUND_KINDS.get(inbound.channel, ActivityKind.EMAIL_IN)


@transaction.atomic(savepoint=False)  # inside a transaction no savepoint: no caller goes on after it fails
def do_add_inbound_message(
    ticket: Ticket,
    *,
    inbound: IncomingMessage,
    cc: list[Contact],
    offered_cc: list[str] | None = None,
    sender_unproven: bool = False,
    locked: bool = False,
) -> Activity:
    """Put a message from outside on the ticket's timeline (MAIL-02): its text, sanitised HTML
    with inline images pointed at the stored files, attachments and the people in copy
    (MAIL-12). A person's message puts an open ticket back to "needs contact" and is the grey
    line under its title in lists; automatic mail (MAIL-11) changes nothing but the timeline. A
    call or voicemail is entered with how it went, its duration and the provider's id (PHONE-07).
    ``offered_cc``: people in copy an agent may add; ``sender_unproven``: from an agent's address
    without proof (mail trust), marked so. ``locked``: the caller read ``ticket`` in this transaction
    with its row locked (or made it in it), with its group, status and owner: not read again."""
    if not locked:
        ticket = lock_ticket(ticket, None)
    call = inbound.call
    message = Activity(
        ticket=ticket,
        kind=_inbound_kind(inbound),
        body=inbound.text,
        body_html=inbound.html,
        message_id=inbound.message_id,
        from_address=inbound.sender.address,
        to_address=", ".join(inbound.recipients)[:1000],
        offered_cc=", ".join(offered_cc or [])[:1000],
        sender_unproven=sender_unproven,
        duration=call.duration if call is not None else None,
        provider_id=call.provider_id[:200] if call is not None else "",
        file_fetch=FileFetch.PENDING if inbound.files_pending else FileFetch.NONE,
        client=inbound.client[:200],
    )
    insert_row(message)  # Activity.objects.create, its statement written once (the intake's batches)
    html = inbound.html
    for file in inbound.attachments:
        stored = do_attach_file(message, filename=file.filename, content_type=file.content_type, content=file.content)
        if file.content_id:
            html = html.replace(f"cid:{file.content_id}", reverse("attachment", args=[stored.pk]))
    if html != message.body_html:  # inline images now point at the stored files
        message.body_html = html
        message.save(update_fields=["body_html"])
    if call is None or call.outcome == "voicemail":  # a call's entry says only how it went: nothing to find
        search.add_text(
            ticket_id=ticket.pk, source=SearchEntry.Source.ACTIVITY, source_id=message.pk, text=inbound.text
        )
    if inbound.problems:
        record_activity(ticket, ActivityKind.NOTE, None, body="\n".join(inbound.problems))
    if cc:
        ticket.cc_contacts.add(*cc)
    if not inbound.automatic and (excerpt := excerpt_of(inbound.text, length=EXCERPT_LENGTH)):
        ticket.last_contact_excerpt = excerpt
    changes: list[dict[str, str]] = []
    if not inbound.automatic and ticket.is_open and ticket.status.kind not in StatusKind.needing_action():
        needs_contact = ticket.group.statuses.filter(kind=StatusKind.NEEDS_CONTACT).order_by("position").first()
        changes = apply_changes(ticket, status=needs_contact) if needs_contact else []
    ticket.version += 1
    save_fields(ticket, ["last_contact_excerpt", "status", "version", "updated_at"])
    if changes:
        record_activity(ticket, ActivityKind.CHANGED, None, changes=changes)
        service_levels.sync_clock(ticket)  # ROUTE-07: the contact's move, the clock runs again
    publish_ticket_changed_on_commit(ticket, actor_id=None)
    return message


@transaction.atomic
def do_note_contact_words(ticket: Ticket, *, text: str) -> None:
    """What the contact said that came later than their message (a voicemail's transcript): the
    grey line under the ticket's title in lists."""
    if excerpt := excerpt_of(text, length=EXCERPT_LENGTH):
        Ticket.objects.filter(pk=ticket.pk).update(last_contact_excerpt=excerpt)
        ticket.last_contact_excerpt = excerpt


# --- replying ---------------------------------------------------------------------------------


class PlaceholdersLeftError(TicketError):
    def __init__(self, placeholders: list[str]) -> None:
        self.placeholders = placeholders
        super().__init__(
            _("Replace the placeholders before sending: %(placeholders)s") % {"placeholders": ", ".join(placeholders)}
        )


def compose_reply_to_contact(
    ticket: Ticket, *, to_address: str, body_html: str, agent: User, cc: list[str] | None = None
) -> OutgoingMessage:
    """The email Send would send now: what "Email view" shows (MAIL-05, MAIL-07)."""
    return messenger().compose_reply(ticket, to_address=to_address, body_html=body_html, agent=agent, cc=cc)


@transaction.atomic
def do_reply_to_contact(  # noqa: PLR0913
    ticket: Ticket,
    *,
    to_address: str,
    body_html: str,
    acting_user: User,
    cc: list[str] | None = None,
    hold: dt.timedelta | None = None,
    attachments: Sequence[NewFile] = (),
) -> Activity:
    """Send the contact an answer (MAIL-05): recorded on the timeline, queued in the outbox in
    this transaction, and the ticket set to the group's "waiting for the contact" status.
    Refused while the text is empty or still holds a canned response's [placeholders]. With
    ``hold``, the outbox keeps it that long, for the agent to take back (``do_undo_reply``).
    ``attachments`` go with it, within the upload limits (CORE-16)."""
    ticket = lock_ticket(ticket, acting_user)
    if not ticket.is_open:
        raise TicketError(_("Reopen the ticket to reply."))
    try:
        check_uploads(attachments)
    except FileRefusedError as error:
        raise TicketError(str(error)) from error
    answer = html_to_text(sanitise_html(body_html))
    if not answer:
        raise TicketError(_("Write a reply first."))
    if placeholders := find_placeholders(answer):
        raise PlaceholdersLeftError(placeholders)
    outbound = compose_reply_to_contact(ticket, to_address=to_address, body_html=body_html, agent=acting_user, cc=cc)
    hold_until = timezone.now() + hold if hold else None
    reply = queue_email_to_contact(
        ticket, outbound, acting_user, searchable=answer, hold_until=hold_until, files=attachments
    )
    save_answered(ticket, reply=reply, acting_user=acting_user)
    return reply


def save_answered(ticket: Ticket, *, reply: Activity, acting_user: User) -> None:
    """The agent has answered the contact (by email or SMS): the reply's handle time is recorded
    (AGENT-07), and the ticket, locked by the caller, goes to the group's "waiting for the
    contact" status, with its history, and is saved."""
    record_handle_time(ticket, reply=reply, agent=acting_user)
    waiting = ticket.group.statuses.filter(kind=StatusKind.WAITING_CONTACT).order_by("position").first()
    changes = apply_changes(ticket, status=waiting) if waiting else []
    if ticket.first_replied_at is None:  # the reports' first response
        report_day_builds.mark_ticket_days_stale([ticket])
        ticket.first_replied_at = reply.created_at
    ticket.version += 1
    ticket.save()
    if changes:
        record_activity(ticket, ActivityKind.CHANGED, acting_user, changes=changes)
    service_levels.note_answered(ticket)  # ROUTE-07: the first response, and the pause
    webhook_events.ticket_answered(ticket, reply=reply)  # API-02
    publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))


@transaction.atomic
def do_email_ticket_owner(ticket: Ticket, *, message: str, acting_user: User) -> Activity:
    """Email ticket owner (MAIL-09): the owner gets the message with a link; the timeline keeps
    it as a note, so the team sees what was asked."""
    ticket = lock_ticket(ticket, acting_user)
    owner = ticket.owner
    if owner is None or not owner.email:
        raise TicketError(_("This ticket has no owner with an email address."))
    if owner.pk == acting_user.pk:
        raise TicketError(_("You own this ticket."))
    if not message.strip():
        raise TicketError(_("Write a message first."))
    outbound = messenger().compose_owner_email(ticket, owner=owner, sender=acting_user, message=message)
    note = record_activity(
        ticket,
        ActivityKind.NOTE,
        acting_user,
        body=_("Emailed the owner (%(owner)s): %(message)s") % {"owner": shown(owner), "message": message.strip()},
    )
    search.add_text(ticket_id=ticket.pk, source=SearchEntry.Source.ACTIVITY, source_id=note.pk, text=note.body)
    messenger().queue(outbound, ticket=ticket, activity=None)
    ticket.version += 1
    ticket.save(update_fields=["version", "updated_at"])
    publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    return note


@transaction.atomic
def do_add_chat_answer(ticket: Ticket, *, text: str, acting_user: User) -> Activity:
    """An agent's line in a live chat with the contact (SELF-04), on the ticket's timeline: the
    chat shows it to the visitor at once, so nothing is queued. Refused while empty or while a
    canned response's [placeholders] are left in it."""
    ticket = lock_ticket(ticket, acting_user)
    answer = text.strip()
    if not answer:
        raise TicketError(_("Write a message first."))
    if placeholders := find_placeholders(answer):
        raise PlaceholdersLeftError(placeholders)
    line = record_activity(ticket, ActivityKind.CHAT, acting_user, body=answer)
    search.add_text(ticket_id=ticket.pk, source=SearchEntry.Source.ACTIVITY, source_id=line.pk, text=answer)
    ticket.version += 1
    ticket.save(update_fields=["version", "updated_at"])
    publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    return line
