"""Every write to groups and tickets: creating, changing, closing and merging them. Each action is
one transaction that records its history activity (CORE-09) and pushes its live update after
commit. Beside it: ticket_changes.py (how a change to a ticket's fields is saved, with its history),
messages.py (from and to the contact), files.py, bulk.py, canned_responses.py and
settings_actions.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import partial

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from switchboard.contacts.models import Contact
from switchboard.contacts.selectors import primary_email_of
from switchboard.core.rows import insert_row
from switchboard.tickets import batch_writes, report_day_builds, search, service_levels
from switchboard.tickets.callback_records import end_callback_on_close
from switchboard.tickets.files import NewFile, delete_files, delete_photos, do_attach_file
from switchboard.tickets.form_values import lost_form_data
from switchboard.tickets.messaging import Notice, OutgoingMessage, messenger
from switchboard.tickets.models import (
    BUILT_IN_STATUS_NAMES,
    Activity,
    ActivityKind,
    Attachment,
    Category,
    Group,
    SearchEntry,
    Status,
    StatusKind,
    Ticket,
    TicketSource,
    new_portal_key,
)
from switchboard.tickets.numbers import take_ticket_number
from switchboard.tickets.permissions import ensure_can_work_in, ensure_can_work_on
from switchboard.tickets.realtime import publish_ticket_changed_on_commit
from switchboard.tickets.ticket_changes import (
    apply_changes,
    assign_locked_ticket,
    id_of,
    record_activity,
    save_changes,
)
from switchboard.tickets.titles import one_line_title


class TicketError(Exception):
    """A ticket action that cannot be done; the message is for the person who tried."""


class StaleTicketError(TicketError):
    def __init__(self, ticket: Ticket) -> None:
        self.ticket = ticket
        super().__init__(
            _("This ticket was changed by someone else while you were editing it. Refresh to see the changes.")
        )


class OpenTicketExistsError(TicketError):
    def __init__(self, existing: Ticket | None) -> None:
        self.existing = existing
        if existing is None:
            message = _("This contact already has an open ticket in that group.")
        else:
            message = _("This contact already has an open ticket in that group: #%(number)s.") % {
                "number": existing.number
            }
        super().__init__(message)


# The status set a new group starts with: (kind, initial). Built-in names are stored in English and
# shown in the reader's language (Status.display_name); groups rename and extend the set.
DEFAULT_STATUSES = [
    (StatusKind.NEW, True),
    (StatusKind.NEEDS_CONTACT, False),
    (StatusKind.WAITING_CONTACT, False),
    (StatusKind.SCHEDULED, False),
    (StatusKind.PENDING, False),
    (StatusKind.COMPLETED, False),
    (StatusKind.CLOSED, False),
    (StatusKind.CLOSED_SUCCESS, False),
    (StatusKind.SUCCESS_CANCELLED, False),
]


class Keep(Enum):
    """A header field not sent (an older page, a group without categories): left as it is."""

    AS_IT_IS = "as it is"


@dataclass(frozen=True)
class TicketHeader:
    """The header fields of the ticket page, as the agent wants them to be."""

    title: str
    status: Status
    owner: User | None
    next_action: str
    due_at: dt.datetime | None
    source: TicketSource | None = None  # CC-02; None: as it is
    category: Category | None | Keep = Keep.AS_IT_IS  # ROUTE-06


# --- groups ---------------------------------------------------------------------------------


@transaction.atomic
def do_create_group(name: str, *, slug: str = "", acting_user: User | None) -> Group:
    group = Group.objects.create(name=name, slug=slug or slugify(name))
    for position, (kind, initial) in enumerate(DEFAULT_STATUSES):  # created one by one: the audit log records each
        Status.objects.create(
            group=group, name=BUILT_IN_STATUS_NAMES[kind], kind=kind, is_initial=initial, position=position
        )
    return group


# --- creating -------------------------------------------------------------------------------


def default_title(contact: Contact | None, group: Group) -> str:
    """ "Contact name (Group)" (CORE-02)."""
    if contact is None:
        return one_line_title(_("New ticket (%(group)s)") % {"group": group.name})
    return one_line_title(f"{contact.display_name} ({group.name})")


def new_ticket_title(group: Group, *, contact: Contact | None, title: str, subject: str) -> str:
    """A new ticket's title: the one a person gave; else what the message was about (its
    subject, the call's reason), unless the group names tickets "Contact (Group)" (campaigns);
    else "Contact (Group)"."""
    if title := one_line_title(title):
        return title
    if not group.contact_titles and (subject := one_line_title(subject)):
        return subject
    return default_title(contact, group)


@transaction.atomic
def do_create_ticket(
    group: Group,
    *,
    contact: Contact | None,
    source: TicketSource,
    acting_user: User | None,
    title: str = "",
    subject: str = "",
    owner: User | None = None,
    form_data: dict[str, object] | None = None,
    category: Category | None = None,
    none_open: bool = False,
) -> Ticket:
    """Open a ticket. Refused with OpenTicketExistsError if the contact already has an open
    ticket in the group (CORE-03): new messages belong on that one. ``title``: a person's
    choice; ``subject``: what the message that opens it is about (``new_ticket_title``).
    ``none_open``: the caller found no open ticket of the contact in the group in this
    transaction (the intake): not looked for again; the database's constraint still refuses one."""
    ensure_can_work_in(acting_user, group)
    if category is not None and category.group_id != group.pk:
        raise TicketError(_("The category “%(category)s” is not one of this group's.") % {"category": category})
    if contact is not None and not none_open:
        existing = Ticket.objects.filter(contact=contact, group=group, closed_at__isnull=True).first()
        if existing is not None:
            raise OpenTicketExistsError(existing)
    ticket = Ticket(
        number=take_ticket_number(),
        group=group,
        contact=contact,
        owner=owner,
        title=new_ticket_title(group, contact=contact, title=title, subject=subject),
        status=_initial_status(group),
        source=source,
        form_data=form_data or {},
        category=category,
    )
    try:
        insert_row(ticket)
    except IntegrityError:
        # Another transaction opened one for this contact and group a moment ago.
        raise OpenTicketExistsError(None) from None
    record_activity(ticket, ActivityKind.CREATED, acting_user, body=ticket.get_source_display())
    service_levels.sync_clock(ticket, new=True)  # ROUTE-07
    search.add_text(ticket_id=ticket.pk, source=SearchEntry.Source.TITLE, source_id=ticket.pk, text=ticket.title)
    if contact is not None:
        search.add_text(
            ticket_id=ticket.pk, source=SearchEntry.Source.CONTACT, source_id=contact.pk, text=contact.display_name
        )
    publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    return ticket


