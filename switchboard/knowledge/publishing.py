"""A resolved ticket made into an article (SELF-02, seed 004): the contact's question and the
agent's answer, with the contact's personal data taken out, and the check that the editor shows
before the article is published.

Taken out: the contact's names (also inflected, contacts/scrub.py), email addresses and phone
numbers in any format, from the contact and its points, and any email address or phone number
at all. Still looked for, and shown as warnings, because no rule can be sure of them: whatever
of the above is typed back, greetings and sign-offs (they name people), postcodes, long numbers
(orders, accounts, national ids), the contact's street and city, and the marks left where
something was taken out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from switchboard.contacts.models import Contact
from switchboard.contacts.scrub import Scrubber
from switchboard.core.html import html_to_text
from switchboard.tickets.contact_erasure import scrubber_for
from switchboard.tickets.models import Activity, ActivityKind, Ticket

QUESTION_KINDS = [ActivityKind.EMAIL_IN, ActivityKind.WEB_IN, ActivityKind.SMS_IN, ActivityKind.CHAT]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
PHONE = re.compile(r"(?<![\w+])\+?\d[\d \-./()]{5,}\d(?!\w)")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
POSTCODE = re.compile(r"(?<!\d)\d{2}-\d{3}(?!\d)")
LONG_NUMBER = re.compile(r"(?<![\d-])\d{5,}(?![\d-])")
GREETING = re.compile(
    r"^\s*(?:dear|hi|hello|hey|thanks|thank you|regards|best|kind regards|cheers|sincerely|"
    r"dzień dobry|dzien dobry|witam|szanown\w*|drog\w*|pozdrawiam|z poważaniem|dziękuję|dziekuje)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)


def mark() -> str:
    """What stands where personal data was taken out."""
    return _("[removed]")


@dataclass
class Prefill:
    """The article an agent starts from, and what was taken out of it."""

    title: str
    body_html: str
    removed: list[str] = field(default_factory=list)


def _phones(text: str) -> list[str]:
    """What in ``text`` reads as a phone number: seven to fifteen digits, not a date."""
    return [
        found.group(0)
        for found in PHONE.finditer(text)
        if 7 <= sum(char.isdigit() for char in found.group(0)) <= 15 and not DATE.fullmatch(found.group(0))
    ]


def _strip(text: str, scrubber: Scrubber, removed: list[str]) -> str:
    """``text`` without the contact's data nor any address or number, each taken out listed once."""
    found = [match.group(0) for match in scrubber.pattern.finditer(text)] if scrubber.pattern is not None else []
    if scrubber.pattern is not None:
        text = scrubber.pattern.sub(mark(), text)
    found += [match.group(0) for match in EMAIL.finditer(text)]
    text = EMAIL.sub(mark(), text)
    for phone in _phones(text):
        found.append(phone)
        text = text.replace(phone, mark())
    removed.extend(item for item in dict.fromkeys(found) if item not in removed)
    return text


def _question_and_answer(ticket: Ticket) -> tuple[Activity | None, Activity | None]:
    messages = Activity.objects.filter(ticket=ticket, kind__in=[*QUESTION_KINDS, *ActivityKind.answer_kinds()])
    question = messages.filter(kind__in=QUESTION_KINDS).order_by("created_at", "id").first()
    answer = (
        messages.filter(kind__in=ActivityKind.answer_kinds(), actor__isnull=False)
        .order_by("-created_at", "-id")
        .first()
    )
    return question, answer


def prefill_from_ticket(ticket: Ticket) -> Prefill:
    """The article of a resolved ticket: its title, the question (the contact's first message)
    and the answer (the group's last reply), without the contact's personal data."""
    contact: Contact | None = ticket.contact
    scrubber = (
        scrubber_for(contact, replacement=mark())
        if contact is not None
        else Scrubber(names=[], emails=[], phones=[], placeholder=mark())
    )
    removed: list[str] = []
    question, answer = _question_and_answer(ticket)
    title = _strip(ticket.title, scrubber, removed)
    parts = []
    if question is not None:
        asked = _strip(question.new_and_quoted_text[0], scrubber, removed)
        heading = escape(_("Question"))
        parts.append(f"<h3>{heading}</h3>{linebreaks(asked, autoescape=True)}")
    if answer is not None:
        answered = _strip(html_to_text(answer.body_html) if answer.body_html else answer.body, scrubber, removed)
        heading = escape(_("Answer"))
        parts.append(f"<h3>{heading}</h3>{linebreaks(answered, autoescape=True)}")
    return Prefill(title=title, body_html="".join(parts), removed=removed)


def personal_data_warnings(text: str, *, contact: Contact | None) -> list[str]:
    """What in an article's plain ``text`` still looks personal, one line each, for the editor's check."""
    warnings: list[str] = []

    def warn(message: str, found: str) -> None:
        line = _("%(what)s: “%(found)s”") % {"what": message, "found": found.strip()[:80]}
        if line not in warnings:
            warnings.append(line)

    if contact is not None and (pattern := scrubber_for(contact, replacement=mark()).pattern) is not None:
        for found in pattern.finditer(text):
            warn(_("The contact's name, address or number"), found.group(0))
        for place in (contact.street, contact.city):
            if place.strip() and place.strip().lower() in text.lower():
                warn(_("The contact's address"), place)
    for found in EMAIL.finditer(text):
        warn(_("An email address"), found.group(0))
    for phone in _phones(text):
        warn(_("A phone number"), phone)
    for found in POSTCODE.finditer(text):
        warn(_("A postcode"), found.group(0))
    for found in LONG_NUMBER.finditer(text):
        warn(_("A long number (an order, an account, an identity?)"), found.group(0))
    for found in GREETING.finditer(text):
        warn(_("A greeting or sign-off, which may name someone"), found.group(0))
    if mark() in text:
        warn(_("A mark where personal data was taken out: reword or delete it"), mark())
    return warnings
