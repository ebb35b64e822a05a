"""``manage.py seed_bench`` (``switchboard seed-bench``): realistic benchmark data, fast (bench/README.md).

Groups come from ``do_create_group``, so they get their statuses; the rest is written in batches, one
transaction each, as the actions would leave it: numbers from the ``ticket`` counter, one open ticket
per contact and group, closed tickets in a closed status with ``closed_at``, a history activity for
every status change, search entries for titles, contact names and message bodies, contacts with the
words that find them (contacts/search.py; ``--contacts`` more than the tickets' adds contacts without
tickets, as an outbound campaign's list has them). Tickets, activities
and search entries (nine rows in ten) skip ``bulk_create``, which spends most of its time compiling
SQL: they go in with ``executemany`` (SQLite) or COPY (PostgreSQL, where contacts and the rest do too,
their ids taken from the sequences first) and an INSERT … SELECT. On PostgreSQL, when the seed more than
doubles the tickets, the text indexes are built once after the rows (``--tickets 1000000``, bench/README.md).
The command adds to what the database holds: names, usernames, emails and phone numbers that are taken get another form.
"""

from __future__ import annotations

import contextlib
import functools
import json
import random
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.db.models import DateTimeField, JSONField, Value
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.search import search_text_of
from switchboard.tickets.actions import default_title, do_create_group
from switchboard.tickets.models import (
    Activity,
    ActivityKind,
    AgentProfile,
    Group,
    Membership,
    SearchEntry,
    Status,
    StatusKind,
    Ticket,
    TicketSource,
)
from switchboard.tickets.numbers import take_ticket_numbers

TICKETS_PER_BATCH, CONTACTS_PER_BATCH = 5_000, 10_000
HISTORY = ActivityKind.history_kinds()
FROM_CONTACT = {ActivityKind.EMAIL_IN, ActivityKind.CALL_IN, ActivityKind.VOICEMAIL, ActivityKind.SMS_IN}
OPEN_KINDS = [kind for kind in StatusKind if kind not in StatusKind.closed_kinds() and kind != StatusKind.NEW]
CLOSED_KINDS, CLOSED_WEIGHTS = [StatusKind.CLOSED, StatusKind.CLOSED_SUCCESS, StatusKind.SUCCESS_CANCELLED], [5, 3, 2]
SOURCES, SOURCE_WEIGHTS = list(TicketSource), [2, 25, 40, 8, 15, 7, 3]  # outbound phone email chat web sms agent
FIRST_MESSAGE = dict(
    zip(SOURCES, map(ActivityKind, "call_out call_in email_in chat email_in sms_in note".split()), strict=True)
)
LATER_KINDS = list(
    map(ActivityKind, "email_out email_in note changed call_out call_in sms_out sms_in voicemail".split())
)
LATER_WEIGHTS = [25, 20, 20, 15, 8, 5, 3, 2, 2]
ROLES = [Membership.Role.AGENT] * 6 + [Membership.Role.HOME_AGENT] * 3 + [Membership.Role.MANAGER]


def phrases(text: str) -> list[str]:
    """The "|"-separated phrases of ``text``, each on one line."""
    return [" ".join(phrase.split()) for phrase in text.split("|")]


