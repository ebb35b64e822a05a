"""Demo data of the web forms (SELF-01): the demo groups' categories, with their agents, and a
message sent through the Volunteers' form. Every group's form is at /f/<group>/, and a made-up
organisation's page with it embedded at /f/<group>/example/. Loaded with the demo (`switchboard run`)."""

from __future__ import annotations

from django.db import transaction

from switchboard.tickets.demo import demo_group
from switchboard.tickets.demo_texts import DONATIONS, VOLUNTEERS
from switchboard.tickets.models import ActivityKind, Category, Membership
from switchboard.web.channel import WebMessage, receive_web_message

CATEGORIES = {
    "en": {VOLUNTEERS: ["Volunteering", "Events"], DONATIONS: ["Food donations", "Money and gifts"]},
    "pl": {VOLUNTEERS: ["Wolontariat", "Wydarzenia"], DONATIONS: ["Dary żywności", "Wpłaty i prezenty"]},
}
MESSAGES = {
    "en": WebMessage(
        email="olivia.brown@example.org",
        name="Olivia Brown",
        subject="Volunteering with my class",
        text="Hello, I teach a class of 15-year-olds. Could we help sort food one afternoon in January?\n\n"
        "Phone: +15415550177",
        client="Firefox 133 on Windows 10",
    ),
    "pl": WebMessage(
        email="ola.wrobel@example.org",
        name="Aleksandra Wróbel",
        subject="Wolontariat z klasą",
        text="Dzień dobry, uczę w liceum. Czy moja klasa mogłaby pomóc w sortowaniu żywności w styczniu?\n\n"
        "Telefon: +48601555177",
        client="Mobile Safari 17 on iOS 17.5",
    ),
}


@transaction.atomic
def _load_categories(language: str) -> Category | None:
    first = None
    for role, names in CATEGORIES[language].items():
        group = demo_group(role)
        if group is None:
            continue
        agents = [membership.user for membership in Membership.objects.filter(group=group).select_related("user")]
        for position, name in enumerate(names):
            category, created = Category.objects.get_or_create(group=group, name=name, defaults={"position": position})
            if created:
                category.agents.set(agents[position::2] or agents)
            first = first or category
    return first


def load_web_demo(language: str = "en") -> None:
    """The web forms' part of the demo in ``language`` (the one `load_demo_data` used)."""
    category = _load_categories(language)
    group = demo_group(VOLUNTEERS)
    if group is None or category is None:
        return
    if group.tickets.filter(activities__kind=ActivityKind.WEB_IN).exists():
        return
    message = MESSAGES[language]
    message.category_id = category.pk
    receive_web_message(group, message)
