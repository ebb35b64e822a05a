"""Demo data for the embedded start: the groups of the food bank guide (seed 000), a few agents
with initials, contacts, and tickets in every status kind. Loaded through the actions, once:
a second start finds it and changes nothing."""

from __future__ import annotations

import io
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from PIL import Image, ImageDraw

from switchboard.contacts.actions import do_create_contact, do_set_contact_language
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
from switchboard.tickets.demo_center import load_contact_center_demo
from switchboard.tickets.demo_texts import CAMPAIGN, DEMO_TEXTS, DONATIONS, VOLUNTEERS, DemoTicket
from switchboard.tickets.files import do_attach_file
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import AgentProfile, Group, Membership, StatusKind, TicketSource

# The channel a contact's message came in on, by the ticket's source.
MESSAGE_CHANNELS = {TicketSource.SMS: "sms"}
DEMO_LANGUAGES = list(DEMO_TEXTS)


@dataclass(frozen=True)
class DemoLogins:
    usernames: list[str]
    password: str


def demo_is_loaded() -> bool:
    return Group.objects.filter(slug__in=[texts.groups[VOLUNTEERS][1] for texts in DEMO_TEXTS.values()]).exists()


def demo_group(role: str) -> Group | None:
    """The demo's group of that role (``VOLUNTEERS``…), in whichever language it was loaded."""
    return Group.objects.filter(slug__in=[texts.groups[role][1] for texts in DEMO_TEXTS.values()]).first()


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
def load_demo_data(language: str = "en") -> DemoLogins:
    """The demo in ``language`` ("en" or "pl"): its groups write to contacts in it, its contacts
    read it and, in Polish, its agents' pages are in it. What the actions word as they write
    (a new ticket's source, "Outbound campaign") is in it too."""
    with translation.override(language):
        return _load_demo_data(language)


def _load_demo_data(language: str) -> DemoLogins:
    texts = DEMO_TEXTS[language]
    password = _demo_password()
    admin = User.objects.create_superuser("admin", "admin@example.test", password)
    AgentProfile.objects.create(user=admin, initials="ADM", language=_page_language(language))
    groups = {role: do_create_group(name, slug=slug, acting_user=None) for role, (name, slug) in texts.groups.items()}
    groups[DONATIONS].purge_photos_on_close = True
    for role in [DONATIONS, *texts.loop_groups]:
        groups[role].owner_on_open = True  # seed 000: whoever opens a new ticket takes it
    for group in groups.values():
        group.language = language
        group.reply_address = f"{group.slug}@foodbank.example"
        group.signature = texts.signature.format(group=group.name)
        group.save()
    agents: dict[str, User] = {}
    for username, first, last, initials, roles, role in texts.agents:
        agent = User.objects.create_user(
            username, f"{username}@example.test", password, first_name=first, last_name=last
        )
        AgentProfile.objects.create(
            user=agent,
            initials=initials,
            language=_page_language(language),
            phone_state=AgentProfile.PhoneState.READY,  # PHONE-09: at work, so tickets reach them
            phone_state_since=timezone.now(),
        )
        for group_role in roles:
            Membership.objects.create(user=agent, group=groups[group_role], role=role, notify_weekdays=[0, 1, 2, 3, 4])
        agents[username] = agent
    for item in texts.tickets:
        _demo_ticket(item, group=groups[item.group], owner=agents.get(item.owner or ""), admin=admin, language=language)
    for role, title, body_html in texts.canned_responses:
        do_save_canned_response(groups[role], title=title, body_html=body_html, acting_user=admin)
    load_contact_center_demo(language, campaign=groups[CAMPAIGN], agents=agents)
    return DemoLogins(usernames=["admin", *agents], password=password)


def _page_language(language: str) -> str:
    """English demo agents see pages in their browser's language; Polish ones in Polish."""
    return "" if language == "en" else language


