"""Every write to groups and tickets. Each action is one transaction that records its history
activity (CORE-09) and pushes its live update after commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.selectors import find_contact_by_point, primary_email_of
from switchboard.core.html import html_to_text, sanitise_html
from switchboard.tickets import search
from switchboard.tickets.downloads import sniff_image_type
from switchboard.tickets.messaging import IncomingMessage, Notice, OutgoingMessage, messenger
from switchboard.tickets.models import (
    Activity,
    ActivityKind,
    AgentProfile,
    Attachment,
    CannedResponse,
    Counter,
    Group,
    Membership,
    SearchEntry,
    Status,
    StatusKind,
    Ticket,
    TicketSource,
)
from switchboard.tickets.permissions import can_manage, ensure_can_work_in, ensure_can_work_on
from switchboard.tickets.placeholders import find_placeholders
from switchboard.tickets.realtime import publish_ticket_changed_on_commit
from switchboard.tickets.thumbnails import make_thumbnail
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


# The status set a new group starts with: (name, kind, initial). Groups rename and extend it.
DEFAULT_STATUSES = [
    (gettext_lazy("New"), StatusKind.NEW, True),
    (gettext_lazy("Call the contact"), StatusKind.NEEDS_CONTACT, False),
    (gettext_lazy("Waiting for the contact"), StatusKind.WAITING_CONTACT, False),
    (gettext_lazy("Scheduled"), StatusKind.SCHEDULED, False),
    (gettext_lazy("With another team"), StatusKind.PENDING, False),
    (gettext_lazy("Completed"), StatusKind.COMPLETED, False),
    (gettext_lazy("Closed"), StatusKind.CLOSED, False),
    (gettext_lazy("Closed with success"), StatusKind.CLOSED_SUCCESS, False),
    (gettext_lazy("Cancelled"), StatusKind.SUCCESS_CANCELLED, False),
]


@dataclass(frozen=True)
class TicketHeader:
    """The header fields of the ticket page, as the agent wants them to be."""

    title: str
    status: Status
    owner: User | None
    next_action: str
    due_at: dt.datetime | None


# --- groups ---------------------------------------------------------------------------------


@transaction.atomic
def do_create_group(name: str, *, slug: str = "", acting_user: User | None) -> Group:
    group = Group.objects.create(name=name, slug=slug or slugify(name))
    Status.objects.bulk_create(
        Status(group=group, name=str(label), kind=kind, is_initial=initial, position=position)
        for position, (label, kind, initial) in enumerate(DEFAULT_STATUSES)
    )
    return group


# --- creating -------------------------------------------------------------------------------


def _next_ticket_number() -> int:
    """Take the next ticket number. The counter row stays locked until the transaction ends,
    so numbers are handed out in order and a deleted ticket's number is never given again."""
    table = connection.ops.quote_name(Counter._meta.db_table)
    with connection.cursor() as cursor:  # one statement where the row exists (SQLite ≥ 3.35, PostgreSQL)
        cursor.execute(f"UPDATE {table} SET value = value + 1 WHERE name = %s RETURNING value", ["ticket"])  # noqa: S608
        row = cursor.fetchone()
    if row is not None:
        return int(row[0])
    Counter.objects.get_or_create(name="ticket")
    Counter.objects.filter(name="ticket").update(value=F("value") + 1)
    return Counter.objects.values_list("value", flat=True).get(name="ticket")


def default_title(contact: Contact | None, group: Group) -> str:
    """ "Contact name (Group)" (CORE-02)."""
    if contact is None:
        return one_line_title(_("New ticket (%(group)s)") % {"group": group.name})
    return one_line_title(f"{contact.display_name} ({group.name})")


