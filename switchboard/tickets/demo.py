"""Demo data for the embedded start: the groups of the food bank guide (seed 000), a few agents
with initials, contacts, and tickets in every status kind. Loaded through the actions, once:
a second start finds it and changes nothing."""

from __future__ import annotations

import io
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from PIL import Image, ImageDraw

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.intake.inbound import Inbound, Person
from switchboard.tickets.actions import (
    do_add_note,
    do_assign_ticket,
    do_change_ticket_status,
    do_close_ticket,
    do_create_group,
    do_create_ticket,
)
from switchboard.tickets.canned_responses import do_save_canned_response
from switchboard.tickets.files import do_attach_file
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import AgentProfile, Group, Membership, StatusKind, TicketSource

GROUPS = ["Info", "Clients", "Donations", "Volunteers", "Agency"]
AGENTS = [  # username, first, last, initials, groups, role
    ("anna", "Anna", "Kowalska", "AK", ["Info", "Volunteers", "Donations"], Membership.Role.MANAGER),
    ("geoff", "Geoff", "Sanders", "GS", ["Volunteers", "Clients", "Agency"], Membership.Role.AGENT),
    ("bartek", "Bartek", "Nowak", "BN", ["Donations", "Clients"], Membership.Role.HOME_AGENT),
    ("maya", "Maya", "Lopez", "ML", ["Info", "Agency"], Membership.Role.AGENT),
]
# What some contacts wrote (their email, before the agent's note).
CONTACT_MAIL = {
    "maria.garcia@example.org": "Hello,\n\nI would like to join the Saturday sorting shift. Is there room for one more "
    "volunteer, and what should I bring?\n\nThank you,\nMaria",
    "sara.lind@example.org": "Hi, are you open on the public holiday next Monday?\n\nSara",
    "ewa.zielinska@example.pl": "I have a sofa to give away, in good condition. Could you pick it up on Friday?",
    "omar.haddad@example.org": "Hello, is there any news about the bed frame for our new flat? We move in on the 3rd.",
}
# What each demo ticket is about: its mail's subject, or the call's reason (the list's title).
SUBJECTS = {
    "maria.garcia@example.org": "Joining the Saturday sorting shift",
    "john.miller@example.org": "Volunteer training dates",
    "ewa.zielinska@example.pl": "Sofa to give away",
    "tom.becker@example.org": "Kitchenware pick-up",
    "lena.fischer@example.org": "Voicemail",
    "omar.haddad@example.org": "Bed frame for the new flat",
    "sara.lind@example.org": "Open on the public holiday?",
    "piotr.w@example.pl": "Agency account reset",
    "grace.okafor@example.org": "Dining table donation",
    "hugo.martin@example.org": "Weekday volunteering",
    "ines.costa@example.org": "Documents for a food parcel",
    "jan.k@example.pl": "Missed call",
}
# The channel a contact's message came in on, by the ticket's source.
MESSAGE_CHANNELS = {TicketSource.SMS: "sms"}
# first, last, email, phone, group, source, status kind, owner, note
TICKETS = [
    (
        "Maria",
        "Garcia",
        "maria.garcia@example.org",
        "+15415550101",
        "Volunteers",
        TicketSource.EMAIL,
        StatusKind.NEEDS_CONTACT,
        None,
        "Would like to join the Saturday sorting shift.",
    ),
    (
        "John",
        "Miller",
        "john.miller@example.org",
        "+15415550102",
        "Volunteers",
        TicketSource.WEB,
        StatusKind.WAITING_CONTACT,
        "geoff",
        "Sent the dates of the next volunteer training.",
    ),
    (
        "Ewa",
        "Zielińska",
        "ewa.zielinska@example.pl",
        "+48601234567",
        "Donations",
        TicketSource.SMS,
        StatusKind.SCHEDULED,
        "bartek",
        "Sofa pick-up booked for Friday morning.",
    ),
    (
        "Tom",
        "Becker",
        "tom.becker@example.org",
        "+15415550104",
        "Donations",
        TicketSource.PHONE,
        StatusKind.COMPLETED,
        "bartek",
        "Pick-up done; two boxes of kitchenware.",
    ),
    (
        "Lena",
        "Fischer",
        "lena.fischer@example.org",
        "+15415550105",
        "Clients",
        TicketSource.PHONE,
        StatusKind.NEW,
        None,
        "Voicemail: asks about the appointment on Tuesday.",
    ),
    (
        "Omar",
        "Haddad",
        "omar.haddad@example.org",
        "+15415550106",
        "Clients",
        TicketSource.EMAIL,
        StatusKind.PENDING,
        "geoff",
        "Waiting for the warehouse to confirm the bed frame.",
    ),
    (
        "Sara",
        "Lind",
        "sara.lind@example.org",
        "+15415550107",
        "Info",
        TicketSource.EMAIL,
        StatusKind.NEEDS_CONTACT,
        "maya",
        "General question about opening hours.",
    ),
    (
        "Piotr",
        "Wiśniewski",
        "piotr.w@example.pl",
        "+48602345678",
        "Agency",
        TicketSource.WEB,
        StatusKind.WAITING_CONTACT,
        "maya",
        "Agency account reset requested.",
    ),
    (
        "Grace",
        "Okafor",
        "grace.okafor@example.org",
        "+15415550109",
        "Donations",
        TicketSource.EMAIL,
        StatusKind.CLOSED_SUCCESS,
        "anna",
        "Donation of a dining table received.",
    ),
    (
        "Hugo",
        "Martin",
        "hugo.martin@example.org",
        "+15415550110",
        "Volunteers",
        TicketSource.PHONE,
        StatusKind.SUCCESS_CANCELLED,
        "anna",
        "Cancelled: moved out of town.",
    ),
    (
        "Ines",
        "Costa",
        "ines.costa@example.org",
        "+15415550111",
        "Clients",
        TicketSource.WEB,
        StatusKind.CLOSED,
        "geoff",
        "Resolved by phone.",
    ),
    (
        "Jan",
        "Kowalczyk",
        "jan.k@example.pl",
        "+48603456789",
        "Info",
        TicketSource.PHONE,
        StatusKind.NEEDS_CONTACT,
        None,
        "Missed call, no message left.",
    ),
]