def _demo_ticket(item: DemoTicket, *, group: Group, owner: User | None, admin: User, language: str) -> None:
    contact = do_create_contact(
        kind=Contact.Kind.PERSON,
        first_name=item.first,
        last_name=item.last,
        emails=[item.email],
        phones=[item.phone],
        acting_user=None,
    )
    if language != "en":
        do_set_contact_language(contact, language=language, acting_user=None)
    ticket = do_create_ticket(group, contact=contact, source=item.source, acting_user=None, subject=item.subject)
    if owner is not None:
        ticket = do_assign_ticket(ticket, owner=owner, acting_user=owner)
    if item.mail:
        channel = MESSAGE_CHANNELS.get(item.source, "email")
        sender = Person(address=item.phone if channel == "sms" else item.email, name=f"{item.first} {item.last}")
        inbound = Inbound(channel=channel, sender=sender, text=item.mail)
        do_add_inbound_message(ticket, inbound=inbound, cc=[])
    activity = do_add_note(ticket, body=item.note, acting_user=owner or admin)
    if item.photo:
        do_attach_file(activity, filename="sofa.jpg", content_type="image/jpeg", content=_sofa_photo())
    if item.kind in StatusKind.closed_kinds():
        do_close_ticket(ticket, status=group.statuses.get(kind=item.kind), acting_user=owner)
    elif item.kind != StatusKind.NEW:
        do_change_ticket_status(ticket, status=group.statuses.get(kind=item.kind), acting_user=owner)


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


def demo_language_of_the_terminal() -> str:
    """The demo's language where none is named: Polish on a terminal whose locale is Polish
    (LC_ALL, LC_MESSAGES or LANG ``pl_PL…``), else English."""
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"]:
        if value := os.environ.get(name, ""):
            return "pl" if value.lower().startswith("pl") else "en"
    return "en"


def demo_choice(value: str) -> str | None:
    """What ``--demo[=pl]`` or SWITCHBOARD_DEMO says: a language to load the demo in, "" for no
    demo, None when it says nothing ("1", "yes" and "--demo" name no language)."""
    value = value.strip().lower().removeprefix("--demo").removeprefix("=")
    if value in DEMO_LANGUAGES:
        return value
    if value in {"", "1", "true", "yes", "on", "y", "t", "tak"}:
        return demo_language_of_the_terminal()
    if value in {"0", "false", "no", "off", "n", "nie", "--no-demo"}:
        return ""
    return None


def offer_demo_data(*, answer: str | None, default_from_env: str) -> str:
    """Load the demo on a new installation, if wanted: ``answer`` from the command line
    (``--demo``, ``--demo=pl``, ``--no-demo``), else SWITCHBOARD_DEMO=1/0/en/pl, else a question
    when a person is at the terminal (default yes, in the terminal's language). Without a
    terminal (a service manager) there is no demo: it makes a superuser ``admin``.
    The password is printed when the demo is made; later starts say only where it is kept.
    Returns the language it loaded the demo in now (the channels then add theirs), else ""."""
    if demo_is_loaded():
        print(f"Demo data: the password of its sign-ins is kept in {_demo_password_path()}")
        return ""
    if Group.objects.exists():
        return ""  # a real installation: never offer demo data into it
    language = demo_choice(answer) if answer is not None else None
    if language is None and default_from_env:
        language = demo_choice(default_from_env)
    if language is None:
        language = ""
        if sys.stdin.isatty():
            suggested = demo_language_of_the_terminal()
            names = {"en": "English", "pl": "Polish"}
            question = f"Load demo data (groups, agents, contacts, tickets) in {names[suggested]}? [Y/n/en/pl] "
            reply = input(question).strip().lower()
            language = suggested if reply in {"", "y", "yes", "t", "tak"} else (demo_choice(reply) or "")
        else:
            print(
                "No demo data (no terminal to ask): SWITCHBOARD_DEMO=1 or `switchboard run --demo` loads it"
                " (SWITCHBOARD_DEMO=pl, --demo=pl: in Polish)."
            )
    if not language:
        return ""
    logins = load_demo_data(language)
    print(f"Demo data: sign in as {', '.join(logins.usernames)} (admin is the administrator)")
    print(f"  password for all of them: {logins.password}   (kept in {_demo_password_path()})")
    return language