@transaction.atomic
def do_create_ticket(
    group: Group,
    *,
    contact: Contact | None,
    source: TicketSource,
    acting_user: User | None,
    title: str = "",
    owner: User | None = None,
    form_data: dict[str, object] | None = None,
) -> Ticket:
    """Open a ticket. Refused with OpenTicketExistsError if the contact already has an open
    ticket in the group (CORE-03): new messages belong on that one."""
    ensure_can_work_in(acting_user, group)
    if contact is not None:
        existing = Ticket.objects.filter(contact=contact, group=group, closed_at__isnull=True).first()
        if existing is not None:
            raise OpenTicketExistsError(existing)
    ticket = Ticket(
        number=_next_ticket_number(),
        group=group,
        contact=contact,
        owner=owner,
        title=one_line_title(title) or default_title(contact, group),
        status=_initial_status(group),
        source=source,
        form_data=form_data or {},
    )
    try:
        ticket.save()
    except IntegrityError:
        # Another transaction opened one for this contact and group a moment ago.
        raise OpenTicketExistsError(None) from None
    _record(ticket, ActivityKind.CREATED, acting_user, body=ticket.get_source_display())
    search.add_text(ticket_id=ticket.pk, source=SearchEntry.Source.TITLE, source_id=ticket.pk, text=ticket.title)
    if contact is not None:
        search.add_text(
            ticket_id=ticket.pk, source=SearchEntry.Source.CONTACT, source_id=contact.pk, text=contact.display_name
        )
    publish_ticket_changed_on_commit(ticket, actor_id=_id(acting_user))
    return ticket


# --- changing -------------------------------------------------------------------------------


@transaction.atomic
def do_update_ticket(ticket: Ticket, *, header: TicketHeader, expected_version: int, acting_user: User) -> Ticket:
    """Save the ticket page's header. Refused with StaleTicketError, changing nothing, when the
    ticket changed since the agent loaded version ``expected_version`` (CORE-13)."""
    ticket = _lock(ticket, acting_user, expected_version=expected_version)
    if header.status.group_id != ticket.group_id:
        raise TicketError(_("That status belongs to another group."))
    if header.status.is_closed:
        raise TicketError(_("Use Close to close a ticket."))
    if header.owner is not None:
        ensure_can_work_in(header.owner, ticket.group_id)
    changes = _apply(
        ticket,
        title=one_line_title(header.title) or ticket.title,
        status=header.status,
        owner=header.owner,
        next_action=header.next_action.strip(),
        due_at=header.due_at,
    )
    return _save_changes(ticket, changes, acting_user)


@transaction.atomic
def do_change_ticket_status(
    ticket: Ticket, *, status: Status, acting_user: User | None, expected_version: int | None = None
) -> Ticket:
    ticket = _lock(ticket, acting_user, expected_version=expected_version)
    if status.group_id != ticket.group_id:
        raise TicketError(_("That status belongs to another group."))
    if status.is_closed:
        raise TicketError(_("Use Close to close a ticket."))
    return _save_changes(ticket, _apply(ticket, status=status), acting_user)


@transaction.atomic
def do_assign_ticket(
    ticket: Ticket, *, owner: User | None, acting_user: User | None, expected_version: int | None = None
) -> Ticket:
    ticket = _lock(ticket, acting_user, expected_version=expected_version)
    if owner is not None:
        ensure_can_work_in(owner, ticket.group_id)
    return _save_changes(ticket, _apply(ticket, owner=owner), acting_user)


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
    ticket = _lock(ticket, acting_user, expected_version=expected_version)
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
    changes = _apply(ticket, group=group, status=status, owner=owner)
    if reset_status_and_form and ticket.form_data:
        changes.append({"field": "form_data", "old": _("form data"), "new": _("cleared")})
        ticket.form_data = {}
    return _save_changes(ticket, changes, acting_user)


@transaction.atomic
def do_merge_tickets(ticket: Ticket, *, into: Ticket, acting_user: User | None) -> Ticket:
    """Merge ``ticket`` into ``into`` (CORE-08): its whole timeline moves, and it closes with a
    pointer to the survivor. Returns the survivor."""
    if ticket.pk == into.pk:
        raise TicketError(_("A ticket cannot be merged into itself."))
    # Lock in id order, so that two opposite merges at once cannot deadlock.
    first, second = sorted([ticket, into], key=lambda t: t.pk)
    locked = {t.pk: _lock(t, acting_user) for t in (first, second)}
    ticket, into = locked[ticket.pk], locked[into.pk]
    if ticket.merged_into_id is not None:
        raise TicketError(_("This ticket was already merged into another one."))
    if into.merged_into_id is not None:
        raise TicketError(_("Ticket #%(number)s was itself merged away.") % {"number": into.number})
    moved = Activity.objects.filter(ticket=ticket).update(ticket=into)
    SearchEntry.objects.filter(ticket=ticket, source=SearchEntry.Source.ACTIVITY).update(ticket=into)
    ticket.merged_into = into
    ticket.closed_at = timezone.now()
    old_status = ticket.status
    ticket.status = _closed_status(ticket.group)
    ticket.version += 1
    ticket.save(update_fields=["merged_into", "closed_at", "status", "version", "updated_at"])
    _record(
        ticket,
        ActivityKind.MERGED,
        acting_user,
        body=_("Merged into #%(number)s.") % {"number": into.number},
        changes=[{"field": "status", "old": old_status.name, "new": ticket.status.name}],
    )
    into.version += 1
    into.save(update_fields=["version", "updated_at"])
    _record(
        into,
        ActivityKind.MERGED,
        acting_user,
        body=_("Ticket #%(number)s merged into this one (%(count)s entries moved).")
        % {"number": ticket.number, "count": moved},
    )
    publish_ticket_changed_on_commit(ticket, actor_id=_id(acting_user))
    publish_ticket_changed_on_commit(into, actor_id=_id(acting_user))
    return into


