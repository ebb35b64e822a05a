"""Merging two contacts into one (CC-01).

Everything of the merged contact moves to the kept one: emails and phones, consents with their
history, the contact's own history, its tickets and the tickets it is in copy on. Where both have
an open ticket in the same group (one open ticket per contact and group, CORE-03), the merged
contact's ticket is merged into the kept contact's (``do_merge_tickets``), and only after the
person merging saw that pair on the confirmation page: the action refuses when the pairs it would
merge are not exactly the ones confirmed. The merged contact stays as an empty row that points to
the kept one, so that links to it still lead somewhere.

It lives with the tickets, not the contacts, because it moves tickets (contacts never import
tickets).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.contacts.models import Consent, Contact, ContactEvent, ContactPoint
from switchboard.contacts.search import reindex_contacts
from switchboard.tickets.actions import TicketError, do_merge_tickets
from switchboard.tickets.models import Activity, ActivityKind, SearchEntry, Ticket
from switchboard.tickets.permissions import can_manage_contact
from switchboard.tickets.realtime import publish_ticket_changed_on_commit
from switchboard.tickets.ticket_changes import id_of


class ContactMergeError(TicketError):
    """A merge that cannot be done as asked; the message is for the person merging."""


@dataclass(frozen=True)
class TicketConflict:
    """Both contacts have an open ticket in this group: ``ticket`` (the merged contact's) will be
    merged into ``into``."""

    ticket: Ticket
    into: Ticket


def list_merge_conflicts(contact: Contact, *, into: Contact) -> list[TicketConflict]:
    """The open tickets of ``contact`` that will be merged into ``into``'s open ticket of the same group."""
    theirs = {
        ticket.group_id: ticket
        for ticket in Ticket.objects.filter(contact=into, closed_at__isnull=True).select_related("group", "status")
    }
    mine = Ticket.objects.filter(contact=contact, closed_at__isnull=True, group_id__in=list(theirs))
    return [
        TicketConflict(ticket, theirs[ticket.group_id])
        for ticket in mine.select_related("group", "status").order_by("number")
    ]


def conflict_pairs(conflicts: list[TicketConflict]) -> list[tuple[int, int]]:
    """The pairs of ticket numbers as the confirmation page shows and sends them."""
    return [(conflict.ticket.number, conflict.into.number) for conflict in conflicts]


def check_can_merge(user: User | None, contact: Contact, into: Contact) -> None:
    if contact.pk == into.pk:
        raise ContactMergeError(_("A contact cannot be merged with itself."))
    for one in (contact, into):
        if one.merged_into_id is not None:
            raise ContactMergeError(_("Contact #%(number)s was already merged into another one.") % {"number": one.pk})
        if one.erased_at is not None:
            raise ContactMergeError(_("An erased contact cannot be merged."))
    if contact.kind != into.kind:
        raise ContactMergeError(_("A person and a company cannot be merged."))
    if user is not None and not (can_manage_contact(user, contact) and can_manage_contact(user, into)):
        raise PermissionDenied(
            _("Only administrators, and managers of every group the contacts have tickets in, merge contacts.")
        )


@transaction.atomic
def do_merge_contacts(
    contact: Contact, *, into: Contact, confirmed: list[tuple[int, int]], acting_user: User | None
) -> Contact:
    """Merge ``contact`` into ``into`` and return ``into``. ``confirmed``: the (ticket, into
    ticket) number pairs the person saw on the confirmation page."""
    first, second = sorted([contact.pk, into.pk])
    locked = {c.pk: c for c in Contact.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
    if len(locked) != 2:  # noqa: PLR2004
        raise ContactMergeError(_("One of the contacts no longer exists."))
    contact, into = locked[contact.pk], locked[into.pk]
    check_can_merge(acting_user, contact, into)
    conflicts = list_merge_conflicts(contact, into=into)
    if sorted(conflict_pairs(conflicts)) != sorted(confirmed):
        raise ContactMergeError(
            _(
                "The contacts' open tickets changed since you looked. "
                "Check which tickets will be merged, then confirm again."
            )
        )
    for conflict in conflicts:
        do_merge_tickets(conflict.ticket, into=conflict.into, acting_user=acting_user)

    old_name, new_name = contact.display_name, into.display_name
    tickets = list(Ticket.objects.filter(contact=contact).only("pk", "number"))
    Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(
        contact=into, version=F("version") + 1, updated_at=timezone.now()
    )
    Activity.objects.bulk_create(
        Activity(
            ticket=ticket,
            kind=ActivityKind.CHANGED,
            actor=acting_user,
            changes=[{"field": "contact", "old": old_name, "new": new_name}],
        )
        for ticket in tickets
    )
    SearchEntry.objects.filter(source=SearchEntry.Source.CONTACT, source_id=contact.pk).update(
        source_id=into.pk, text=new_name
    )
    in_copy = _move_copies(contact, into)
    kinds_with_primary = set(ContactPoint.objects.filter(contact=into, is_primary=True).values_list("kind", flat=True))
    points = ContactPoint.objects.filter(contact=contact)
    points.filter(kind__in=kinds_with_primary).update(is_primary=False)
    moved_points = points.update(contact=into)
    moved_consents = Consent.objects.filter(contact=contact).update(contact=into)
    ContactEvent.objects.filter(contact=contact).update(contact=into)
    Contact.objects.filter(merged_into=contact).update(merged_into=into)
    if not into.language and contact.language:
        into.language = contact.language
    into.has_appointment = into.has_appointment or contact.has_appointment
    into.save(update_fields=["language", "has_appointment", "updated_at"])
    contact.merged_into = into
    contact.first_name = contact.last_name = contact.company_name = ""
    contact.save(update_fields=["merged_into", "first_name", "last_name", "company_name", "updated_at"])
    reindex_contacts([into.pk, contact.pk])  # the moved points (a bulk update) find the kept contact
    ContactEvent.objects.create(
        contact=into,
        kind=ContactEvent.Kind.MERGED,
        actor=acting_user,
        body=_merge_summary(contact.pk, old_name, len(tickets), in_copy, moved_points, moved_consents, conflicts),
    )
    for ticket in tickets:
        publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    return into


def _move_copies(contact: Contact, into: Contact) -> int:
    """The tickets ``contact`` is in copy on get ``into`` in copy instead (unless ``into`` is
    already there or is the ticket's contact)."""
    through = Ticket.cc_contacts.through
    rows = through.objects.filter(contact=contact)
    count = rows.count()
    taken = through.objects.filter(contact=into).values("ticket_id")
    own = Ticket.objects.filter(contact=into).values("pk")
    rows.filter(ticket_id__in=taken).delete()
    rows.filter(ticket_id__in=own).delete()
    rows.update(contact=into)
    return count


def _merge_summary(
    number: int, name: str, tickets: int, in_copy: int, points: int, consents: int, conflicts: list[TicketConflict]
) -> str:
    text = _(
        "Contact #%(number)s (%(name)s) merged into this one: %(tickets)s tickets, %(copies)s tickets in copy, "
        "%(points)s emails and phones and %(consents)s consent records moved."
    ) % {"number": number, "name": name, "tickets": tickets, "copies": in_copy, "points": points, "consents": consents}
    for conflict in conflicts:
        text += " " + _("Ticket #%(ticket)s merged into #%(into)s.") % {
            "ticket": conflict.ticket.number,
            "into": conflict.into.number,
        }
    return text