# --- changing -------------------------------------------------------------------------------


@transaction.atomic
def do_update_ticket(ticket: Ticket, *, header: TicketHeader, expected_version: int, acting_user: User) -> Ticket:
    """Save the ticket page's header. Refused with StaleTicketError, changing nothing, when the
    ticket changed since the agent loaded version ``expected_version`` (CORE-13)."""
    ticket = lock_ticket(ticket, acting_user, expected_version=expected_version)
    if header.status.group_id != ticket.group_id:
        raise TicketError(_("That status belongs to another group."))
    if header.status.is_closed:
        raise TicketError(_("Use Close to close a ticket."))
    if header.owner is not None:
        ensure_can_work_in(header.owner, ticket.group_id)
    category = ticket.category if isinstance(header.category, Keep) else header.category
    if category is not None and category.group_id != ticket.group_id:
        raise TicketError(_("The category “%(category)s” is not one of this group's.") % {"category": category})
    changes = apply_changes(
        ticket,
        title=one_line_title(header.title) or ticket.title,
        status=header.status,
        owner=header.owner,
        next_action=header.next_action.strip(),
        due_at=header.due_at,
        source=header.source or ticket.source,
        category=category,
    )
    return save_changes(ticket, changes, acting_user)


@transaction.atomic
def do_change_ticket_status(
    ticket: Ticket, *, status: Status, acting_user: User | None, expected_version: int | None = None
) -> Ticket:
    ticket = lock_ticket(ticket, acting_user, expected_version=expected_version)
    if status.group_id != ticket.group_id:
        raise TicketError(_("That status belongs to another group."))
    if status.is_closed:
        raise TicketError(_("Use Close to close a ticket."))
    return save_changes(ticket, apply_changes(ticket, status=status), acting_user)


