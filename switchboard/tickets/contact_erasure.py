"""Erasing a contact's personal data (CC-01, GDPR "right to erasure").

What goes: the names (the contact shows as "Erased contact #N"), every email and phone, every
consent record and the contact's own history. Its tickets stay, anonymised: the name, addresses
and numbers are replaced by a placeholder wherever they are written (titles, next actions,
excerpts, form data, every timeline entry's text, HTML, addresses and history, the search
index), and every file on them is deleted, since a file cannot be searched and scrubbed. On
tickets where the contact was only in copy, the same text is scrubbed and the copy removed.
What the layers above keep (the intake's raw messages and outbox) they erase on the
``contact_erasing`` signal, in this same transaction. An ``ErasureRecord`` says when, by whom
and how much, without any of the data.

Not recognised: inflected names ("Kowalskiego"), and mentions of the person on tickets that are
neither theirs nor copied to them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.contacts.models import Consent, Contact, ContactEvent, ContactPoint, ErasureRecord
from switchboard.contacts.scrub import Scrubber
from switchboard.contacts.search import reindex_contacts
from switchboard.contacts.signals import contact_erasing
from switchboard.tickets.actions import TicketError
from switchboard.tickets.files import delete_files
from switchboard.tickets.models import Activity, Attachment, FileFetch, SearchEntry, Ticket
from switchboard.tickets.permissions import can_manage_contact
from switchboard.tickets.realtime import publish_ticket_changed_on_commit
from switchboard.tickets.ticket_changes import id_of

BATCH = 500
_ACTIVITY_TEXT = ["body", "body_html", "from_address", "to_address", "offered_cc", "message_id"]


def placeholder() -> str:
    return _("[erased]")


def scrubber_for(contact: Contact, *, replacement: str | None = None) -> Scrubber:
    """What finds the contact's names, addresses and numbers in text, and puts ``replacement``
    (by default the erasure's placeholder) in their place."""
    points = list(ContactPoint.objects.filter(contact=contact).values_list("kind", "value"))
    names = [contact.first_name, contact.last_name, contact.company_name]
    full = f"{contact.first_name} {contact.last_name}".strip()
    return Scrubber(
        names=[*names, full, f"{contact.last_name} {contact.first_name}".strip()],
        emails=[value for kind, value in points if kind == ContactPoint.Kind.EMAIL],
        phones=[value for kind, value in points if kind == ContactPoint.Kind.PHONE],
        placeholder=placeholder() if replacement is None else replacement,
    )


def check_can_erase(user: User | None, contact: Contact) -> None:
    if contact.erased_at is not None:
        raise TicketError(_("This contact was already erased."))
    if contact.merged_into_id is not None:
        raise TicketError(_("This contact was merged into another one: erase that one."))
    if user is not None and not can_manage_contact(user, contact):
        raise PermissionDenied(
            _("Only administrators, and managers of every group the contact has tickets in, erase contacts.")
        )


@transaction.atomic
def do_erase_contact(contact: Contact, *, acting_user: User | None) -> ErasureRecord:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    check_can_erase(acting_user, contact)
    scrubber = scrubber_for(contact)
    addresses = list(ContactPoint.objects.filter(contact=contact).values_list("value", flat=True))
    own = list(Ticket.objects.filter(contact=contact).values_list("pk", flat=True))
    through = Ticket.cc_contacts.through
    copied = sorted(set(through.objects.filter(contact=contact).values_list("ticket_id", flat=True)) - set(own))
    tickets = own + copied
    counts: dict[str, int] = {"tickets": len(own), "tickets_in_copy": len(copied)}

    counts["ticket_texts"] = _scrub_tickets(tickets, scrubber)
    counts["timeline_entries"] = _scrub_activities(tickets, scrubber)
    SearchEntry.objects.filter(source=SearchEntry.Source.CONTACT, source_id=contact.pk).delete()
    _scrub_search(tickets, scrubber)
    attachments = Attachment.objects.filter(activity__ticket_id__in=own)
    names = [name for pair in attachments.values_list("file", "thumbnail") for name in pair if name]
    counts["files"] = attachments.count()
    attachments.delete()
    # A recording or photos still awaited from the provider are not fetched any more (their raw
    # messages, which the fetching jobs start from, go below).
    Activity.objects.filter(ticket_id__in=own, file_fetch=FileFetch.PENDING).update(file_fetch=FileFetch.NONE)
    transaction.on_commit(lambda: delete_files(names))
    through.objects.filter(contact=contact).delete()

    for _receiver, answer in contact_erasing.send(
        sender=Contact,
        contact=contact,
        ticket_ids=own,
        other_ticket_ids=copied,
        addresses=addresses,
        scrubber=scrubber,
    ):
        if isinstance(answer, dict):
            counts.update(answer)
    _scrub_admin_log(contact, scrubber)

    counts["emails_and_phones"] = ContactPoint.objects.filter(contact=contact).delete()[0]
    counts["consent_records"] = Consent.objects.filter(contact=contact).delete()[0]
    counts["history_entries"] = ContactEvent.objects.filter(contact=contact).delete()[0]
    contact.first_name = contact.last_name = contact.company_name = ""
    contact.has_appointment = False
    contact.erased_at = timezone.now()
    contact.save(
        update_fields=["first_name", "last_name", "company_name", "has_appointment", "erased_at", "updated_at"]
    )
    reindex_contacts([contact.pk])  # the words that found the contact go with the names
    ContactEvent.objects.create(
        contact=contact, kind=ContactEvent.Kind.ERASED, actor=acting_user, body=_("Personal data erased.")
    )
    for ticket in Ticket.objects.filter(pk__in=tickets).only("pk", "number", "group_id"):
        publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    return ErasureRecord.objects.create(contact_number=contact.pk, erased_by=acting_user, counts=counts)


def _batches(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _scrub_tickets(ticket_ids: list[int], scrubber: Scrubber) -> int:
    changed = 0
    for batch in _batches(ticket_ids):
        tickets = list(Ticket.objects.filter(pk__in=batch))
        for ticket in tickets:
            ticket.title = scrubber.text(ticket.title) or placeholder()
            ticket.next_action = scrubber.text(ticket.next_action)
            ticket.last_contact_excerpt = scrubber.text(ticket.last_contact_excerpt)
            ticket.form_data = scrubber.data(ticket.form_data)
            ticket.version += 1
        changed += Ticket.objects.bulk_update(
            tickets, ["title", "next_action", "last_contact_excerpt", "form_data", "version"]
        )
    return changed


def _scrub_activities(ticket_ids: list[int], scrubber: Scrubber) -> int:
    changed = 0
    for batch in _batches(ticket_ids):
        activities = Activity.objects.filter(ticket_id__in=batch).order_by("pk")
        pending: list[Activity] = []
        for activity in activities.iterator(chunk_size=BATCH):
            before = [getattr(activity, field) for field in _ACTIVITY_TEXT] + [activity.changes]
            for field in _ACTIVITY_TEXT:
                setattr(activity, field, scrubber.text(getattr(activity, field)))
            activity.changes = scrubber.data(activity.changes)
            if [getattr(activity, field) for field in _ACTIVITY_TEXT] + [activity.changes] != before:
                pending.append(activity)
        changed += Activity.objects.bulk_update(pending, [*_ACTIVITY_TEXT, "changes"], batch_size=BATCH)
    return changed


def _scrub_search(ticket_ids: list[int], scrubber: Scrubber) -> None:
    for batch in _batches(ticket_ids):
        changed = []
        for entry in SearchEntry.objects.filter(ticket_id__in=batch):
            text = scrubber.text(entry.text)
            if text != entry.text:
                entry.text = text
                changed.append(entry)
        SearchEntry.objects.bulk_update(changed, ["text"], batch_size=BATCH)


def _scrub_admin_log(contact: Contact, scrubber: Scrubber) -> None:
    """The admin's change list of the contact named it ("Maria Garcia" changed …)."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Contact), object_id=str(contact.pk)
    )
    for entry in entries:
        entry.object_repr = _("Erased contact #%(number)s") % {"number": contact.pk}
        entry.change_message = scrubber.text(entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])