TEAMS = phrases("""Customer Care|Billing|Technical Support|Donations|Returns|Deliveries|Volunteers|Complaints|Sales|
Accounts|Membership|Warranty|Events|Partnerships|Fundraising|IT Helpdesk|Facilities|Onboarding|Press|Bookings""")
FIRST_NAMES = """Maria John Ewa Tom Lena Omar Sara Piotr Grace Hugo Ines Jan Anna Michael Laura David Sofia James Emma
Lucas Olivia Noah Amelia Ethan Chloe Daniel Zofia Mateusz Agnieszka Krzysztof Katarzyna Tomasz Fatima Ahmed Chen Wei
Aisha Carlos Lucía José Renée Zoë Björn Jürgen Kenji Yuki Priya Arjun Olga Ivan Nina Paolo Giulia Marco Sean Niamh
Liam Chiara Mohammed Hannah Peter Claire Robert Helen Samuel Ruth""".split()
LAST_NAMES = """Garcia Miller Zielińska Becker Fischer Haddad Lind Wiśniewski Okafor Martin Costa Kowalczyk Smith Jones
Brown Taylor Wilson Davies Evans Thomas Johnson Roberts Walker Wright Nowak Wójcik Kamińska Lewandowski Müller Schmidt
Schneider Weber Dubois Moreau Lefèvre Rossi Russo Ferrari Esposito Silva Santos Pereira Kim Lee Park Nguyen Tran Patel
Shah Khan Ali Hassan Ivanova Petrov Novak Horvat Jensen Hansen Larsen O'Brien Murphy Kelly Byrne Walsh Cohen Levi
Tanaka Sato Suzuki Mensah Adeyemi Mwangi""".split()
COMPANY_WORDS = "Riverside Northgate Oak Lakeview Summit Harbour Greenfield Maple Pioneer Cedar Union Bright".split()
COMPANY_KINDS = phrases("Bakery|Logistics|Dental Clinic|Builders|Foods|Consulting|Printing|Pharmacy|Motors|Books")
MAIL_DOMAINS = "example.com example.org example.net mail.example post.example inbox.example".split()
PHONE_FORMS = [("+1", 10), ("+447", 9), ("+48", 9), ("+4915", 9), ("+336", 8)]  # prefix, random digits after it
TOPICS = phrases("""my order from last week|the invoice I received|a refund|the delivery on Friday|my account password|
the appointment on Tuesday|a damaged parcel|the volunteer training|a donation pick-up|my membership renewal|
the opening hours|a missing item|changing my address|the warranty repair|a booking for next month|the direct debit|
my food parcel|the event tickets|a broken login link|the letter you sent me""")
SUBJECTS = ["Question about {}", "Problem with {}", "Help with {}", "Re: {}", "Urgent: {}"]
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday".split()
ASKS = phrases("""Could you tell me what happens next?|Can someone call me back this week?|Is there any update on this?|
What do I need to do now?|Please let me know if you need anything else from me.|Could you confirm you got this?""")
DETAILS = phrases("""I tried to call but the line was busy.|My reference number is on the letter.|This is the second
time I am writing about it.|I am at home most mornings.|A neighbour can sign for it if I am out.|I attached a photo.|
Nothing has happened since we last spoke.|It is quite urgent for me.""")
ANSWERS = phrases("""We have passed this on to the right team.|Everything is booked as you asked.|We are sorry for the
delay.|The refund was sent today and should arrive within five working days.|We need one more detail before we can go
ahead.|A colleague will contact you shortly.""")
OUTCOMES = phrases("""Agreed to call back on Thursday.|Sent the details by email.|Waiting for the warehouse to confirm.|
Asked for a photo of the label.|Explained the next steps; no further questions.|Booked for Monday morning.""")
PHRASES = {"day": DAYS, "ask": ASKS, "detail": DETAILS, "answer": ANSWERS, "outcome": OUTCOMES}
BODIES: dict[str, list[str]] = {
    ActivityKind.EMAIL_IN: [
        "Hello,\n\nI am writing about {topic}. {detail} {ask}\n\nThanks,\n{name}",
        "Hi,\n\n{ask} It is about {topic}. {detail}\n\n{name}",
    ],
    ActivityKind.EMAIL_OUT: [
        "Hello {name},\n\nthank you for your message about {topic}. {answer} {outcome}\n\nKind regards,\n{agent}",
        "Dear {name}, {answer} Best wishes, {agent}",
    ],
    ActivityKind.NOTE: ["Spoke to {name} about {topic}. {outcome}", "{outcome} {detail}"],
    ActivityKind.CALL_IN: ["{name} called about {topic}. {outcome}"],
    ActivityKind.CALL_OUT: ["Called {name} about {topic}. {outcome}", "No answer; left a message about {topic}."],
    ActivityKind.VOICEMAIL: ["Hi, this is {name}, calling about {topic}. {ask} Thank you."],
    ActivityKind.SMS_IN: ["Hi, it's {name}. {ask}", "Thanks, {day} works for me."],
    ActivityKind.SMS_OUT: ["Hello {name}, a reminder about {topic} on {day}. Reply here if you need to change it."],
    ActivityKind.CHAT: ["Visitor: {ask} It is about {topic}.\nAgent: {answer}"],
}