@transaction.atomic
def do_add_note(ticket: Ticket, *, body: str, acting_user: User) -> Activity:
    ticket = _lock(ticket, acting_user)
    body = body.strip()
    if not body:
        raise TicketError(_("A note cannot be empty."))
    note = _record(ticket, ActivityKind.NOTE, acting_user, body=body)
    search.add_text(ticket_id=ticket.pk, source=SearchEntry.Source.ACTIVITY, source_id=note.pk, text=body)
    ticket.version += 1
    ticket.save(update_fields=["version", "updated_at"])
    publish_ticket_changed_on_commit(ticket, actor_id=_id(acting_user))
    return note


@transaction.atomic
def do_close_ticket(
    ticket: Ticket, *, acting_user: User | None, status: Status | None = None, expected_version: int | None = None
) -> Ticket:
    """Close a ticket in one of its group's closed statuses. Where the group says so, its photos
    are deleted (CORE-11; the history says how many) and the contact gets the resolution notice
    (MAIL-08)."""
    ticket = _lock(ticket, acting_user, expected_version=expected_version)
    if not ticket.is_open:
        raise TicketError(_("This ticket is already closed."))
    status = status or _closed_status(ticket.group)
    if status.group_id != ticket.group_id or not status.is_closed:
        raise TicketError(_("Choose one of the group's closed statuses."))
    changes = _apply(ticket, status=status)
    body = ""
    if ticket.group.purge_photos_on_close:
        deleted = _delete_photos(ticket)
        if deleted:
            body = _("%(count)s photo(s) deleted on close.") % {"count": deleted}
    ticket.closed_at = timezone.now()
    ticket.version += 1
    ticket.save()
    _record(ticket, ActivityKind.CLOSED, acting_user, body=body, changes=changes)
    if ticket.group.resolution_notice and (to_address := primary_email_of(ticket.contact)):
        notice = messenger().compose_notice(ticket, Notice.RESOLUTION, to_address=to_address, agent=acting_user)
        queue_email_to_contact(ticket, notice, acting_user, searchable=notice.subject)
    if ticket.owner_id is not None:
        owner_id = ticket.owner_id
        transaction.on_commit(lambda: _assign_waiting_tickets_for(owner_id))
    publish_ticket_changed_on_commit(ticket, actor_id=_id(acting_user))
    return ticket


def _assign_waiting_tickets_for(user_id: int) -> None:
    """The owner of a closed ticket has room for a waiting one (ROUTE-03)."""
    from switchboard.tickets import tasks  # the jobs import these actions

    tasks.assign_waiting_tickets_for(user_id)


@transaction.atomic
def do_reopen_ticket(ticket: Ticket, *, acting_user: User | None) -> Ticket:
    """Reopen a closed ticket in its group's initial status. Refused if the contact has opened
    another ticket in the group since (CORE-03), or if the ticket was merged away."""
    ticket = _lock(ticket, acting_user)
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
    changes = _apply(ticket, status=_initial_status(ticket.group))
    ticket.closed_at = None
    ticket.version += 1
    ticket.save()
    _record(ticket, ActivityKind.REOPENED, acting_user, changes=changes)
    publish_ticket_changed_on_commit(ticket, actor_id=_id(acting_user))
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
    count = expired.count()
    expired.delete()
    transaction.on_commit(lambda: _delete_files(files))
    return count


# --- helpers --------------------------------------------------------------------------------


def _id(user: User | None) -> int | None:
    return None if user is None else user.pk


