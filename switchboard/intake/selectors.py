"""Reads of the intake and outbound pipelines shared by pages and actions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from switchboard.contacts.models import Contact
from switchboard.intake.message_templates import default_wording
from switchboard.intake.models import MessageTemplate, TemplateKind
from switchboard.tickets.models import Activity, Group, Ticket
from switchboard.tickets.permissions import User, visible_tickets
from switchboard.tickets.selectors import CONVERSATION_KINDS


def _default(group: Group, kind: str) -> MessageTemplate:
    subject, body = default_wording(kind)
    return MessageTemplate(group=group, kind=kind, subject=subject, body=body)


def get_message_template(group: Group, kind: str) -> MessageTemplate:
    """The group's wording of ``kind`` (MAIL-08): its own, else the built-in one (not saved)."""
    return MessageTemplate.objects.filter(group=group, kind=kind).first() or _default(group, kind)


def list_message_templates(group: Group) -> list[MessageTemplate]:
    """Every kind of the group's mail, its own wording or the built-in one, in one query."""
    own = {template.kind: template for template in MessageTemplate.objects.filter(group=group)}
    return [own.get(kind) or _default(group, kind) for kind in TemplateKind]


def get_preview_ticket(group: Group, *, user: User) -> Ticket:
    """The ticket a template preview is filled in with: the group's latest one that a contact
    wrote to, else its latest one with a contact, else an example that is not saved; only of
    the tickets ``user`` may see."""
    with_contact = (
        visible_tickets(user).filter(group=group, contact__isnull=False).select_related("contact", "group", "owner")
    )
    written_to = Activity.objects.filter(ticket__in=with_contact, kind__in=CONVERSATION_KINDS).order_by("-id")
    latest = (
        with_contact.filter(pk__in=written_to.values("ticket_id")[:1]).first()
        or with_contact.order_by("-number").first()
    )
    if latest is not None:
        return latest
    contact = Contact(kind=Contact.Kind.PERSON, first_name="Maria", last_name="Nowak")
    return Ticket(number=1234, group=group, contact=contact, title=_("Food parcel for Saturday"))