@dataclass(slots=True)
class PlannedTicket:
    created_at: datetime
    group: int  # index into the run's groups
    contact: int | None  # index into the run's contacts
    is_open: bool


@dataclass(frozen=True, slots=True)
class SeedContact:
    contact: Contact
    email: str
    phone: str  # "" for none

    def points(self) -> list[ContactPoint]:
        points = [ContactPoint(contact=self.contact, kind=ContactPoint.Kind.EMAIL, value=self.email, is_primary=True)]
        if self.phone:
            points.append(ContactPoint(contact=self.contact, kind=ContactPoint.Kind.PHONE, value=self.phone))
        return points


@dataclass(frozen=True, slots=True)
class TicketRows:
    """A ticket's column values, and its activities' (all but ``ticket``)."""

    ticket: dict[str, Any]
    activities: list[dict[str, Any]]
    contact: Contact | None


@contextlib.contextmanager
def keeping_given_times(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create store the times we give: auto_now / auto_now_add would replace them with now."""
    fields = [
        field
        for model in model_classes
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add)
    ]
    flags = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in flags:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Rows of column values by field name (the same names in every row): one COPY on PostgreSQL, one
    executemany elsewhere."""
    fields_by_name = {field.name: field for field in model._meta.concrete_fields}
    write_values(model, [fields_by_name[name] for name in rows[0]], [list(row.values()) for row in rows])


def insert_objects(model: type[models.Model], objects: list[Any]) -> None:
    """``bulk_create`` without its SQL compiling on PostgreSQL: ids taken from the table's sequence first,
    then one COPY. Elsewhere ``bulk_create`` (SQLite gives the ids back)."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objects)
        return
    for obj, pk in zip(objects, reserve_ids(model, len(objects)), strict=True):
        obj.pk = pk
    fields = list(model._meta.concrete_fields)
    stamped = [field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    for obj in objects:
        for field in stamped:
            field.pre_save(obj, add=True)  # as bulk_create does
    names = [field.attname for field in fields]
    write_values(model, fields, [[getattr(obj, name) for name in names] for obj in objects])


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new ids of ``model``'s table from its sequence (PostgreSQL)."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
        )
        return [row[0] for row in cursor.fetchall()]


def write_values(model: type[models.Model], fields: list[models.Field[Any, Any]], values: list[list[Any]]) -> None:
    adapters = [database_adapter(field) for field in fields]
    if any(adapters):
        values = [
            [adapt(value) if adapt else value for value, adapt in zip(row, adapters, strict=True)] for row in values
        ]
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: several times faster than any INSERT
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)  # noqa: S608 -- names, not data


def database_adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """What makes a value of ``field`` ready for the database driver (None: nothing). On PostgreSQL, JSON
    goes as its text (COPY reads it; cheaper than psycopg's Jsonb wrapper); on SQLite date-times too."""
    if isinstance(field, JSONField):
        dumps = functools.partial(json.dumps, cls=field.encoder)
        if connection.vendor == "postgresql":
            return dumps
        return functools.partial(connection.ops.adapt_json_value, encoder=field.encoder)
    if isinstance(field, DateTimeField) and connection.vendor != "postgresql":
        return connection.ops.adapt_datetimefield_value
    return None


def index_activity_bodies(ticket_ids: list[int]) -> int:
    """Search entries for the tickets' message bodies, made in the database, where the activities' ids are."""
    bodies = (
        Activity.objects.filter(ticket_id__in=ticket_ids)
        .exclude(kind__in=HISTORY)
        .order_by()
        .values_list("ticket_id", Value(SearchEntry.Source.ACTIVITY), "id", "body")
    )
    select, params = bodies.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO tickets_searchentry (ticket_id, source, source_id, text) {select}", params)  # noqa: S608 -- SQL from the ORM
        return int(cursor.rowcount)


@contextlib.contextmanager
def text_indexes_rebuilt(rebuild: bool) -> Iterator[None]:
    """On PostgreSQL with ``rebuild``: the full-text and trigram (GIN) indexes of search entries and contacts
    dropped while rows go in and built again after, in one pass each, which is many times faster than
    keeping them up to date row by row. Built again even when the seed fails half-way."""
    if connection.vendor != "postgresql" or not rebuild:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexdef LIKE %s",
            [[SearchEntry._meta.db_table, Contact._meta.db_table], "% USING gin %"],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # Inside a transaction (tests) the deferred foreign-key checks must run first: PostgreSQL
            # builds no index on a table with pending trigger events. Deferred again after, as Django has them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def reserve_ticket_numbers(count: int) -> int:
    """Take ``count`` consecutive numbers (nothing else takes any while the seed runs); returns the first."""
    numbers = take_ticket_numbers(count)
    return numbers[0]


def ascii_word(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalnum()).lower()


def numbered(template: str, taken: set[str]) -> str:
    """The first of ``template`` with "{n}" as "", "2", "3", … that is not taken, taken from now on."""
    number = 1
    while (value := template.format(n="" if number == 1 else number)) in taken:
        number += 1
    taken.add(value)
    return value


class Seeder:
    def __init__(self, rng: random.Random, *, now: datetime) -> None:
        self.rng, self.now = rng, now
        self.rows: dict[str, int] = {}
        self.groups: list[Group] = []
        self.statuses: list[dict[str, Status]] = []
        self.members: list[list[User]] = []
        self.contacts: list[SeedContact] = []
        self.source_labels = {source: str(source.label) for source in TicketSource}

    def tally(self, model: type[models.Model], count: int) -> None:
        self.rows[model._meta.db_table] = self.rows.get(model._meta.db_table, 0) + count

    def add(self, model: type[models.Model], objects: list[Any]) -> None:
        insert_objects(model, objects)
        self.tally(model, len(objects))

    @transaction.atomic
    def create_groups(self, count: int) -> None:
        taken = {value for pair in Group.objects.values_list("name", "slug") for value in pair}
        for index in range(count):
            base, number = TEAMS[index % len(TEAMS)], index // len(TEAMS) + 1
            while (name := base if number == 1 else f"{base} {number}") in taken or slugify(name) in taken:
                number += 1
            taken |= {name, slugify(name)}
            self.groups.append(do_create_group(name, acting_user=None))
            self.statuses.append({status.kind: status for status in self.groups[-1].statuses.all()})
        self.tally(Group, count)
        self.tally(Status, sum(len(statuses) for statuses in self.statuses))

    @transaction.atomic
    def create_agents(self, count: int) -> None:
        """Agents in one to three groups, each with a manager; no usable password (benchmarks use force_login)."""
        user_model = get_user_model()
        usernames = set(user_model.objects.values_list("username", flat=True))
        initials = set(AgentProfile.objects.values_list("initials", flat=True))
        users, profiles, memberships = [], [], []
        for _ in range(count):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            username = numbered(f"{ascii_word(first)}.{ascii_word(last)}{{n}}", usernames)
            user = user_model(username=username, first_name=first, last_name=last, email=f"{username}@staff.example")
            user.set_unusable_password()
            users.append(user)
        self.add(user_model, users)
        self.members = [[] for _ in self.groups]
        for index, user in enumerate(users):
            mark = f"{ascii_word(user.first_name)[0]}{ascii_word(user.last_name)[0]}".upper()
            profiles.append(
                AgentProfile(
                    user=user, initials=numbered(mark + "{n}", initials), phone_state=AgentProfile.PhoneState.READY
                )
            )
            for group in {index % len(self.groups), *self.rng.sample(range(len(self.groups)), self.rng.randint(0, 2))}:
                role = self.rng.choice(ROLES) if self.members[group] else Membership.Role.MANAGER
                level = self.rng.randint(1, 2)
                memberships.append(Membership(user=user, group=self.groups[group], role=role, level=level))
                self.members[group].append(user)
        self.add(AgentProfile, profiles)
        self.add(Membership, memberships)
        self.members = [members or users for members in self.members]

    def plan_tickets(self, count: int, contact_count: int) -> list[PlannedTicket]:
        """When, where, for whom, open or not: 15% open and recent, never two open for a contact and group."""
        weights = [self.rng.uniform(1, 6) for _ in self.groups]
        plans = []
        for group in self.rng.choices(range(len(self.groups)), weights, k=count):
            is_open = self.rng.random() < 0.15
            age = self.rng.random() * timedelta(days=90 if is_open else 730)
            contact = None if self.rng.random() < 0.02 else int(contact_count * self.rng.random() ** 1.5)
            plans.append(PlannedTicket(self.now - age, group, contact, is_open))
        plans.sort(key=attrgetter("created_at"))
        open_pairs: set[tuple[int, int]] = set()
        for plan in plans:
            if plan.is_open and plan.contact is not None:
                plan.is_open = (plan.contact, plan.group) not in open_pairs
                open_pairs.add((plan.contact, plan.group))
        return plans

    def create_contacts(self, count: int, plans: list[PlannedTicket]) -> None:
        first_seen: dict[int, datetime] = {}
        for plan in plans:
            if plan.contact is not None:
                first_seen.setdefault(plan.contact, plan.created_at)
        points = ContactPoint.objects.values_list("value", flat=True)
        emails = set(points.filter(kind=ContactPoint.Kind.EMAIL))
        phones = set(points.filter(kind=ContactPoint.Kind.PHONE))
        with tqdm(total=count, desc="contacts", unit=" contacts") as progress:
            for start in range(0, count, CONTACTS_PER_BATCH):
                indexes = range(start, min(start + CONTACTS_PER_BATCH, count))
                batch = [self.contact(first_seen.get(index), emails, phones) for index in indexes]
                with transaction.atomic():
                    self.add(Contact, [seed.contact for seed in batch])
                    self.add(ContactPoint, [point for seed in batch for point in seed.points()])
                self.contacts.extend(batch)
                progress.update(len(batch))

    def contact(self, first_seen: datetime | None, emails: set[str], phones: set[str]) -> SeedContact:
        """A person (nine in ten) or a company, known since its first ticket, with an email and often a phone."""
        at = first_seen or self.now - self.rng.random() * timedelta(days=730)
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        if self.rng.random() < 0.1:
            company = f"{self.rng.choice(COMPANY_WORDS)} {self.rng.choice(COMPANY_KINDS)}"
            contact = Contact(kind=Contact.Kind.COMPANY, company_name=company, created_at=at, updated_at=at)
            local, domain = self.rng.choice(["info", "office", "hello"]), f"{slugify(company)}.example"
        else:
            contact = Contact(first_name=first, last_name=last, created_at=at, updated_at=at)
            pattern = self.rng.choice(["{f}.{l}", "{f}{l}", "{i}.{l}", "{f}_{l}"])
            local = pattern.format(f=ascii_word(first), l=ascii_word(last), i=ascii_word(first)[0])
            domain = self.rng.choice(MAIL_DOMAINS)
        phone = ""
        if self.rng.random() < 0.7:
            prefix, digits = self.rng.choice(PHONE_FORMS)
            while not phone or phone in phones:
                phone = prefix + str(self.rng.randrange(2 * 10 ** (digits - 1), 10**digits))
            phones.add(phone)
        email = numbered(f"{local}{{n}}@{domain}", emails)
        points = [(ContactPoint.Kind.EMAIL, email)] + ([(ContactPoint.Kind.PHONE, phone)] if phone else [])
        contact.search_text = search_text_of(
            first_name=contact.first_name, last_name=contact.last_name, company_name=contact.company_name, points=points
        )
        return SeedContact(contact, email, phone)

    def create_tickets(self, plans: list[PlannedTicket], first_number: int) -> None:
        """One batch: tickets, their timelines, and the search entries that find them, in one transaction."""
        last_number = first_number + len(plans) - 1
        with transaction.atomic():
            made = [self.ticket(plan, first_number + offset) for offset, plan in enumerate(plans)]
            insert_rows(Ticket, [rows.ticket for rows in made])
            ids = dict(Ticket.objects.filter(number__range=(first_number, last_number)).values_list("number", "id"))
            activities = [
                {"ticket": ids[rows.ticket["number"]], **activity} for rows in made for activity in rows.activities
            ]
            insert_rows(Activity, activities)
            entries = []
            for rows in made:
                ticket_id = ids[rows.ticket["number"]]
                texts = [(SearchEntry.Source.TITLE, ticket_id, rows.ticket["title"])]
                if rows.contact is not None:
                    texts.append((SearchEntry.Source.CONTACT, rows.contact.pk, rows.contact.display_name))
                entries += [
                    {"ticket": ticket_id, "source": source, "source_id": source_id, "text": text}
                    for source, source_id, text in texts
                ]
            insert_rows(SearchEntry, entries)
            self.tally(Ticket, len(made))
            self.tally(Activity, len(activities))
            self.tally(SearchEntry, len(entries) + index_activity_bodies(list(ids.values())))

    def ticket(self, plan: PlannedTicket, number: int) -> TicketRows:
        """A ticket: created, its first message, later messages, notes and status changes, closed or not."""
        rng = self.rng
        group, statuses, members = self.groups[plan.group], self.statuses[plan.group], self.members[plan.group]
        seed = None if plan.contact is None else self.contacts[plan.contact]
        contact = None if seed is None else seed.contact
        source, topic = rng.choices(SOURCES, SOURCE_WEIGHTS)[0], rng.choice(TOPICS)
        owner = rng.choice(members) if rng.random() < 0.85 else None
        later = rng.choices(LATER_KINDS, LATER_WEIGHTS, k=rng.randint(3, 8))
        kinds = [ActivityKind.CREATED, FIRST_MESSAGE[source], *later]
        closed_at = None if plan.is_open else min(plan.created_at + timedelta(days=rng.expovariate(0.25)), self.now)
        if closed_at is not None:
            kinds[-1] = ActivityKind.CLOSED
        end = closed_at or plan.created_at + (self.now - plan.created_at) * rng.random()
        span = end - plan.created_at
        times = [plan.created_at, *sorted(plan.created_at + span * rng.random() for _ in kinds[2:]), end]
        words = {"name": contact.greeting_name if contact else "there", "topic": topic}
        status, activities = statuses[StatusKind.NEW], []
        for index, (kind, at) in enumerate(zip(kinds, times, strict=True)):
            old = status
            if kind == ActivityKind.CHANGED:
                status = statuses[rng.choice([kind for kind in OPEN_KINDS if kind != status.kind])]
            elif kind == ActivityKind.CLOSED:
                status = statuses[rng.choices(CLOSED_KINDS, CLOSED_WEIGHTS)[0]]
            by_contact = kind in FROM_CONTACT or (kind == ActivityKind.CREATED and source != TicketSource.AGENT)
            actor = None if by_contact else owner or rng.choice(members)
            activity: dict[str, Any] = {
                "kind": kind,
                "actor": actor and actor.pk,
                "created_at": at,
                "body": "",
                "body_html": "",
            }
            activity["changes"] = [{"field": "status", "old": old.name, "new": status.name}] if status != old else []
            activity.update(self.channel_fields(kind, seed, group, f"{number}.{index}"))
            if kind == ActivityKind.CREATED:
                activity["body"] = self.source_labels[source]
            elif kind not in HISTORY:
                picks = {key: rng.choice(choices) for key, choices in PHRASES.items()}
                agent = actor.first_name if actor else group.name
                activity["body"] = rng.choice(BODIES[kind]).format(**words, **picks, agent=agent)
            activities.append(activity)
        due = status.kind in {StatusKind.NEEDS_CONTACT, StatusKind.SCHEDULED}
        answers = ActivityKind.answer_kinds()
        first_reply = next((a["created_at"] for a in activities if a["kind"] in answers and a["actor"]), None)
        ticket: dict[str, Any] = {
            "number": number,
            "group": group.pk,
            "contact": contact and contact.pk,
            "owner": owner and owner.pk,
            "title": default_title(contact, group) if rng.random() < 0.6 else rng.choice(SUBJECTS).format(topic),
            "status": status.pk,
            "source": source,
            "form_data": {},
            "version": len(activities),
            "next_action": f"Call back about {topic}" if due else "",
            "due_at": self.now + timedelta(hours=rng.uniform(-48, 240)) if due else None,
            "created_at": plan.created_at,
            "updated_at": end,
            "closed_at": closed_at,
            "first_replied_at": first_reply,
        }
        return TicketRows(ticket, activities, contact)

    def channel_fields(self, kind: str, seed: SeedContact | None, group: Group, ref: str) -> dict[str, Any]:
        email, phone, mailbox = seed.email if seed else "", seed.phone if seed else "", f"{group.slug}@support.example"
        fields: dict[str, Any] = dict.fromkeys(["message_id", "from_address", "to_address", "provider_id"], "")
        fields["duration"] = None
        if kind in {ActivityKind.EMAIL_IN, ActivityKind.EMAIL_OUT}:
            inbound = kind == ActivityKind.EMAIL_IN
            fields["message_id"] = f"<{ref}.{self.rng.getrandbits(64):016x}@{'mail' if inbound else 'support'}.example>"
            fields["from_address"], fields["to_address"] = (email, mailbox) if inbound else (mailbox, email)
        elif kind in {ActivityKind.CALL_IN, ActivityKind.CALL_OUT, ActivityKind.VOICEMAIL}:
            fields["duration"], fields["provider_id"] = self.rng.randint(20, 900), f"CA{self.rng.getrandbits(128):032x}"
            fields["to_address" if kind == ActivityKind.CALL_OUT else "from_address"] = phone
        elif kind in {ActivityKind.SMS_IN, ActivityKind.SMS_OUT}:
            fields["provider_id"] = f"SM{self.rng.getrandbits(128):032x}"
            fields["to_address" if kind == ActivityKind.SMS_OUT else "from_address"] = phone
        return fields


class Command(BaseCommand):
    help = "Add realistic benchmark data: groups, agents, contacts, tickets with timelines (bench/README.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=100_000, help="Tickets to add (default 100000).")
        parser.add_argument("--groups", type=int, default=10, help="Groups to add (default 10).")
        parser.add_argument("--agents", type=int, default=50, help="Agents to add (default 50).")
        parser.add_argument(
            "--contacts",
            type=int,
            help="Contacts to add (default: three for every five tickets); those beyond the tickets' have none.",
        )
        parser.add_argument("--seed", type=int, help="The same seed gives the same data (default: random).")

    def handle(
        self,
        *args: Any,
        tickets: int,
        groups: int,
        agents: int,
        seed: int | None,
        contacts: int | None = None,
        **options: Any,
    ) -> None:
        if min(tickets, groups, agents) < 1:
            raise CommandError("--tickets, --groups and --agents must each be at least 1.")
        if contacts is not None and contacts < 1:
            raise CommandError("--contacts must be at least 1.")
        seed = secrets.randbelow(2**31) if seed is None else seed
        started = time.perf_counter()
        seeder = Seeder(random.Random(seed), now=timezone.now())
        seeder.create_groups(groups)
        seeder.create_agents(agents)
        with_tickets = max(1, tickets * 3 // 5)
        contact_count = contacts or with_tickets
        plans = seeder.plan_tickets(tickets, min(contact_count, with_tickets))
        first_number = reserve_ticket_numbers(tickets)
        if connection.vendor == "postgresql":  # a crash may lose the last batches; nothing else differs
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")
        with text_indexes_rebuilt(tickets >= first_number - 1):  # when more is added than there is
            with keeping_given_times(Contact):
                seeder.create_contacts(contact_count, plans)
            progress = tqdm(total=tickets, desc="tickets", unit=" tickets")
            for start in range(0, tickets, TICKETS_PER_BATCH):
                seeder.create_tickets(plans[start : start + TICKETS_PER_BATCH], first_number + start)
                progress.update(min(TICKETS_PER_BATCH, tickets - start))
            progress.close()
        if connection.vendor == "postgresql":  # what autovacuum would do on a database in use: the planner's
            with connection.cursor() as cursor:  # statistics, and the visibility map index-only scans need
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")  # not in a transaction
        elapsed = time.perf_counter() - started
        last_number = first_number + tickets - 1
        self.stdout.write(f"seed_bench: seed {seed}, tickets #{first_number}–#{last_number}, {elapsed:.1f} s")
        for table, count in [*seeder.rows.items(), ("total", sum(seeder.rows.values()))]:
            self.stdout.write(f"  {table:<24}{count:>10}")