def _lock(ticket: Ticket, acting_user: User | None, *, expected_version: int | None = None) -> Ticket:
    """The current row, locked for this transaction, after checking access and the version."""
    current = (
        Ticket.objects.select_for_update(of=("self",)).select_related("group", "status", "owner").get(pk=ticket.pk)
    )
    ensure_can_work_on(acting_user, current)
    if expected_version is not None and current.version != expected_version:
        raise StaleTicketError(current)
    return current


def _initial_status(group: Group) -> Status:
    status = group.statuses.filter(is_initial=True).first()
    if status is None:
        status = group.statuses.exclude(kind__in=StatusKind.closed_kinds()).first()
    if status is None:
        raise TicketError(_("Group %(group)s has no open status.") % {"group": group.name})
    return status


def _closed_status(group: Group) -> Status:
    status = group.statuses.filter(kind=StatusKind.CLOSED).first()
    if status is None:
        status = group.statuses.filter(kind__in=StatusKind.closed_kinds()).first()
    if status is None:
        raise TicketError(_("Group %(group)s has no closed status.") % {"group": group.name})
    return status


def _shown(value: object) -> str:
    """How a field value is written into history: names, not ids, as they were at the time."""
    if value is None or value == "":
        return ""
    if isinstance(value, AbstractBaseUser):
        profile = getattr(value, "agent_profile", None)
        return profile.initials if profile else value.get_username()
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return str(value)


def _apply(ticket: Ticket, **values: object) -> list[dict[str, str]]:
    """Set the fields that differ, returning their history entries (old → new)."""
    changes = []
    for field, new in values.items():
        old = getattr(ticket, field)
        if old != new:
            changes.append({"field": field, "old": _shown(old), "new": _shown(new)})
            setattr(ticket, field, new)
    return changes


def _save_changes(ticket: Ticket, changes: list[dict[str, str]], acting_user: User | None) -> Ticket:
    if not changes:
        return ticket
    if any(change["field"] == "owner" for change in changes):
        ticket.assigned_at = timezone.now() if ticket.owner_id else None
        ticket.owner_opened_at = ticket.assigned_at if ticket.owner_id == _id(acting_user) else None
    ticket.version += 1
    ticket.save()
    _record(ticket, ActivityKind.CHANGED, acting_user, changes=changes)
    if any(change["field"] == "owner" for change in changes):
        messenger().notify_new_owner(ticket, acting_user=acting_user)
    if any(change["field"] == "title" for change in changes):
        search.index_text(ticket_id=ticket.pk, source=SearchEntry.Source.TITLE, source_id=ticket.pk, text=ticket.title)
    publish_ticket_changed_on_commit(ticket, actor_id=_id(acting_user))
    return ticket


def _record(
    ticket: Ticket,
    kind: ActivityKind,
    actor: User | None,
    *,
    body: str = "",
    changes: list[dict[str, str]] | None = None,
) -> Activity:
    return Activity.objects.create(ticket=ticket, kind=kind, actor=actor, body=body, changes=changes or [])


def do_attach_file(activity: Activity, *, filename: str, content_type: str, content: bytes) -> Attachment:
    """Store a file on a timeline entry; a photo gets its thumbnail (CORE-16). Files are written
    before the row: if the transaction rolls back they are left behind, never the reverse."""
    filename = "".join(char for char in filename if char.isprintable())
    filename = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[-255:] or _("attachment")
    attachment = Attachment(activity=activity, filename=filename, content_type=content_type, size=len(content))
    attachment.file.save(filename, ContentFile(content), save=False)
    thumbnail = make_thumbnail(content) if sniff_image_type(content) else None
    if thumbnail is not None:
        attachment.thumbnail.save(f"{activity.ticket_id}.jpg", ContentFile(thumbnail), save=False)
    attachment.save()
    return attachment


# The timeline entry of a message from outside, by the channel it came in on (email otherwise).
INBOUND_KINDS = {"sms": ActivityKind.SMS_IN, "voice": ActivityKind.VOICEMAIL}


