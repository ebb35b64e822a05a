"""Demo entries of the agents' contact book (AGENT-03), in English and Polish: the people the demo's
agents need to reach (a supplier, a partner, a colleague elsewhere), some private to Anna, some
shared with a group. Loaded with the demo (`switchboard run`), once."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from switchboard.tickets.contact_book import do_save_book_entry
from switchboard.tickets.demo import demo_group
from switchboard.tickets.demo_texts import CLIENTS, DONATIONS, VOLUNTEERS
from switchboard.tickets.models import BookEntry


@dataclass(frozen=True)
class DemoEntry:
    owner: str  # username; "geoff" stands for the Polish demo's "grzegorz"
    group: str | None  # the group's role in the demo; None: private to the owner
    name: str
    organisation: str = ""
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    notes: str = ""


ENTRIES = {
    "en": [
        DemoEntry(
            "anna",
            None,
            "Tom Becker",
            "Becker Plumbing",
            ("+1 202 555 0147",),
            ("tom@becker-plumbing.example",),
            "Fixed the warehouse sink. Call before 9 am.",
        ),
        DemoEntry(
            "anna",
            None,
            "Dr. Helen Ortiz",
            "City volunteer centre",
            ("+1 202 555 0163",),
            ("h.ortiz@volunteers-city.example",),
        ),
        DemoEntry(
            "geoff",
            VOLUNTEERS,
            "Sarah Kim",
            "Riverside Food Bank",
            ("+1 202 555 0110", "+1 202 555 0111"),
            ("sarah.kim@riverside-foodbank.example", "warehouse@riverside-foodbank.example"),
            "Partner food bank: takes over our volunteers when we are full.",
        ),
        DemoEntry(
            "anna",
            DONATIONS,
            "FreshCo deliveries",
            "FreshCo Wholesale",
            ("+1 202 555 0188",),
            ("orders@freshco.example",),
            "Supplier of the weekly vegetables; the order closes on Wednesday at noon.",
        ),
        DemoEntry(
            "bartek",
            CLIENTS,
            "Social services duty desk",
            "City social services",
            ("+1 202 555 0199",),
            ("duty@social-services.example",),
        ),
    ],
    "pl": [
        DemoEntry(
            "anna",
            None,
            "Tomasz Bednarek",
            "Hydraulika Bednarek",
            ("+48 601 555 147",),
            ("tomasz@hydraulika-bednarek.example",),
            "Naprawiał zlew w magazynie. Dzwonić przed 9:00.",
        ),
        DemoEntry(
            "anna",
            None,
            "dr Halina Ostrowska",
            "Miejskie Centrum Wolontariatu",
            ("+48 22 555 01 63",),
            ("h.ostrowska@wolontariat-miasto.example",),
        ),
        DemoEntry(
            "geoff",
            VOLUNTEERS,
            "Zofia Wójcik",
            "Bank Żywności Nadwiślański",
            ("+48 22 555 01 10", "+48 601 555 111"),
            ("zofia.wojcik@bank-zywnosci.example", "magazyn@bank-zywnosci.example"),
            "Partnerski bank żywności: przejmuje naszych wolontariuszy, gdy mamy komplet.",
        ),
        DemoEntry(
            "anna",
            DONATIONS,
            "Dostawy Świeżak",
            "Świeżak Hurtownia",
            ("+48 22 555 01 88",),
            ("zamowienia@swiezak.example",),
            "Dostawca warzyw co tydzień; zamówienia do środy do południa.",
        ),
        DemoEntry(
            "bartek",
            CLIENTS,
            "Dyżur pomocy społecznej",
            "Miejski Ośrodek Pomocy Społecznej",
            ("+48 22 555 01 99",),
            ("dyzur@mops.example",),
        ),
    ],
}


@transaction.atomic
def load_book_demo(language: str = "en") -> None:
    """The contact book of the demo in ``language``; nothing if the demo is not loaded or has it already."""
    if BookEntry.objects.exists():
        return
    for demo in ENTRIES[language]:
        username = "grzegorz" if demo.owner == "geoff" and language == "pl" else demo.owner
        owner = User.objects.filter(username=username).first()
        group = demo_group(demo.group) if demo.group else None
        if owner is None or (demo.group and group is None):
            continue
        do_save_book_entry(
            acting_user=owner,
            name=demo.name,
            organisation=demo.organisation,
            phones=demo.phones,
            emails=demo.emails,
            notes=demo.notes,
            group=group,
        )