@transaction.atomic
def do_assign_ticket(
    ticket: Ticket, *, owner: User | None, acting_user: User | None, expected_version: int | None = None
) -> Ticket:
    ticket = lock_ticket(ticket, acting_user, expected_version=expected_version)
    if owner is not None:
        ensure_can_work_in(owner, ticket.group_id)
    return assign_locked_ticket(ticket, owner=owner, acting_user=acting_user)


@transaction.atomic
def do_move_ticket(
    ticket: Ticket,
    *,
    group: Group,
    reset_status_and_form: bool,
    acting_user: User | None,
    expected_version: int | None = None,
) -> Ticket:
    """Move a ticket to another group (CORE-08).

    With ``reset_status_and_form`` (a campaign move, CC-05, which the caller must have warned
    about) the ticket takes the new group's initial status and loses its form data; without it,
    it takes the new group's status of the same kind, and keeps its form data. An owner who is
    not a member of the new group stops being the owner.
    """
    ticket = lock_ticket(ticket, acting_user, expected_version=expected_version)
    ensure_can_work_in(acting_user, group)
    if group.pk == ticket.group_id:
        return ticket
    if not ticket.is_open:
        raise TicketError(_("Reopen the ticket before moving it."))
    if ticket.contact_id is not None:
        existing = Ticket.objects.filter(contact_id=ticket.contact_id, group=group, closed_at__isnull=True).first()
        if existing is not None:
            raise OpenTicketExistsError(existing)
    if reset_status_and_form:
        status = _initial_status(group)
    else:
        status = group.statuses.filter(kind=ticket.status.kind).first() or _initial_status(group)
    owner = ticket.owner
    if owner is not None and not group.memberships.filter(user=owner).exists() and not owner.is_superuser:
        owner = None
    lost = lost_form_data(ticket) if reset_status_and_form else ""  # by the old group's form
    changes = apply_changes(ticket, group=group, status=status, owner=owner, category=None)  # categories are a group's
    if reset_status_and_form and ticket.form_data:
        changes.append({"field": "form_data", "old": lost, "new": ""})
        ticket.form_data = {}
        search.remove_text(ticket_id=ticket.pk, source=SearchEntry.Source.FORM, source_id=ticket.pk)
    return save_changes(ticket, changes, acting_user)


@transaction.atomic
def do_merge_tickets(ticket: Ticket, *, into: Ticket, acting_user: User | None) -> Ticket:
    """Merge ``ticket`` into ``into`` (CORE-08): its whole timeline moves, and it closes with a
    pointer to the survivor. Returns the survivor."""
    if ticket.pk == into.pk:
        raise TicketError(_("A ticket cannot be merged into itself."))
    # Lock in id order, so that two opposite merges at once cannot deadlock.
    first, second = sorted([ticket, into], key=lambda t: t.pk)
    locked = {t.pk: lock_ticket(t, acting_user) for t in (first, second)}
    ticket, into = locked[ticket.pk], locked[into.pk]
    if ticket.merged_into_id is not None:
        raise TicketError(_("This ticket was already merged into another one."))
    if into.merged_into_id is not None:
        raise TicketError(_("Ticket #%(number)s was itself merged away.") % {"number": into.number})
    moved = Activity.objects.filter(ticket=ticket).update(ticket=into)
    SearchEntry.objects.filter(ticket=ticket, source=SearchEntry.Source.ACTIVITY).update(ticket=into)
    report_day_builds.mark_ticket_days_stale([ticket])  # the day it was closed, if it was
    ticket.merged_into = into
    ticket.closed_at = timezone.now()
    old_status = ticket.status
    ticket.status = _closed_status(ticket.group)
    ticket.version += 1
    ticket.portal_key = new_portal_key()  # SELF-03: the links in earlier mail about either ticket stop working
    ticket.save(update_fields=["merged_into", "closed_at", "status", "version", "portal_key", "updated_at"])
    record_activity(
        ticket,
        ActivityKind.MERGED,
        acting_user,
        body=_("Merged into #%(number)s.") % {"number": into.number},
        changes=[{"field": "status", "old": old_status.name, "new": ticket.status.name}],
    )
    service_levels.sync_clock(ticket)  # ROUTE-07: stops
    into.version += 1
    into.portal_key = new_portal_key()
    into.save(update_fields=["version", "portal_key", "updated_at"])
    record_activity(
        into,
        ActivityKind.MERGED,
        acting_user,
        body=_("Ticket #%(number)s merged into this one (%(count)s entries moved).")
        % {"number": ticket.number, "count": moved},
    )
    publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    publish_ticket_changed_on_commit(into, actor_id=id_of(acting_user))
    return into