@transaction.atomic
def do_add_inbound_message(
    ticket: Ticket,
    *,
    inbound: IncomingMessage,
    cc: list[Contact],
    offered_cc: list[str] | None = None,
    sender_unproven: bool = False,
) -> Activity:
    """Put a message from outside on the ticket's timeline (MAIL-02): its text, sanitised HTML
    with inline images pointed at the stored files, attachments and the people in copy
    (MAIL-12). A person's message puts an open ticket back to "needs contact"; automatic mail
    (MAIL-11) changes nothing but the timeline. ``offered_cc``: people in copy an agent may add;
    ``sender_unproven``: from an agent's address without proof (mail trust), marked so."""
    ticket = _lock(ticket, None)
    message = Activity.objects.create(
        ticket=ticket,
        kind=INBOUND_KINDS.get(inbound.channel, ActivityKind.EMAIL_IN),
        body=inbound.text,
        body_html=inbound.html,
        message_id=inbound.message_id,
        from_address=inbound.sender.address,
        to_address=", ".join(inbound.recipients)[:1000],
        offered_cc=", ".join(offered_cc or [])[:1000],
        sender_unproven=sender_unproven,
    )
    html = inbound.html
    for file in inbound.attachments:
        stored = do_attach_file(message, filename=file.filename, content_type=file.content_type, content=file.content)
        if file.content_id:
            html = html.replace(f"cid:{file.content_id}", reverse("attachment", args=[stored.pk]))
    if html != message.body_html:  # inline images now point at the stored files
        message.body_html = html
        message.save(update_fields=["body_html"])
    search.add_text(ticket_id=ticket.pk, source=SearchEntry.Source.ACTIVITY, source_id=message.pk, text=inbound.text)
    if inbound.problems:
        _record(ticket, ActivityKind.NOTE, None, body="\n".join(inbound.problems))
    if cc:
        ticket.cc_contacts.add(*cc)
    changes: list[dict[str, str]] = []
    if not inbound.automatic and ticket.is_open and ticket.status.kind not in StatusKind.needing_action():
        needs_contact = ticket.group.statuses.filter(kind=StatusKind.NEEDS_CONTACT).order_by("position").first()
        changes = _apply(ticket, status=needs_contact) if needs_contact else []
    ticket.version += 1
    ticket.save()
    if changes:
        _record(ticket, ActivityKind.CHANGED, None, changes=changes)
    publish_ticket_changed_on_commit(ticket, actor_id=None)
    return message


def _delete_photos(ticket: Ticket) -> int:
    photos = Attachment.objects.filter(activity__ticket=ticket, content_type__startswith="image/")
    files = [name for pair in photos.values_list("file", "thumbnail") for name in pair if name]
    count, _deleted = photos.delete()
    transaction.on_commit(lambda: _delete_files(files))
    return count


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


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
def do_reply_to_contact(
    ticket: Ticket, *, to_address: str, body_html: str, acting_user: User, cc: list[str] | None = None
) -> Activity:
    """Send the contact an answer (MAIL-05): recorded on the timeline, queued in the outbox in
    this transaction, and the ticket set to the group's "waiting for the contact" status.
    Refused while the text is empty or still holds a canned response's [placeholders]."""
    ticket = _lock(ticket, acting_user)
    if not ticket.is_open:
        raise TicketError(_("Reopen the ticket to reply."))
    answer = html_to_text(sanitise_html(body_html))
    if not answer:
        raise TicketError(_("Write a reply first."))
    if placeholders := find_placeholders(answer):
        raise PlaceholdersLeftError(placeholders)
    outbound = compose_reply_to_contact(ticket, to_address=to_address, body_html=body_html, agent=acting_user, cc=cc)
    reply = queue_email_to_contact(ticket, outbound, acting_user, searchable=answer)
    waiting = ticket.group.statuses.filter(kind=StatusKind.WAITING_CONTACT).order_by("position").first()
    changes = _apply(ticket, status=waiting) if waiting else []
    ticket.version += 1
    ticket.save()
    if changes:
        _record(ticket, ActivityKind.CHANGED, acting_user, changes=changes)
    publish_ticket_changed_on_commit(ticket, actor_id=_id(acting_user))
    return reply


def queue_email_to_contact(
    ticket: Ticket, outbound: OutgoingMessage, acting_user: User | None, *, searchable: str
) -> Activity:
    """Put an email to the contact on the timeline and in the outbox, in the caller's transaction."""
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
    messenger().queue(outbound, ticket=ticket, activity=message)
    return message


