"""The writes of the reply loop on the ticket page: retitle in place, let go of a ticket taken
by opening it, Send with what its canned responses set, and take back a reply still held in the
outbox (Undo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from switchboard.tickets.actions import TicketError, do_assign_ticket, do_change_ticket_status, lock_ticket
from switchboard.tickets.files import NewFile
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.messaging import messenger
from switchboard.tickets.models import Activity, ActivityKind, CannedResponse, Ticket
from switchboard.tickets.solutions import record_solutions_used
from switchboard.tickets.ticket_changes import apply_changes, save_changes
from switchboard.tickets.titles import one_line_title


@transaction.atomic
def do_retitle_ticket(ticket: Ticket, *, title: str, expected_version: int, acting_user: User) -> Ticket:
    """Save a new title typed on the ticket page (CORE-07, CORE-09: its history entry); an empty
    title keeps the old one. Refused with StaleTicketError when the ticket changed meanwhile."""
    ticket = lock_ticket(ticket, acting_user, expected_version=expected_version)
    if not ticket.is_open:
        raise TicketError(_("Reopen the ticket to change it."))
    return save_changes(ticket, apply_changes(ticket, title=one_line_title(title) or ticket.title), acting_user)


@transaction.atomic
def do_release_ticket(ticket: Ticket, *, acting_user: User) -> Ticket:
    """Let go of a ticket one owns (the "u" key): it goes back to nobody, for another agent."""
    ticket = lock_ticket(ticket, acting_user)
    if ticket.owner_id != acting_user.pk:
        raise TicketError(_("This ticket is not yours."))
    return do_assign_ticket(ticket, owner=None, acting_user=acting_user)


@transaction.atomic
def do_undo_reply(reply: Activity, *, acting_user: User) -> Ticket:
    """Undo a Send while the outbox still holds the reply: it is not sent (its timeline entry
    says it was taken back) and the ticket's status goes back to what it was before the Send."""
    ticket = lock_ticket(reply.ticket, acting_user)
    if reply.kind != ActivityKind.EMAIL_OUT or reply.actor_id != acting_user.pk:
        raise TicketError(_("Only your own reply can be taken back."))
    if not messenger().withdraw(reply):
        raise TicketError(_("Too late to undo: the reply has been sent."))
    status_change = next(
        (
            change
            for entry in ticket.activities.filter(kind=ActivityKind.CHANGED, actor=acting_user, pk__gt=reply.pk)
            .order_by("pk")
            .only("changes")[:1]
            for change in entry.changes
            if change["field"] == "status"
        ),
        None,
    )
    before = status_change and ticket.group.statuses.filter(name=status_change["old"]).first()
    return do_change_ticket_status(ticket, status=before, acting_user=acting_user) if before else ticket


@transaction.atomic
def do_send_reply(  # noqa: PLR0913
    ticket: Ticket,
    *,
    to_address: str,
    body_html: str,
    cc: list[str],
    canned: Sequence[CannedResponse],
    hold: dt.timedelta,
    acting_user: User,
    attachments: Sequence[NewFile] = (),
) -> Activity:
    """Send from the ticket page (MAIL-05): the reply with its ``attachments`` (CORE-16), held ``hold``
    in the outbox for Undo, and then what the canned responses it used set, like macros (the
    last one's status or next action wins; any one may make the sender the owner); each is
    counted as used (AGENT-04). One transaction."""
    reply = do_reply_to_contact(
        ticket,
        to_address=to_address,
        body_html=body_html,
        cc=cc,
        acting_user=acting_user,
        hold=hold,
        attachments=attachments,
    )
    canned = [used for used in canned if used.group_id == ticket.group_id and used.published]
    record_solutions_used(canned)
    fields: dict[str, object] = {}
    for used in canned:
        if used.set_status is not None and not used.set_status.is_closed:
            fields["status"] = used.set_status
        if used.take_ticket:
            fields["owner"] = acting_user
        if used.set_next_action:
            fields["next_action"] = used.set_next_action
    if fields:
        current = lock_ticket(ticket, acting_user)
        save_changes(current, apply_changes(current, **fields), acting_user)
    return reply
