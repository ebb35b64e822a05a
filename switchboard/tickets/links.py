"""Linked tickets and parent incidents (CORE-17): link and unlink, send the parent's update to
the contacts of its children, close the parent with its children."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from switchboard.contacts.selectors import primary_email_of
from switchboard.tickets.actions import TicketError, do_add_note, do_close_ticket
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import ActivityKind, Status, Ticket, TicketLink
from switchboard.tickets.permissions import can_see_ticket, ensure_can_work_on, visible_tickets
from switchboard.tickets.realtime import publish_ticket_changed_on_commit
from switchboard.tickets.ticket_changes import id_of, record_activity

Kind = TicketLink.Kind


def find_ticket_to_link(user: User, number: int | None) -> Ticket:
    """The ticket of one of the agent's groups with that number, or a clear refusal."""
    ticket = visible_tickets(user).filter(number=number).select_related("group").first() if number else None
    if ticket is None:
        raise TicketError(_("No ticket #%(number)s in your groups.") % {"number": number or ""})
    return ticket


def label_of(ticket: Ticket) -> str:
    """How a linked ticket is named in history: its number and title as they were."""
    return f"#{ticket.number} {ticket.title}"


@dataclass(frozen=True)
class TicketLinks:
    """What the ticket page shows of a ticket's links, read in one query."""

    related: list[Ticket] = field(default_factory=list)
    parent: Ticket | None = None
    children: list[Ticket] = field(default_factory=list)

    @property
    def open_children(self) -> list[Ticket]:
        return [child for child in self.children if child.is_open]


def get_ticket_links(ticket: Ticket) -> TicketLinks:
    links = (
        TicketLink.objects.filter(Q(source=ticket) | Q(target=ticket))
        .select_related("source__status", "target__status")
        .order_by("id")
    )
    related, children, parent = [], [], None
    for link in links:
        other = link.target if link.source_id == ticket.pk else link.source
        if link.kind == Kind.RELATED:
            related.append(other)
        elif link.source_id == ticket.pk:
            children.append(other)
        else:
            parent = other
    number = attrgetter("number")
    return TicketLinks(related=sorted(related, key=number), parent=parent, children=sorted(children, key=number))


def list_children(parent: Ticket) -> QuerySet[Ticket]:
    return Ticket.objects.filter(links_in__source=parent, links_in__kind=Kind.PARENT).order_by("number")


def _lock_both(first: Ticket, second: Ticket, acting_user: User | None) -> tuple[Ticket, Ticket]:
    """Both rows locked in one query (in id order, so two linkings never wait on each other),
    after checking the agent works on both."""
    if first.pk == second.pk:
        raise TicketError(_("A ticket cannot be linked to itself."))
    rows = {
        t.pk: t
        for t in Ticket.objects.select_for_update(of=("self",)).filter(pk__in=[first.pk, second.pk]).order_by("pk")
    }
    for row in rows.values():
        ensure_can_work_on(acting_user, row)
    return rows[first.pk], rows[second.pk]


def _record_link(ticket: Ticket, field_name: str, *, old: str, new: str, acting_user: User | None) -> None:
    record_activity(ticket, ActivityKind.CHANGED, acting_user, changes=[{"field": field_name, "old": old, "new": new}])
    ticket.version += 1
    ticket.save(update_fields=["version", "updated_at"])
    publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))


def _linked(first: Ticket, second: Ticket) -> QuerySet[TicketLink]:
    return TicketLink.objects.filter(Q(source=first, target=second) | Q(source=second, target=first))


@transaction.atomic
def do_link_tickets(ticket: Ticket, *, other: Ticket, acting_user: User | None) -> TicketLink:
    """Link two related tickets: both pages show it, both histories record it."""
    ticket, other = _lock_both(ticket, other, acting_user)
    if _linked(ticket, other).exists():
        raise TicketError(_("#%(number)s is already linked to this ticket.") % {"number": other.number})
    low, high = sorted([ticket, other], key=lambda t: t.pk)
    link = TicketLink.objects.create(kind=Kind.RELATED, source=low, target=high, created_by=acting_user)
    _record_link(ticket, "linked_ticket", old="", new=label_of(other), acting_user=acting_user)
    _record_link(other, "linked_ticket", old="", new=label_of(ticket), acting_user=acting_user)
    return link


