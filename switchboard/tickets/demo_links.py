"""Demo data of linked tickets (CORE-17): one parent incident in the volunteers' group with the
three tickets of volunteers who asked about it, and one related ticket. Loaded with the demo
(`switchboard run`), once, in English or Polish."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import translation

from switchboard.contacts.actions import do_create_contact, do_set_contact_language
from switchboard.contacts.models import Contact
from switchboard.intake.inbound import Inbound, Person
from switchboard.tickets.actions import do_add_note, do_create_ticket
from switchboard.tickets.demo import demo_group
from switchboard.tickets.demo_texts import VOLUNTEERS
from switchboard.tickets.links import do_link_tickets, do_link_to_parent
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import Group, Ticket, TicketLink, TicketSource


@dataclass(frozen=True)
class Asker:
    first: str
    last: str
    email: str
    subject: str
    text: str


@dataclass(frozen=True)
class Incident:
    title: str
    note: str
    askers: list[Asker]
    related_title: str


INCIDENTS = {
    "en": Incident(
        title="Warehouse without power: Saturday's sorting shift cancelled",
        note="The power company expects the supply back on Monday. Tell the volunteers of "
        "Saturday's shift, and offer them next week's.",
        askers=[
            Asker(
                "Olivia",
                "Hartley",
                "olivia.hartley@example.org",
                "Is Saturday's shift on?",
                "I heard the warehouse is closed. Should I still come on Saturday?",
            ),
            Asker(
                "Liam",
                "Wilson",
                "liam.wilson@example.org",
                "Sorting shift this Saturday",
                "Hello, is the sorting shift this Saturday going ahead? I'd bring my son.",
            ),
            Asker(
                "Emma",
                "Davies",
                "emma.davies@example.org",
                "Warehouse closed?",
                "The gate was locked this morning. Is anything changing for the weekend?",
            ),
        ],
        related_title="Generator hire for the cold store",
    ),
    "pl": Incident(
        title="Magazyn bez prądu: sobotnia zmiana sortowania odwołana",
        note="Zakład energetyczny przywróci zasilanie w poniedziałek. Powiadomcie wolontariuszy "
        "sobotniej zmiany i zaproponujcie im zmianę w przyszłym tygodniu.",
        askers=[
            Asker(
                "Oliwia",
                "Brzozowska",
                "oliwia.brzozowska@example.org",
                "Czy sobotnia zmiana się odbędzie?",
                "Słyszałam, że magazyn jest zamknięty. Czy mam przyjść w sobotę?",
            ),
            Asker(
                "Szymon",
                "Wilk",
                "szymon.wilk@example.org",
                "Sortowanie w tę sobotę",
                "Dzień dobry, czy sortowanie w tę sobotę się odbędzie? Przyszedłbym z synem.",
            ),
            Asker(
                "Ewa",
                "Dąbrowska",
                "ewa.dabrowska@example.org",
                "Magazyn zamknięty?",
                "Rano brama była zamknięta. Czy coś się zmienia na weekend?",
            ),
        ],
        related_title="Wynajem agregatu dla chłodni",
    ),
}


def _asker_ticket(asker: Asker, *, group: Group, language: str) -> Ticket:
    contact = do_create_contact(
        kind=Contact.Kind.PERSON, first_name=asker.first, last_name=asker.last, emails=[asker.email], acting_user=None
    )
    if language != "en":
        do_set_contact_language(contact, language=language, acting_user=None)
    ticket = do_create_ticket(
        group, contact=contact, source=TicketSource.EMAIL, acting_user=None, subject=asker.subject
    )
    sender = Person(address=asker.email, name=f"{asker.first} {asker.last}")
    do_add_inbound_message(ticket, inbound=Inbound(channel="email", sender=sender, text=asker.text), cc=[])
    return ticket


@transaction.atomic
def load_links_demo(language: str = "en") -> None:
    """The linked tickets of the demo in ``language``; nothing if the demo is not loaded or has
    them already."""
    group = demo_group(VOLUNTEERS)
    admin = User.objects.filter(username="admin").first()
    if group is None or admin is None or TicketLink.objects.exists():
        return
    incident = INCIDENTS[language]
    with translation.override(language):  # what the history records in words, in the demo's language
        _load(incident, group=group, admin=admin, language=language)


def _load(incident: Incident, *, group: Group, admin: User, language: str) -> None:
    parent = do_create_ticket(group, contact=None, source=TicketSource.PHONE, acting_user=admin, title=incident.title)
    do_add_note(parent, body=incident.note, acting_user=admin)
    for asker in incident.askers:
        do_link_to_parent(_asker_ticket(asker, group=group, language=language), parent=parent, acting_user=admin)
    related = do_create_ticket(
        group, contact=None, source=TicketSource.PHONE, acting_user=admin, title=incident.related_title
    )
    do_link_tickets(parent, other=related, acting_user=admin)