# group, title, text: what a food bank's agents answer again and again (MAIL-05)
CANNED_RESPONSES = [
    (
        "Volunteers",
        "Volunteer shift dates",
        "<p>Thank you for offering to help! Our next sorting shifts are on <b>[Enter dates]</b>, "
        "from 9:00 to 13:00 at the warehouse.</p><p>Please wear closed shoes; we provide gloves and aprons.</p>",
    ),
    (
        "Volunteers",
        "Training invitation",
        "<p>We would like to invite you to the volunteer training on [Enter date and time]. "
        "It takes about two hours.</p>",
    ),
    (
        "Donations",
        "Pick-up arranged",
        "<p>We can collect your donation of [Enter items] on [Enter date]. Our driver will call "
        "you about 30 minutes before arriving.</p>",
    ),
    (
        "Clients",
        "Documents for a food parcel",
        "<p>To receive a food parcel, please bring:</p><ul><li>an ID document</li>"
        "<li>a proof of address</li></ul><p>Our opening hours are [Enter opening hours].</p>",
    ),
    ("Info", "Opening hours", "<p>We are open Monday to Friday, 9:00–17:00, and on Saturday 9:00–13:00.</p>"),
]


@dataclass(frozen=True)
class DemoLogins:
    usernames: list[str]
    password: str


def demo_is_loaded() -> bool:
    return Group.objects.filter(slug="volunteers").exists()


def _demo_password_path() -> Path:
    return Path(settings.DATA_DIR) / "demo-password"


def _demo_password() -> str:
    """One password for the demo logins, made on first load and kept (0600) in the data folder."""
    path = _demo_password_path()
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(9), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