@transaction.atomic
def do_email_ticket_owner(ticket: Ticket, *, message: str, acting_user: User) -> Activity:
    """Email ticket owner (MAIL-09): the owner gets the message with a link; the timeline keeps
    it as a note, so the team sees what was asked."""
    ticket = _lock(ticket, acting_user)
    owner = ticket.owner
    if owner is None or not owner.email:
        raise TicketError(_("This ticket has no owner with an email address."))
    if owner.pk == acting_user.pk:
        raise TicketError(_("You own this ticket."))
    if not message.strip():
        raise TicketError(_("Write a message first."))
    outbound = messenger().compose_owner_email(ticket, owner=owner, sender=acting_user, message=message)
    note = _record(
        ticket,
        ActivityKind.NOTE,
        acting_user,
        body=_("Emailed the owner (%(owner)s): %(message)s") % {"owner": _shown(owner), "message": message.strip()},
    )
    search.add_text(ticket_id=ticket.pk, source=SearchEntry.Source.ACTIVITY, source_id=note.pk, text=note.body)
    messenger().queue(outbound, ticket=ticket, activity=None)
    ticket.version += 1
    ticket.save(update_fields=["version", "updated_at"])
    publish_ticket_changed_on_commit(ticket, actor_id=_id(acting_user))
    return note


@transaction.atomic
def do_save_canned_response(
    group: Group, *, title: str, body_html: str, acting_user: User, canned: CannedResponse | None = None
) -> CannedResponse:
    """Add (or, given ``canned``, change) one of a group's canned responses; managers only."""
    if not can_manage(acting_user, group):
        raise PermissionDenied(_("Only the group's managers edit its canned responses."))
    canned = canned or CannedResponse(group=group)
    if canned.group_id != group.pk:
        raise TicketError(_("That canned response belongs to another group."))
    canned.title, canned.body_html = title.strip(), sanitise_html(body_html)
    if not canned.title or not html_to_text(canned.body_html):
        raise TicketError(_("A canned response needs a title and a text."))
    try:
        with transaction.atomic():
            canned.save()
    except IntegrityError:
        raise TicketError(_("The group already has a canned response with that title.")) from None
    return canned


@transaction.atomic
def do_delete_canned_response(canned: CannedResponse, *, acting_user: User) -> None:
    if not can_manage(acting_user, canned.group):
        raise PermissionDenied(_("Only the group's managers edit its canned responses."))
    canned.delete()


@dataclass(frozen=True)
class AgentSettings:
    """Personal settings (CORE-12): how the agent appears and when they hear of new tickets."""

    initials: str
    signature: str
    language: str
    time_zone: str
    notify_weekdays: dict[int, list[int]]  # group id → weekdays 0 (Monday) … 6 (Sunday)
    phone: str = ""  # E.164: the phone click-to-call rings (PHONE-05)


@transaction.atomic
def do_update_agent_settings(agent: User, *, settings: AgentSettings) -> AgentProfile:
    profile, _created = AgentProfile.objects.get_or_create(user=agent, defaults={"initials": settings.initials})
    profile.initials = settings.initials.strip().upper()
    profile.signature = settings.signature.strip()
    profile.language = settings.language
    profile.time_zone = settings.time_zone
    profile.phone = settings.phone
    profile.save()
    for membership in Membership.objects.filter(user=agent, group_id__in=settings.notify_weekdays):
        membership.notify_weekdays = sorted(set(settings.notify_weekdays[membership.group_id]))
        membership.save(update_fields=["notify_weekdays"])
    return profile


@dataclass(frozen=True)
class NewTicket:
    """A ticket an agent opens by hand: for the contact with this email or phone, or a new one."""

    first_name: str
    last_name: str
    email: str
    phone: str
    title: str
    source: TicketSource
    note: str


@transaction.atomic
def do_open_ticket_for_contact(group: Group, *, new: NewTicket, acting_user: User) -> Ticket:
    """ "Create new ticket": finds the contact by email, then phone, or creates them; refuses with
    OpenTicketExistsError (naming it) when they already have an open ticket in the group. The
    ticket is routed by the group's rule (ROUTE-01) like any other new ticket."""
    contact = (new.email and find_contact_by_point(ContactPoint.Kind.EMAIL, new.email.lower())) or (
        new.phone and find_contact_by_point(ContactPoint.Kind.PHONE, new.phone)
    )
    if not contact:
        contact = do_create_contact(
            kind=Contact.Kind.PERSON,
            first_name=new.first_name,
            last_name=new.last_name,
            emails=[new.email] if new.email else [],
            phones=[new.phone] if new.phone else [],
            acting_user=acting_user,
        )
    ticket = do_create_ticket(group, contact=contact, source=new.source, title=new.title, acting_user=acting_user)
    from switchboard.tickets.assignment import do_route_ticket  # the rules build on these actions

    if new.note.strip():
        do_add_note(ticket, body=new.note, acting_user=acting_user)
    ticket = do_route_ticket(ticket)
    messenger().notify_new_ticket(ticket, excerpt=new.note, acting_user=acting_user)
    return ticket


