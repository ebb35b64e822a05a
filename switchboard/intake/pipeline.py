"""The intake pipeline (ARCHITECTURE): every stored inbound message, whatever its channel, goes
through here once — contact, blacklist, loop protection, threading, append or create, and the
autoresponder. Adapters store first (``do_store_raw_messages``) and acknowledge their source
after the commit; then ``do_apply_raw_messages`` applies what was stored, in batches.

A message the pipeline cannot apply is quarantined with its reason (MAIL-13) and the batch goes
on; administrators retry or discard it.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import re
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_context

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from switchboard.contacts.models import Contact
from switchboard.contacts.selectors import primary_email_of
from switchboard.core.processes import start_child_process
from switchboard.core.quotes import split_quoted
from switchboard.core.rows import update_rows
from switchboard.intake.actions import do_queue_outbound
from switchboard.intake.autoresponder import why_no_autoresponse
from switchboard.intake.batch_context import BatchContext, FixedContext, read_batch_context
from switchboard.intake.bounces import do_apply_delivery_report
from switchboard.intake.channels import get_channel
from switchboard.intake.finding import (
    LOCKED,
    agents_answer,
    find_ticket,
    open_ticket_of,
    recently_closed,
)
from switchboard.intake.inbound import Inbound, UnreadableMessageError
from switchboard.intake.models import BlockedSender, RawMessage, TemplateKind
from switchboard.intake.notifications import notify_new_ticket, notify_owner_of_contact_message
from switchboard.intake.outbound import compose_notice, compose_refusal
from switchboard.intake.queue_reports import apply_queue_report
from switchboard.intake.selectors import get_message_template
from switchboard.intake.trust import Authentication, trusted_authentication
from switchboard.tickets import batch_writes
from switchboard.tickets.actions import (
    OpenTicketExistsError,
    TicketError,
    do_add_note,
    do_create_ticket,
    do_reopen_ticket,
)
from switchboard.tickets.assignment import do_assign_waiting_tickets_of, do_route_contact_message
from switchboard.tickets.messages import do_add_inbound_message, do_reply_to_contact
from switchboard.tickets.models import SUBJECT_TOKEN, Activity, Group, Membership, Ticket, TicketSource
from switchboard.tickets.realtime import one_update_per_ticket
from switchboard.tickets.selectors import follow_merges, list_cc_addresses
from switchboard.tickets.titles import title_from_text

log = logging.getLogger(__name__)

# "Re:", "Odp:", "AW:", "VS:", "SV:", "Fwd:", "PD:", "WG:", "TR:", "RV:", "Antw:", "Odp.:" … at the start, repeated.
REPLY_PREFIX = re.compile(
    r"^(\s*((re|odp|aw|vs|sv|fw|fwd|pd|wg|tr|rv|antw|rif|ynt|vá|res|enc)(\[\d+\])?\.?\s*:|\[[^\]]*ticket#\d+\]))+\s*",
    re.IGNORECASE,
)
NOTE_MARKER = re.compile(r"^\s*#note\b[ \t]*\n?", re.IGNORECASE)
FINISHED_FIELDS = ["state", "reason", "ticket", "activity", "processed_at", "sender", "message_id", "automatic"]


@dataclass(frozen=True)
class RawItem:
    """A message as an adapter received it, with the key that makes storing it idempotent."""

    channel: str
    source_key: str
    data: bytes
    group: Group


def do_store_raw_messages(items: list[RawItem]) -> list[RawMessage]:
    """Store what is not stored yet, in one transaction; returns the newly stored messages.
    After this returns (committed) the adapter may acknowledge every item to its source."""
    if not items:
        return []
    with transaction.atomic():
        known = set(
            RawMessage.objects.filter(
                channel=items[0].channel, source_key__in=[item.source_key for item in items]
            ).values_list("source_key", flat=True)
        )
        new = [
            RawMessage(channel=item.channel, source_key=item.source_key, data=item.data, group=item.group)
            for item in {item.source_key: item for item in items if item.source_key not in known}.values()
        ]
        RawMessage.objects.bulk_create(new)
    if new and new[0].pk is None:  # back ends that do not return keys from a bulk insert
        keys = [message.source_key for message in new]
        return list(RawMessage.objects.filter(channel=items[0].channel, source_key__in=keys).order_by("pk"))
    return new


class BackgroundParser:
    """Parses in a second process while this one writes tickets (ARCHITECTURE's 2 cores at work):
    a mailbox check or an import submits the next batch before it applies the current one."""

    def __init__(self) -> None:
        self.pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=get_context("spawn"),
            initializer=start_child_process,
            initargs=(os.getpid(),),
        )
        self.pool.submit(int)  # start it now: it sets Django up while the first messages are fetched

    def submit(self, messages: list[RawMessage]) -> Future[list[Inbound | str]]:
        return self.pool.submit(parse_stored, [(raw.channel, bytes(raw.data)) for raw in messages])

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def parse_stored(messages: list[tuple[str, bytes]]) -> list[Inbound | str]:
    """Each (channel, raw data) read by its channel's registered parser, in order: the Inbound, or
    the reason it cannot be read. Runs in the BackgroundParser's process too."""
    by_channel: dict[str, list[int]] = {}
    for position, (channel, _data) in enumerate(messages):
        by_channel.setdefault(channel, []).append(position)
    parsed: list[Inbound | str] = [""] * len(messages)
    for channel, positions in by_channel.items():
        results = get_channel(channel).parse([messages[position][1] for position in positions])
        for position, result in zip(positions, results, strict=True):
            parsed[position] = result
    return parsed


def do_apply_raw_messages(
    messages: list[RawMessage], *, autorespond: bool = True, parsed: list[Inbound | str] | None = None
) -> None:
    """Apply stored messages to tickets, INTAKE_BATCH_SIZE per transaction (each in a savepoint:
    one that fails is quarantined and the others go on; outcomes and search entries are written
    together at the batch's end, tickets/batch_writes.py). ``parsed``: the messages already
    parsed (by a BackgroundParser), else they are parsed here."""
    if parsed is None:
        parsed = parse_stored([(raw.channel, bytes(raw.data)) for raw in messages])
    size = max(settings.INTAKE_BATCH_SIZE, 1)
    for start in range(0, len(messages), size):
        batch = list(zip(messages[start : start + size], parsed[start : start + size], strict=True))
        _apply_batch(batch, autorespond=autorespond)


def _apply_batch(parsed: list[tuple[RawMessage, Inbound | str]], *, autorespond: bool) -> None:
    """One transaction for the batch; the tickets it leaves without an owner are routed after
    its commit, a group at a time: the batch locks no agent, so its routing cannot deadlock with
    the live path's (intake/waiting.py) nor hold the agents while its 50 messages are written."""
    batch = [raw for raw, _inbound in parsed]
    to_route: dict[int, Group] = {}
    with one_update_per_ticket(), transaction.atomic(), batch_writes.batch():
        context = read_batch_context(
            [inbound for _raw, inbound in parsed if not isinstance(inbound, str)],
            autorespond=autorespond,
            group_ids={raw.group_id for raw in batch if raw.group_id is not None},
            route_later=to_route,
        )
        still_stored = set(  # another process may have applied some meanwhile: never twice
            RawMessage.objects.select_for_update()
            .filter(pk__in=[raw.pk for raw in batch], state=RawMessage.State.STORED)
            .values_list("pk", flat=True)
        )
        for raw, inbound in parsed:
            if raw.pk in still_stored:
                _apply_or_quarantine(raw, inbound, context)
        update_rows(context.done, FINISHED_FIELDS)  # one statement a batch
    do_assign_waiting_tickets_of(to_route.values())


def _apply_or_quarantine(raw: RawMessage, inbound: Inbound | str, context: BatchContext) -> None:
    """``raw`` applied in a savepoint, or quarantined with the reason; finished either way.
    What the batch remembers of a message rolled back (a new contact, its Message-ID's ticket)
    is forgotten with it."""
    remembered = context.remembered()
    try:
        with transaction.atomic():
            if isinstance(inbound, str):
                raw.sender = get_channel(raw.channel).sender_of(bytes(raw.data))[:254]
                _finish(raw, RawMessage.State.QUARANTINED, reason=inbound)
            else:
                _apply(raw, inbound, context)
        if raw.ticket is not None:  # changed: read again by a later message of the batch
            context.tickets.forget(raw.ticket)
    except (UnreadableMessageError, ValidationError) as error:  # a known reason: one line, no traceback
        log.warning("Raw message %s quarantined: %s", raw.pk, " ".join(_messages_of(error)))
        context.forget_since(remembered)
        raw.sender, raw.message_id, raw.automatic = "", "", ""
        _finish(raw, RawMessage.State.QUARANTINED, reason=" ".join(_messages_of(error)))
    except Exception as error:  # noqa: BLE001 - a fault of ours: quarantined with the reason, the batch goes on
        log.exception("Cannot apply raw message %s", raw.pk)
        context.forget_since(remembered)
        raw.sender, raw.message_id, raw.automatic = "", "", ""
        _finish(raw, RawMessage.State.QUARANTINED, reason=f"{error.__class__.__name__}: {error}")
    context.done.append(raw)  # finished, whatever happened: saved with the others


def apply_stored(raw: RawMessage, *, fixed: FixedContext, route_later: dict[int, Group]) -> None:
    """One stored message, its row locked by the caller's transaction, applied or quarantined
    and its outcome saved (the live path's job, intake/waiting.py); its ticket, if left without
    an owner, is not routed but its group added to ``route_later`` once committed."""
    if raw.group_id is not None:
        raw.group = batch_writes.read_once(("group", raw.group_id), partial(Group.objects.get, pk=raw.group_id))
    inbound = parse_stored([(raw.channel, bytes(raw.data))])[0]
    inbounds = [] if isinstance(inbound, str) else [inbound]
    group_ids = {raw.group_id} if raw.group_id is not None else set()
    context = read_batch_context(inbounds, autorespond=True, group_ids=group_ids, fixed=fixed, route_later=route_later)
    _apply_or_quarantine(raw, inbound, context)
    update_rows(context.done, FINISHED_FIELDS)


def _messages_of(error: UnreadableMessageError | ValidationError) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def do_retry_raw_message(raw: RawMessage) -> RawMessage:
    """An administrator's "retry" of a quarantined message (after fixing what stopped it)."""
    raw.state, raw.reason = RawMessage.State.STORED, ""
    raw.save(update_fields=["state", "reason"])
    do_apply_raw_messages([raw])
    raw.refresh_from_db()
    return raw


def do_discard_raw_message(raw: RawMessage, *, acting_user: User) -> None:
    raw.state = RawMessage.State.DROPPED
    raw.reason = _("Discarded by %(name)s.") % {"name": acting_user.get_username()}
    raw.processed_at = timezone.now()
    raw.save(update_fields=["state", "reason", "processed_at"])


def _apply(raw: RawMessage, inbound: Inbound, context: BatchContext) -> None:
    group = raw.group
    if group is None:
        raise UnreadableMessageError(_("The message came in without a group."))
    raw.sender, raw.message_id = inbound.sender.address[:254], inbound.message_id[:998]
    raw.automatic = inbound.automatic[:200]
    if rule := _blocking_rule(inbound, context.blocked):
        BlockedSender.objects.filter(pk=rule.pk).update(dropped=F("dropped") + 1)
        _finish(raw, RawMessage.State.BLOCKED, reason=_("Blocked sender: %(rule)s") % {"rule": rule.sender})
        return
    if inbound.message_id and (earlier := context.on_tickets.get((group.pk, inbound.message_id))):
        _finish(raw, RawMessage.State.DROPPED, reason=_("Already on ticket #%(n)s.") % {"n": earlier})
        return
    channel = get_channel(raw.channel)
    kind, source = channel.contact_point_kind, TicketSource(channel.ticket_source)
    if (
        report := do_apply_delivery_report(inbound, contact_point_kind=kind)
    ) is not None:  # a bounce of our mail, or no sender address
        _finish(raw, report.state, reason=report.reason, ticket=report.ticket, activity=report.activity)
        return
    if inbound.automatic and _automatic_mail_count(inbound.sender.address, context) >= settings.AUTOMATIC_MAIL_LIMIT:
        _finish(
            raw,
            RawMessage.State.DROPPED,
            reason=_("Loop protection: %(n)s automatic messages from this sender within an hour.")
            % {"n": settings.AUTOMATIC_MAIL_LIMIT},
        )
        return
    authentication = trusted_authentication(inbound.authentication_results)
    claimed_agent = context.agents.get(inbound.sender.address) if not inbound.automatic else None
    if queued := apply_queue_report(inbound, group=group, agent=claimed_agent, authentication=authentication):
        _finish(raw, queued[0], reason=queued[1])  # an emailed queue report (PHONE-08), never a ticket
        return
    proven, ticket = agents_answer(inbound, claimed_agent, authentication, context.threads)
    if claimed_agent is not None and ticket is not None:
        _apply_agent_email(raw, inbound, agent=claimed_agent, ticket=ticket)
        return
    point = context.point_of(inbound.sender, kind)
    if inbound.ticket_id is not None:  # the channel proved which ticket it answers
        ticket, named = (
            follow_merges(Ticket.objects.select_related("group", "contact").get(pk=inbound.ticket_id)),
            None,
        )
    else:
        ticket, named = find_ticket(inbound, group, point, context.threads, kind=kind, known=context.tickets)
    if ticket is None and point is not None and not channel.threaded:
        ticket = recently_closed(point, group)
    contact = context.contact_for(inbound.sender, kind)
    created = False
    if ticket is not None and not ticket.is_open and not inbound.automatic:
        ticket, created = _continue_closed(ticket, contact, source=source)
    if ticket is None:
        ticket = _open_ticket(group, contact, inbound, source=source)
        created = True
    if named is not None:
        _link_named_ticket(ticket, named)
    others = [
        person
        for person in inbound.cc
        if person.address not in context.our_addresses and person.address != inbound.sender.address
    ]
    if named is None and _is_on_ticket(contact, ticket):  # MAIL-12: their people in copy join the ticket
        cc, offered = [context.contact_for(person, kind) for person in others], []
    else:  # mail trust: a stranger's people in copy are only offered to the agent
        cc, offered = [], [person.address for person in others]
    activity = do_add_inbound_message(
        ticket,
        inbound=inbound,
        cc=cc,
        offered_cc=offered,
        sender_unproven=claimed_agent is not None and not proven,
        locked=getattr(ticket, LOCKED, False),  # read or made just now, its row locked: not read again
    )
    if not inbound.automatic:
        ticket = do_route_contact_message(ticket)
        if ticket.owner_id is None and ticket.is_open:
            context.route_later[group.pk] = group
        if created:
            notify_new_ticket(ticket, excerpt=split_quoted(inbound.text)[0])
        elif ticket.owner_id is not None and not channel.live:
            notify_owner_of_contact_message(ticket, excerpt=split_quoted(inbound.text)[0])
    _finish(raw, RawMessage.State.APPLIED, ticket=ticket, activity=activity)
    if channel.applied is not None:
        transaction.on_commit(partial(channel.applied, raw.pk, inbound))
    context.remember(inbound, ticket)
    if created and channel.autorespond and context.autorespond and group.autoresponder and not inbound.automatic:
        _autorespond(ticket, inbound, authentication)


def _finish(
    raw: RawMessage,
    state: RawMessage.State,
    *,
    reason: str = "",
    ticket: Ticket | None = None,
    activity: Activity | None = None,
) -> None:
    """The message's outcome, saved with the batch's others when the batch ends (``_apply_batch``)."""
    raw.state, raw.reason, raw.ticket, raw.activity = state, reason, ticket, activity
    raw.processed_at = timezone.now()


def _blocking_rule(inbound: Inbound, blocked: list[BlockedSender]) -> BlockedSender | None:
    address = inbound.sender.address
    domain = address.rpartition("@")[2]
    for rule in blocked:
        if rule.sender == address or (
            rule.sender.startswith("@") and (domain == rule.sender[1:] or domain.endswith("." + rule.sender[1:]))
        ):
            try:
                if not rule.subject_pattern or re.search(rule.subject_pattern, inbound.subject, re.IGNORECASE):
                    return rule
            except re.error:
                log.warning("Blocked sender %s has a broken subject pattern", rule.sender)
    return None


def _automatic_mail_count(sender: str, context: BatchContext) -> int:
    """Automatic messages from ``sender`` received within an hour: saved ones, and this batch's."""
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    saved = RawMessage.objects.filter(sender=sender, received_at__gte=hour_ago).exclude(automatic="")
    batch = [raw for raw in context.done if raw.sender == sender and raw.automatic and raw.received_at >= hour_ago]
    return saved.exclude(pk__in=[raw.pk for raw in context.done]).count() + len(batch)


def _link_named_ticket(ticket: Ticket, named: Ticket) -> None:
    """The ticket a stranger's token or address named, and the one their message went to,
    point at each other on their pages."""
    if ticket != named and ticket.named_ticket_id is None:
        ticket.named_ticket = named
        ticket.save(update_fields=["named_ticket"])


def _is_on_ticket(contact: Contact, ticket: Ticket) -> bool:
    return ticket.contact_id == contact.pk or ticket.cc_contacts.filter(pk=contact.pk).exists()


def _continue_closed(ticket: Ticket, contact: Contact, *, source: TicketSource) -> tuple[Ticket, bool]:
    """A person's answer on a closed ticket: reopen it, or open a new one that follows it, as
    the group says; if the contact has another open ticket in the group, it goes there."""
    if ticket.group.reply_to_closed == Group.ReplyToClosed.REOPEN:
        try:
            return do_reopen_ticket(ticket, acting_user=None), False
        except OpenTicketExistsError as error:
            if error.existing is not None:
                return error.existing, False
        except TicketError:
            pass
    open_one = Ticket.objects.filter(contact=contact, group=ticket.group, closed_at__isnull=True).first()
    if open_one is not None:
        return open_one, False
    new = do_create_ticket(
        ticket.group, contact=contact, source=source, acting_user=None, title=ticket.title, none_open=True
    )
    new.follows = ticket
    new.save(update_fields=["follows"])
    return new, True


def _open_ticket(group: Group, contact: Contact, inbound: Inbound, *, source: TicketSource) -> Ticket:
    subject = REPLY_PREFIX.sub("", SUBJECT_TOKEN.sub("", inbound.subject)).strip()
    subject = subject or title_from_text(inbound.text)  # an SMS, a mail without a subject
    category = group.categories.filter(pk=inbound.category_id).first() if inbound.category_id else None
    try:
        ticket = do_create_ticket(
            group,
            contact=contact,
            source=source,
            acting_user=None,
            subject=subject,
            category=category,
            form_data=inbound.form_values,
            none_open=True,  # find_ticket looked for it, locked; a new contact has none
        )
    except OpenTicketExistsError as error:  # opened a moment ago by another message of theirs
        if (existing := error.existing or open_ticket_of(contact.pk, group)) is None:
            raise
        return existing
    setattr(ticket, LOCKED, True)  # made in this transaction: no one else can change it before the commit
    return ticket


def _apply_agent_email(raw: RawMessage, inbound: Inbound, *, agent: User, ticket: Ticket) -> None:
    """MAIL-06: an agent's emailed answer goes to the contact with greeting and sign-off; with
    "#note" on its first line it is a private note; an agent outside the group is told why not."""
    new_text, _quoted = split_quoted(inbound.text)
    if not Membership.objects.filter(user=agent, group=ticket.group).exists():
        do_queue_outbound(compose_refusal(ticket, agent=agent, subject=inbound.subject), ticket=None, activity=None)
        _finish(raw, RawMessage.State.DROPPED, reason=_("%(agent)s is not a member of %(group)s.")
                % {"agent": agent.get_username(), "group": ticket.group.name})  # fmt: skip
        return
    if NOTE_MARKER.match(new_text):
        activity = do_add_note(ticket, body=NOTE_MARKER.sub("", new_text, count=1), acting_user=agent)
    else:
        if not ticket.is_open:
            ticket = do_reopen_ticket(ticket, acting_user=agent)
        paragraphs = [html.escape(part.strip()).replace("\n", "<br>") for part in new_text.split("\n\n")]
        body_html = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs if paragraph)
        activity = do_reply_to_contact(
            ticket,
            to_address=primary_email_of(ticket.contact),
            body_html=body_html,
            acting_user=agent,
            cc=list_cc_addresses(ticket),  # MAIL-12: as a reply from the page
        )
    _finish(raw, RawMessage.State.APPLIED, ticket=ticket, activity=activity)


def _autorespond(ticket: Ticket, inbound: Inbound, authentication: Authentication) -> None:
    """The group's acknowledgement of a new ticket, within the autoresponder's limits."""
    if reason := why_no_autoresponse(inbound.sender.address, authentication):
        log.info("No autoresponse on ticket #%s: %s", ticket.number, reason)
        return
    with translation.override(ticket.contact_language):
        template = get_message_template(ticket.group, TemplateKind.AUTORESPONSE)
        outbound = compose_notice(
            ticket, template, to_address=inbound.sender.address, agent=None, answering=inbound.message_id
        )
    do_queue_outbound(outbound, ticket=ticket, activity=None)