@transaction.atomic
def load_demo_data() -> DemoLogins:
    password = _demo_password()
    admin = User.objects.create_superuser("admin", "admin@example.test", password)
    AgentProfile.objects.create(user=admin, initials="ADM")
    groups = {name: do_create_group(name, acting_user=None) for name in GROUPS}
    groups["Donations"].purge_photos_on_close = True
    groups["Donations"].owner_on_open = True
    groups["Donations"].save()
    for group in groups.values():
        group.reply_address = f"{group.slug}@foodbank.example"
        group.signature = f"{group.name} team · Riverside Food Bank\n+1 541 555 0100 · foodbank.example"
        group.save()
    agents: dict[str, User] = {}
    for username, first, last, initials, group_names, role in AGENTS:
        agent = User.objects.create_user(
            username, f"{username}@example.test", password, first_name=first, last_name=last
        )
        AgentProfile.objects.create(user=agent, initials=initials)
        for name in group_names:
            Membership.objects.create(user=agent, group=groups[name], role=role, notify_weekdays=[0, 1, 2, 3, 4])
        agents[username] = agent
    for first, last, email, phone, group_name, source, kind, owner_name, note in TICKETS:
        contact = do_create_contact(
            kind=Contact.Kind.PERSON, first_name=first, last_name=last, emails=[email], phones=[phone], acting_user=None
        )
        group = groups[group_name]
        ticket = do_create_ticket(group, contact=contact, source=source, acting_user=None, subject=SUBJECTS[email])
        owner = agents[owner_name] if owner_name else None
        if owner is not None:
            ticket = do_assign_ticket(ticket, owner=owner, acting_user=owner)
        if mail := CONTACT_MAIL.get(email):
            sender = Person(address=email, name=f"{first} {last}")
            inbound = Inbound(channel=MESSAGE_CHANNELS.get(source, "email"), sender=sender, text=mail)
            do_add_inbound_message(ticket, inbound=inbound, cc=[])
        activity = do_add_note(ticket, body=note, acting_user=owner or admin)
        if note.startswith("Sofa"):
            do_attach_file(activity, filename="sofa.jpg", content_type="image/jpeg", content=_sofa_photo())
        if kind in StatusKind.closed_kinds():
            do_close_ticket(ticket, status=group.statuses.get(kind=kind), acting_user=owner)
        elif kind != StatusKind.NEW:
            do_change_ticket_status(ticket, status=group.statuses.get(kind=kind), acting_user=owner)
    for group_name, title, body_html in CANNED_RESPONSES:
        do_save_canned_response(groups[group_name], title=title, body_html=body_html, acting_user=admin)
    return DemoLogins(usernames=["admin", *agents], password=password)


def _sofa_photo() -> bytes:
    """A drawn stand-in for the photo a donor sends of what they give away."""
    image = Image.new("RGB", (1600, 1200), (225, 218, 205))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 900, 1600, 1200), fill=(150, 120, 90))  # floor
    draw.rounded_rectangle((260, 380, 1340, 760), radius=60, fill=(46, 94, 140))  # back
    draw.rounded_rectangle((180, 600, 1420, 900), radius=50, fill=(58, 112, 164))  # seat
    for x in (180, 1260):
        draw.rounded_rectangle((x, 520, x + 160, 900), radius=40, fill=(40, 84, 126))  # arms
    for x in (260, 1300):
        draw.rectangle((x, 900, x + 40, 980), fill=(60, 40, 25))  # legs
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def offer_demo_data(*, answer: bool | None, default_from_env: str) -> bool:
    """Load the demo on a new installation, if wanted: ``answer`` from the command line, else
    SWITCHBOARD_DEMO=1/0, else a question when a person is at the terminal (default yes).
    Without a terminal (a service manager) there is no demo: it makes a superuser ``admin``.
    The password is printed when the demo is made; later starts say only where it is kept.
    Returns whether it loaded the demo now (the channels then add theirs)."""
    if demo_is_loaded():
        print(f"Demo data: the password of its sign-ins is kept in {_demo_password_path()}")
        return False
    if Group.objects.exists():
        return False  # a real installation: never offer demo data into it
    if answer is None and default_from_env:
        answer = default_from_env.strip().lower() in {"1", "true", "yes", "on"}
    if answer is None:
        answer = False
        if sys.stdin.isatty():
            reply = input("Load demo data (groups, agents, contacts, tickets)? [Y/n] ").strip().lower()
            answer = reply in {"", "y", "yes", "t", "tak"}
        else:
            print("No demo data (no terminal to ask): SWITCHBOARD_DEMO=1 or `switchboard run --demo` loads it.")
    if not answer:
        return False
    logins = load_demo_data()
    print(f"Demo data: sign in as {', '.join(logins.usernames)} (admin is the administrator)")
    print(f"  password for all of them: {logins.password}   (kept in {_demo_password_path()})")
    return True