@transaction.atomic
def do_unlink_tickets(ticket: Ticket, *, other: Ticket, acting_user: User | None) -> None:
    """Take a link away, whichever kind: both histories record it."""
    ticket, other = _lock_both(ticket, other, acting_user)
    link = _linked(ticket, other).first()
    if link is None:
        raise TicketError(_("#%(number)s is not linked to this ticket.") % {"number": other.number})
    link.delete()
    if link.kind == Kind.RELATED:
        _record_link(ticket, "linked_ticket", old=label_of(other), new="", acting_user=acting_user)
        _record_link(other, "linked_ticket", old=label_of(ticket), new="", acting_user=acting_user)
        return
    parent, child = (ticket, other) if link.source_id == ticket.pk else (other, ticket)
    _record_link(parent, "child_ticket", old=label_of(child), new="", acting_user=acting_user)
    _record_link(child, "parent_incident", old=label_of(parent), new="", acting_user=acting_user)


@transaction.atomic
def do_link_to_parent(child: Ticket, *, parent: Ticket, acting_user: User | None) -> TicketLink:
    """Make ``parent`` the parent incident of ``child``. A child has one parent; a parent is no
    one's child and a child no one's parent, so there are no cycles. Both rows are locked first,
    so two agents linking at once cannot get round these rules."""
    parent, child = _lock_both(parent, child, acting_user)
    if _linked(parent, child).exists():
        raise TicketError(_("#%(number)s is already linked to this ticket.") % {"number": child.number})
    parent_links = TicketLink.objects.filter(kind=Kind.PARENT).filter(
        Q(target=child) | Q(source=child) | Q(target=parent)
    )
    for link in parent_links:
        if link.target_id == child.pk:
            raise TicketError(
                _("#%(number)s already has a parent incident, #%(parent)s.")
                % {"number": child.number, "parent": link.source.number}
            )
        if link.source_id == child.pk:
            raise TicketError(
                _("#%(number)s is itself a parent incident; it cannot be linked to another.") % {"number": child.number}
            )
        raise TicketError(
            _("#%(number)s is linked to a parent incident; it cannot be a parent itself.") % {"number": parent.number}
        )
    link = TicketLink.objects.create(kind=Kind.PARENT, source=parent, target=child, created_by=acting_user)
    _record_link(parent, "child_ticket", old="", new=label_of(child), acting_user=acting_user)
    _record_link(child, "parent_incident", old="", new=label_of(parent), acting_user=acting_user)
    return link


@dataclass
class IncidentUpdate:
    """What sending the parent's update did: the children it went to, and those skipped and why."""

    sent: list[Ticket] = field(default_factory=list)
    skipped: list[tuple[Ticket, str]] = field(default_factory=list)

    def summary(self) -> str:
        sent = _("Sent to %(count)s ticket(s).") % {"count": len(self.sent)}
        if not self.skipped:
            return sent
        reasons = "; ".join(f"#{ticket.number}: {reason}" for ticket, reason in self.skipped)
        return _("Sent to %(count)s ticket(s), %(skipped)s skipped: %(reasons)s") % {
            "count": len(self.sent),
            "skipped": len(self.skipped),
            "reasons": reasons,
        }


@transaction.atomic
def do_send_incident_update(parent: Ticket, *, body_html: str, acting_user: User) -> IncidentUpdate:
    """The parent's update to the contact of every child: each child's own reply (the group's
    template, greeting and sign-off, to the contact's primary email), on each child's timeline.
    Children without an address, closed or in a group the agent does not work in are skipped and
    named; the parent's history keeps the summary."""
    ensure_can_work_on(acting_user, parent)
    result = IncidentUpdate()
    for child in list_children(parent).select_related("group", "contact"):
        if not can_see_ticket(acting_user, child):
            result.skipped.append((child, _("not in your groups")))
        elif not child.is_open:
            result.skipped.append((child, _("closed")))
        elif not (address := primary_email_of(child.contact)):
            result.skipped.append((child, _("no email address")))
        else:
            do_reply_to_contact(child, to_address=address, body_html=body_html, acting_user=acting_user)
            result.sent.append(child)
    if not result.sent:
        raise TicketError(_("Nothing was sent. %(summary)s") % {"summary": result.summary()})
    summary = _("Update sent to the linked tickets. %(summary)s") % {"summary": result.summary()}
    do_add_note(parent, body=summary, acting_user=acting_user)
    return result


@transaction.atomic
def do_close_with_children(parent: Ticket, *, acting_user: User, status: Status | None = None) -> int:
    """Close a ticket and, if it is a parent incident, its open children, all or nothing; each
    child's history says it was closed with its parent. Returns how many children were closed."""
    do_close_ticket(parent, status=status, acting_user=acting_user)
    children = list(list_children(parent).filter(closed_at__isnull=True))
    why = _("Closed with its parent incident #%(number)s.") % {"number": parent.number}
    for child in children:
        try:
            do_close_ticket(child, acting_user=acting_user, why=why)
        except (TicketError, PermissionDenied) as error:
            raise TicketError(
                _("Nothing was closed. #%(number)s: %(reason)s")
                % {"number": child.number, "reason": str(error) or _("not in your groups")}
            ) from error
    return len(children)