@transaction.atomic
def do_add_note(ticket: Ticket, *, body: str, acting_user: User) -> Activity:
    return add_note_to_locked_ticket(lock_ticket(ticket, acting_user), body=body, acting_user=acting_user)


def add_note_to_locked_ticket(ticket: Ticket, *, body: str, acting_user: User) -> Activity:
    """``do_add_note`` on a ticket locked as ``lock_ticket`` does, by an action that goes on with it."""
    body = body.strip()
    if not body:
        raise TicketError(_("A note cannot be empty."))
    note = record_activity(ticket, ActivityKind.NOTE, acting_user, body=body)
    search.add_text(ticket_id=ticket.pk, source=SearchEntry.Source.ACTIVITY, source_id=note.pk, text=body)
    ticket.version += 1
    ticket.save(update_fields=["version", "updated_at"])
    publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    return note


@transaction.atomic
def do_close_ticket(
    ticket: Ticket,
    *,
    acting_user: User | None,
    status: Status | None = None,
    expected_version: int | None = None,
    why: str = "",
) -> Ticket:
    """Close a ticket in one of its group's closed statuses. Where the group says so, its photos
    are deleted (CORE-11; the history says how many) and the contact gets the resolution notice
    (MAIL-08). ``why`` goes into the history ("Closed with its parent incident #12", CORE-17)."""
    ticket = lock_ticket(ticket, acting_user, expected_version=expected_version)
    if not ticket.is_open:
        raise TicketError(_("This ticket is already closed."))
    status = status or _closed_status(ticket.group)
    if status.group_id != ticket.group_id or not status.is_closed:
        raise TicketError(_("Choose one of the group's closed statuses."))
    changes = apply_changes(ticket, status=status)
    changes += end_callback_on_close(ticket, acting_user=acting_user, now=timezone.now())
    body = why
    if ticket.group.purge_photos_on_close:
        deleted = delete_photos(ticket)
        if deleted:
            body = " ".join(filter(None, [why, _("%(count)s photo(s) deleted on close.") % {"count": deleted}]))
    ticket.closed_at = timezone.now()
    ticket.version += 1
    ticket.save()
    record_activity(ticket, ActivityKind.CLOSED, acting_user, body=body, changes=changes)
    service_levels.sync_clock(ticket)  # ROUTE-07: stops
    if ticket.group.resolution_notice and (to_address := primary_email_of(ticket.contact)):
        notice = messenger().compose_notice(ticket, Notice.RESOLUTION, to_address=to_address, agent=acting_user)
        queue_email_to_contact(ticket, notice, acting_user, searchable=notice.subject)
    if ticket.owner_id is not None:
        owner_id = ticket.owner_id
        transaction.on_commit(lambda: _assign_waiting_tickets_for(owner_id))
    publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    return ticket


def _assign_waiting_tickets_for(user_id: int) -> None:
    """The owner of a closed ticket has room for a waiting one (ROUTE-03)."""
    from switchboard.tickets import tasks  # the jobs import these actions

    tasks.assign_waiting_tickets_for(user_id)


@transaction.atomic
def do_reopen_ticket(ticket: Ticket, *, acting_user: User | None) -> Ticket:
    """Reopen a closed ticket in its group's initial status. Refused if the contact has opened
    another ticket in the group since (CORE-03), or if the ticket was merged away."""
    ticket = lock_ticket(ticket, acting_user)
    if ticket.is_open:
        raise TicketError(_("This ticket is already open."))
    if ticket.merged_into_id is not None:
        raise TicketError(_("This ticket was merged into another one; work on that one instead."))
    if ticket.contact_id is not None:
        existing = Ticket.objects.filter(
            contact_id=ticket.contact_id, group_id=ticket.group_id, closed_at__isnull=True
        ).first()
        if existing is not None:
            raise OpenTicketExistsError(existing)
    changes = apply_changes(ticket, status=_initial_status(ticket.group))
    report_day_builds.mark_ticket_days_stale([ticket])  # the day it was closed
    ticket.closed_at = None
    ticket.version += 1
    ticket.save()
    record_activity(ticket, ActivityKind.REOPENED, acting_user, changes=changes)
    service_levels.sync_clock(ticket)  # ROUTE-07: runs again
    publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    return ticket


