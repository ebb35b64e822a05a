"""Demo data of the categories (ROUTE-06): the food bank's groups get categories with their
agents, and a few tickets in them, open and resolved with the answer they got (what the ticket
page's "Similar" tab shows, AGENT-04). Loaded with the demo (`switchboard run`), once; a group
that already has categories (the web form's demo may make them) keeps its own."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from switchboard.contacts.actions import do_create_contact, do_set_contact_language
from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.selectors import find_contact_by_point
from switchboard.intake.inbound import Inbound, Person
from switchboard.tickets import search
from switchboard.tickets.actions import do_close_ticket, do_create_ticket
from switchboard.tickets.category_actions import do_add_category
from switchboard.tickets.demo import demo_group
from switchboard.tickets.demo_texts import CLIENTS, DONATIONS, VOLUNTEERS
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import Activity, ActivityKind, Category, Group, Membership, SearchEntry, TicketSource
from switchboard.tickets.selectors import list_group_members


@dataclass(frozen=True)
class Question:
    first: str
    last: str
    email: str
    subject: str
    text: str
    answer: str = ""  # answered and resolved; "" for a ticket still open


@dataclass(frozen=True)
class DemoCategory:
    group: str  # the group's role in the demo (demo_texts)
    name: str
    questions: list[Question]


CATEGORIES = {
    "en": [
        DemoCategory(
            CLIENTS,
            "Pantry",
            [
                Question(
                    "Rosa",
                    "Alvarez",
                    "rosa.alvarez@example.org",
                    "Is there rice this week?",
                    "Hello, is there rice in the pantry this week? I can come on Tuesday.",
                ),
                Question(
                    "Tom",
                    "Becker",
                    "tom.becker@mail.example",
                    "Rice and pasta",
                    "Do you have rice or pasta in the pantry? My family needs some for the weekend.",
                    "Hello Tom, rice and pasta arrive every Tuesday; collect them from 10 am at the side door. "
                    "Bring your client card.",
                ),
            ],
        ),
        DemoCategory(
            VOLUNTEERS,
            "Deliveries",
            [
                Question(
                    "Helen",
                    "Moss",
                    "helen.moss@example.org",
                    "My delivery did not come",
                    "My food delivery did not come today. I was at home all morning.",
                ),
                Question(
                    "Samuel",
                    "Reed",
                    "samuel.reed@example.org",
                    "Missed delivery",
                    "The delivery driver missed me today, can the delivery come again?",
                    "Hello Samuel, sorry we missed you. The driver comes again on Thursday between 9 and 12; "
                    "a neighbour can take the box for you.",
                ),
            ],
        ),
        DemoCategory(
            VOLUNTEERS,
            "Volunteering",
            [
                Question(
                    "Claire",
                    "Hughes",
                    "claire.hughes@example.org",
                    "Change my Saturday shift",
                    "Can I change my Saturday shift to Sunday? Something came up.",
                ),
                Question(
                    "Peter",
                    "Walsh",
                    "peter.walsh@example.org",
                    "Swap a shift",
                    "I cannot make my Saturday shift. Can I swap it with someone?",
                    "Hello Peter, yes: swap it with a colleague on the rota and tell us who takes it. "
                    "The rota is on the notice board and in the volunteers' group.",
                ),
            ],
        ),
        DemoCategory(DONATIONS, "Furniture", []),
    ],
    "pl": [
        DemoCategory(
            CLIENTS,
            "Spiżarnia",
            [
                Question(
                    "Róża",
                    "Wójcik",
                    "roza.wojcik@example.org",
                    "Czy jest ryż w tym tygodniu?",
                    "Dzień dobry, czy w spiżarni jest w tym tygodniu ryż? Mogę przyjść we wtorek.",
                ),
                Question(
                    "Tomasz",
                    "Bąk",
                    "tomasz.bak@example.org",
                    "Ryż i makaron",
                    "Czy macie w spiżarni ryż albo makaron? Rodzina potrzebuje na weekend.",
                    "Dzień dobry, ryż i makaron przychodzą w każdy wtorek; można je odebrać od 10:00 "
                    "przy bocznym wejściu. Proszę zabrać kartę podopiecznego.",
                ),
            ],
        ),
        DemoCategory(
            VOLUNTEERS,
            "Dostawy",
            [
                Question(
                    "Helena",
                    "Mazur",
                    "helena.mazur@example.org",
                    "Nie dotarła dostawa",
                    "Dzisiaj nie dotarła do mnie dostawa żywności. Byłam w domu całe rano.",
                ),
                Question(
                    "Samuel",
                    "Kaczmarek",
                    "samuel.kaczmarek@example.org",
                    "Nieudana dostawa",
                    "Kierowca dzisiaj mnie nie zastał, czy dostawa może przyjechać jeszcze raz?",
                    "Dzień dobry, przepraszamy. Kierowca przyjedzie ponownie w czwartek między 9 a 12; "
                    "paczkę może odebrać sąsiad.",
                ),
            ],
        ),
        DemoCategory(
            VOLUNTEERS,
            "Wolontariat",
            [
                Question(
                    "Klara",
                    "Zając",
                    "klara.zajac@example.org",
                    "Zmiana sobotniego dyżuru",
                    "Czy mogę zamienić sobotni dyżur na niedzielę? Coś mi wypadło.",
                ),
                Question(
                    "Piotr",
                    "Wrona",
                    "piotr.wrona@example.org",
                    "Zamiana dyżuru",
                    "Nie dam rady przyjść na sobotni dyżur. Czy mogę się z kimś zamienić?",
                    "Dzień dobry, tak: proszę zamienić się z kimś z grafiku i dać nam znać, kto przejmuje dyżur. "
                    "Grafik wisi na tablicy i jest w grupie wolontariuszy.",
                ),
            ],
        ),
        DemoCategory(DONATIONS, "Meble", []),
    ],
}


@transaction.atomic
def load_category_demo(language: str = "en") -> None:
    """The categories' part of the demo in ``language``; nothing if the demo is not loaded or
    this part is. A group without categories gets these, its agents taking them in turn (added
    by a manager of the group, or the administrator); a group with categories of its own keeps
    them, and the questions go to its category of the same name, if it has one."""
    items = CATEGORIES.get(language, [])
    first = next((question for item in items for question in item.questions), None)
    if first is None or find_contact_by_point(ContactPoint.Kind.EMAIL, first.email) is not None:
        return
    groups = {role: demo_group(role) for role in dict.fromkeys(item.group for item in items)}
    bare = {role for role, group in groups.items() if group is not None and not group.categories.exists()}
    for index, item in enumerate(items):
        group = groups[item.group]
        members = list(list_group_members(group)) if group is not None else []
        if group is None or not members:
            continue
        agent = members[index % len(members)]
        if item.group in bare:
            manager = (
                User.objects.filter(memberships__group=group, memberships__role=Membership.Role.MANAGER).first()
                or User.objects.filter(is_superuser=True).order_by("pk").first()
            )
            if manager is None:
                continue
            category = do_add_category(group, name=item.name, agents=[agent], acting_user=manager)
        elif (found := group.categories.filter(name=item.name).first()) is not None:
            category = found
        else:
            continue
        for question in item.questions:
            _demo_question(group, category, question, agent=agent, language=language)


def _demo_question(group: Group, category: Category, question: Question, *, agent: User, language: str) -> None:
    contact = do_create_contact(
        kind=Contact.Kind.PERSON,
        first_name=question.first,
        last_name=question.last,
        emails=[question.email],
        acting_user=None,
    )
    if language != "en":
        do_set_contact_language(contact, language=language, acting_user=None)
    ticket = do_create_ticket(
        group, contact=contact, source=TicketSource.WEB, acting_user=None, subject=question.subject, category=category
    )
    sender = Person(address=question.email, name=f"{question.first} {question.last}")
    do_add_inbound_message(ticket, inbound=Inbound(channel="web", sender=sender, text=question.text), cc=[])
    if question.answer:
        # An answer of the past, as sent then: on the timeline, not through today's outbox.
        answer = Activity.objects.create(
            ticket=ticket,
            kind=ActivityKind.EMAIL_OUT,
            actor=agent,
            body=question.answer,
            from_address=group.reply_address,
            to_address=question.email,
        )
        search.add_text(
            ticket_id=ticket.pk, source=SearchEntry.Source.ACTIVITY, source_id=answer.pk, text=question.answer
        )
        do_close_ticket(ticket, acting_user=agent)