@transaction.atomic
def do_change_ticket_source(
    ticket: Ticket, *, source: TicketSource, acting_user: User | None, expected_version: int | None = None
) -> Ticket:
    """Correct where a ticket came from (CC-02)."""
    ticket = _lock(ticket, acting_user, expected_version=expected_version)
    return _save_changes(ticket, _apply(ticket, source=source), acting_user)


class BulkAction(models.TextChoices):
    SET_STATUS = "status", gettext_lazy("Set status")
    SET_OWNER = "owner", gettext_lazy("Set owner")
    MOVE = "move", gettext_lazy("Move to group")
    SET_SOURCE = "source", gettext_lazy("Change source")
    CLOSE = "close", gettext_lazy("Close")


@dataclass(frozen=True)
class BulkChange:
    """One change for every selected ticket (CORE-15); only the value its action needs is read."""

    action: BulkAction
    status: Status | None = None
    owner: User | None = None
    group: Group | None = None
    source: TicketSource | None = None


@transaction.atomic
def do_bulk_change_tickets(tickets: list[Ticket], *, change: BulkChange, acting_user: User) -> int:
    """Apply one change to every selected ticket, all or nothing: if one ticket refuses (another
    group's status, an open ticket in the target group…) nothing changes and the error names it."""
    for ticket in tickets:
        try:
            _apply_bulk_change(ticket, change, acting_user)
        except TicketError as error:
            raise TicketError(
                _("Nothing was changed. #%(number)s: %(reason)s") % {"number": ticket.number, "reason": error}
            ) from error
    return len(tickets)


def _apply_bulk_change(ticket: Ticket, change: BulkChange, acting_user: User) -> None:
    if change.action == BulkAction.SET_STATUS and change.status is not None:
        status = change.status
        if status.group_id != ticket.group_id:  # a status of the same kind in the ticket's own group
            status = ticket.group.statuses.filter(kind=status.kind).first() or status
        do_change_ticket_status(ticket, status=status, acting_user=acting_user)
    elif change.action == BulkAction.SET_OWNER:
        do_assign_ticket(ticket, owner=change.owner, acting_user=acting_user)
    elif change.action == BulkAction.MOVE and change.group is not None:
        do_move_ticket(ticket, group=change.group, reset_status_and_form=True, acting_user=acting_user)
    elif change.action == BulkAction.SET_SOURCE and change.source is not None:
        do_change_ticket_source(ticket, source=change.source, acting_user=acting_user)
    elif change.action == BulkAction.CLOSE:
        do_close_ticket(ticket, acting_user=acting_user)
    else:
        raise TicketError(_("Choose what to change."))


# What a group's managers set on its settings page; the name, address and statuses stay with
# the administrators.
GROUP_SETTINGS = [
    "signature",
    "reply_to_closed",
    "autoresponder",
    "resolution_notice",
    "plus_addressing",
    "assignment_rule",
    "assignment_limit",
    "reassign_unopened_minutes",
    "owner_on_open",
    "purge_photos_on_close",
    "retention_days",
]


@transaction.atomic
def do_update_group_settings(
    group: Group, *, values: dict[str, object], workflow_people: list[User], acting_user: User
) -> Group:
    """A manager changes how the group works: its mail, its assignment rule (ROUTE-01) and its
    tickets. Waiting tickets are assigned at once when the new rule gives them out."""
    if not can_manage(acting_user, group):
        raise PermissionDenied(_("Only the group's managers change its settings."))
    members = set(Membership.objects.filter(group=group).values_list("user_id", flat=True))
    if any(person.pk not in members for person in workflow_people):
        raise TicketError(_("The workflow's people must be members of the group."))
    for field in GROUP_SETTINGS:
        setattr(group, field, values[field])
    group.signature = group.signature.strip()
    group.save()
    group.workflow_people.set(workflow_people)
    group_id = group.pk
    transaction.on_commit(lambda: _assign_waiting_tickets(group_id))
    return group


def _assign_waiting_tickets(group_id: int) -> None:
    from switchboard.tickets import tasks  # the jobs import these actions

    tasks.assign_waiting_tickets(group_id)