@transaction.atomic
def do_purge_expired_tickets(group: Group, *, now: dt.datetime | None = None) -> int:
    """Delete the group's tickets closed longer ago than its retention period, with their
    history and files. Returns how many were deleted."""
    if group.retention_days is None:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=group.retention_days)
    expired = Ticket.objects.filter(group=group, closed_at__lt=cutoff)
    files = [
        name
        for pair in Attachment.objects.filter(activity__ticket__in=expired).values_list("file", "thumbnail")
        for name in pair
        if name
    ]
    Ticket.objects.filter(merged_into__in=expired).update(merged_into=None)
    report_day_builds.mark_ticket_days_stale(expired.only("created_at", "closed_at"), answers=True)
    count = expired.count()
    expired.delete()
    transaction.on_commit(lambda: delete_files(files))
    return count


# --- helpers --------------------------------------------------------------------------------


def lock_ticket(ticket: Ticket, acting_user: User | None, *, expected_version: int | None = None) -> Ticket:
    """The current row, locked for this transaction, after checking access and the version."""
    current = (
        Ticket.objects.select_for_update(of=("self",)).select_related("group", "status", "owner").get(pk=ticket.pk)
    )
    ensure_can_work_on(acting_user, current)
    if expected_version is not None and current.version != expected_version:
        raise StaleTicketError(current)
    return current


def _initial_status(group: Group) -> Status:
    status = batch_writes.read_once(("initial status", group.pk), partial(_read_initial_status, group))
    if status is None:
        raise TicketError(_("Group %(group)s has no open status.") % {"group": group.name})
    return status


def _read_initial_status(group: Group) -> Status | None:
    status = group.statuses.filter(is_initial=True).first()
    return status or group.statuses.exclude(kind__in=StatusKind.closed_kinds()).first()


def _closed_status(group: Group) -> Status:
    status = group.statuses.filter(kind=StatusKind.CLOSED).first()
    if status is None:
        status = group.statuses.filter(kind__in=StatusKind.closed_kinds()).first()
    if status is None:
        raise TicketError(_("Group %(group)s has no closed status.") % {"group": group.name})
    return status


@transaction.atomic
def do_close_completed_tickets(group: Group, *, acting_user: User) -> int:
    """ "Close completed tickets" (CORE-05): close every open ticket of the group whose status is
    of the completed kind. Returns how many were closed."""
    ensure_can_work_in(acting_user, group)
    completed = Ticket.objects.filter(group=group, closed_at__isnull=True, status__kind=StatusKind.COMPLETED)
    closed = 0
    for ticket in completed.order_by("number"):
        do_close_ticket(ticket, acting_user=acting_user)
        closed += 1
    return closed


def queue_email_to_contact(
    ticket: Ticket,
    outbound: OutgoingMessage,
    acting_user: User | None,
    *,
    searchable: str,
    hold_until: dt.datetime | None = None,
    files: Sequence[NewFile] = (),
) -> Activity:
    """Put an email to the contact on the timeline and in the outbox, in the caller's
    transaction; held there until ``hold_until`` if given (Undo). ``files`` are stored on the
    timeline entry and sent with the email (CORE-16)."""
    message = Activity.objects.create(
        ticket=ticket,
        kind=ActivityKind.EMAIL_OUT,
        actor=acting_user,
        body=outbound.text,
        body_html=outbound.html,
        message_id=outbound.message_id,
        from_address=outbound.from_address,
        to_address=outbound.to_address,
    )
    search.add_text(ticket_id=ticket.pk, source=SearchEntry.Source.ACTIVITY, source_id=message.pk, text=searchable)
    stored = [
        do_attach_file(message, filename=file.filename, content_type=file.content_type, content=file.content)
        for file in files
    ]
    messenger().queue(outbound, ticket=ticket, activity=message, hold_until=hold_until, attachments=stored)
    return message


@transaction.atomic
def do_change_ticket_source(
    ticket: Ticket, *, source: TicketSource, acting_user: User | None, expected_version: int | None = None
) -> Ticket:
    """Correct where a ticket came from (CC-02)."""
    ticket = lock_ticket(ticket, acting_user, expected_version=expected_version)
    return save_changes(ticket, apply_changes(ticket, source=source), acting_user)
