"""Demo data of the solutions library (AGENT-04): a few answers per demo group, in English and
Polish, in the group's category their words fit (none if the group has no such category), one
of them a draft, and how often some were used. Loaded with the demo (`switchboard run`), once."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from switchboard.tickets.canned_responses import do_save_canned_response
from switchboard.tickets.demo import demo_group
from switchboard.tickets.demo_texts import CLIENTS, DONATIONS, VOLUNTEERS
from switchboard.tickets.models import CannedResponse, Category, Group
from switchboard.tickets.solutions import fold, record_solutions_used


@dataclass(frozen=True)
class DemoSolution:
    group: str  # the group's role in the demo
    title: str
    body_html: str
    category_words: tuple[str, ...] = ()  # a category whose name holds one of these (folded) is its
    used: int = 0
    draft: bool = False


SOLUTIONS = {
    "en": [
        DemoSolution(
            VOLUNTEERS,
            "Cancelling a shift",
            "<p>No problem at all, thank you for letting us know. Your shift on <b>[date]</b> is cancelled; "
            "you can pick another one on the rota whenever it suits you.</p>",
            ("shift", "volunteer"),
            used=6,
        ),
        DemoSolution(
            VOLUNTEERS,
            "Group volunteering for companies",
            "<p>We welcome teams of up to 12 people on weekday mornings. Please send us the number of people "
            "and two dates that suit you, and we will confirm one within [number] working days.</p>",
            ("volunteer", "compan"),
            used=2,
        ),
        DemoSolution(
            CLIENTS,
            "Documents for a food parcel",
            "<p>Please bring an ID and a referral from your social worker or our partner agency. If you do not "
            "have a referral yet, we can give you a one-off emergency parcel on <b>[date]</b>.</p>",
            ("parcel", "food", "help"),
            used=11,
        ),
        DemoSolution(
            CLIENTS,
            "Parcel pick-up hours",
            "<p>Parcels are handed out on Monday, Wednesday and Friday, 10:00–14:00, at the back entrance of the "
            "warehouse (Elm Street 12).</p>",
            ("parcel", "food"),
            used=4,
        ),
        DemoSolution(
            DONATIONS,
            "Donation receipt for tax",
            "<p>Thank you for your donation! The receipt for [amount] is attached to this email; keep it with "
            "your tax papers. Receipts for the whole year go out in January.</p>",
            ("money", "financ", "receipt"),
            used=3,
        ),
        DemoSolution(
            DONATIONS,
            "Food we cannot accept",
            "<p>We gladly take tinned and dry food within its date. We cannot take home-made meals, opened "
            "packets or alcohol, for food safety reasons.</p>",
            ("food", "goods"),
            draft=True,
        ),
    ],
    "pl": [
        DemoSolution(
            VOLUNTEERS,
            "Odwołanie dyżuru",
            "<p>Żaden problem, dziękujemy za informację. Dyżur <b>[data]</b> jest odwołany; inny termin można "
            "wybrać w grafiku, kiedy tylko będzie pasował.</p>",
            ("dyzur", "wolontar"),
            used=6,
        ),
        DemoSolution(
            VOLUNTEERS,
            "Wolontariat pracowniczy dla firm",
            "<p>Zapraszamy zespoły do 12 osób w dni powszednie rano. Prosimy o liczbę osób i dwa pasujące "
            "terminy; potwierdzimy jeden w ciągu [liczba] dni roboczych.</p>",
            ("wolontar", "firm"),
            used=2,
        ),
        DemoSolution(
            CLIENTS,
            "Dokumenty do paczki żywnościowej",
            "<p>Prosimy zabrać dowód osobisty i skierowanie z ośrodka pomocy społecznej lub organizacji "
            "partnerskiej. Bez skierowania możemy wydać jednorazową paczkę interwencyjną <b>[data]</b>.</p>",
            ("paczk", "zywnos", "pomoc"),
            used=11,
        ),
        DemoSolution(
            CLIENTS,
            "Godziny wydawania paczek",
            "<p>Paczki wydajemy w poniedziałki, środy i piątki, 10:00–14:00, przy tylnym wejściu do magazynu "
            "(ul. Wiślana 12).</p>",
            ("paczk", "zywnos"),
            used=4,
        ),
        DemoSolution(
            DONATIONS,
            "Zaświadczenie o darowiźnie do ulgi podatkowej",
            "<p>Dziękujemy za darowiznę! Zaświadczenie na kwotę [kwota] jest w załączniku; prosimy zachować je "
            "do rozliczenia podatku. Zaświadczenia za cały rok wysyłamy w styczniu.</p>",
            ("pieni", "finans", "podat"),
            used=3,
        ),
        DemoSolution(
            DONATIONS,
            "Żywność, której nie przyjmujemy",
            "<p>Chętnie przyjmujemy konserwy i suchą żywność w terminie. Ze względów bezpieczeństwa nie możemy "
            "przyjąć domowych posiłków, otwartych opakowań ani alkoholu.</p>",
            ("zywnos", "dary"),
            draft=True,
        ),
    ],
}


def _category(group: Group, words: tuple[str, ...]) -> Category | None:
    return next(
        (category for category in group.categories.all() if any(word in fold(category.name) for word in words)),
        None,
    )


@transaction.atomic
def load_solutions_demo(language: str = "en") -> None:
    """The solutions of the demo in ``language`` (the one `load_demo_data` used); nothing if the
    demo is not loaded or has them already."""
    admin = User.objects.filter(username="admin").first()
    for solution in SOLUTIONS[language]:
        group = demo_group(solution.group)
        if group is None or admin is None or CannedResponse.objects.filter(group=group, title=solution.title).exists():
            continue
        saved = do_save_canned_response(
            group,
            title=solution.title,
            body_html=solution.body_html,
            category=_category(group, solution.category_words),
            published=not solution.draft,
            acting_user=admin,
        )
        for _use in range(solution.used):
            record_solutions_used([saved])
