"""The customer portal's part of the demo (`switchboard run`): the contact of the demo's email
ticket about the volunteers' tour also has an earlier ticket with the donations team, answered
and resolved, so that their portal lists tickets of two groups, open and resolved."""

from __future__ import annotations

import html
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from switchboard.contacts.models import ContactPoint
from switchboard.intake.inbound import Inbound, Person
from switchboard.tickets.actions import do_close_ticket, do_create_ticket
from switchboard.tickets.demo import demo_group
from switchboard.tickets.demo_texts import DONATIONS
from switchboard.tickets.messages import do_add_inbound_message, do_reply_to_contact
from switchboard.tickets.models import Ticket, TicketSource


@dataclass(frozen=True)
class PortalDemo:
    last_name: str  # the demo contact's
    subject: str
    question: str
    answer: str


PORTAL_DEMOS = {
    "en": PortalDemo(
        "Shah",
        "Donating a laptop",
        "Hello, do you take an old laptop (5 years old, working) for the families you help?",
        "Thank you for thinking of us! Yes: bring it to the Monday drop-off, 10:00 to 14:00, with its charger. "
        "We wipe every disk before it is given on.",
    ),
    "pl": PortalDemo(
        "Krawczyk",
        "Laptop w darze",
        "Dzień dobry, czy przyjmują Państwo używanego laptopa (5 lat, sprawny) dla rodzin, którym pomagacie?",
        "Dziękujemy, że Pani o nas pomyślała! Tak: prosimy przynieść go w poniedziałek między 10:00 a 14:00, "
        "z zasilaczem. Każdy dysk czyścimy, zanim komputer trafi dalej.",
    ),
}


@transaction.atomic
def load_portal_demo(language: str = "en") -> None:
    texts = PORTAL_DEMOS[language]
    group = demo_group(DONATIONS)
    point = ContactPoint.objects.filter(kind=ContactPoint.Kind.EMAIL, contact__last_name=texts.last_name).first()
    agent = User.objects.filter(memberships__group=group).order_by("pk").first() if group else None
    if (
        group is None
        or point is None
        or agent is None
        or Ticket.objects.filter(contact_id=point.contact_id, group=group).exists()
    ):
        return
    ticket = do_create_ticket(
        group, contact=point.contact, source=TicketSource.WEB, acting_user=None, subject=texts.subject
    )
    inbound = Inbound(channel="web", sender=Person(address=point.value), text=texts.question)
    do_add_inbound_message(ticket, inbound=inbound, cc=[])
    do_reply_to_contact(
        ticket, to_address=point.value, body_html=f"<p>{html.escape(texts.answer)}</p>", acting_user=agent
    )
    do_close_ticket(ticket, acting_user=agent)
