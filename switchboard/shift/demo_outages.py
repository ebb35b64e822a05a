"""Demo data of outages (ADMIN-05): the areas (towns in the English demo, Polish cities in the
Polish one) and one past outage, announced with its banner by anna (a manager) and ended two
hours later. Loaded with the demo (`switchboard run`), once, in English or Polish."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from switchboard.shift.broadcasts import BroadcastDraft, managed_groups
from switchboard.shift.models import Area, Broadcast, Outage
from switchboard.shift.outages import NewOutage, do_end_outage, do_open_outage


@dataclass(frozen=True)
class PastOutage:
    areas: list[str]
    area: str
    description: str
    banner: BroadcastDraft


OUTAGES = {
    "en": PastOutage(
        areas=["Bristol", "Bath", "Swindon", "Gloucester", "Cheltenham"],
        area="Bath",
        description="Node BA-3 down after roadworks cut a cable: no internet or phone line in central Bath.",
        banner=BroadcastDraft(
            text="Outage in Bath: no internet or phone in the town centre",
            procedure="Apologise and give the estimate: fixed by 2 p.m.\n"
            "Book no technician visits in Bath today.\n"
            "Link each caller's ticket to the parent incident.",
            contact_name="Bradley (duty engineer)",
            contact_phone="+44 1225 555 0199",
        ),
    ),
    "pl": PastOutage(
        areas=["Kraków", "Warszawa", "Gdańsk", "Poznań", "Wrocław"],
        area="Kraków",
        description="Węzeł KR-7 nie działa po przecięciu kabla przy robotach drogowych: "
        "brak internetu i telefonu w centrum Krakowa.",
        banner=BroadcastDraft(
            text="Awaria w Krakowie: brak internetu i telefonu w centrum",
            procedure="Przeproś i podaj termin: naprawa do 14:00.\n"
            "Nie umawiaj dziś wizyt technika w Krakowie.\n"
            "Połącz zgłoszenie każdego dzwoniącego z incydentem nadrzędnym.",
            contact_name="Bartłomiej (dyżurny technik)",
            contact_phone="+48 12 555 01 99",
        ),
    ),
}


@transaction.atomic
def load_outage_demo(language: str = "en") -> None:
    """The areas and the past outage in ``language``; nothing if the demo has no anna or has
    outages already."""
    anna = User.objects.filter(username="anna").first()
    if anna is None or Outage.objects.exists():
        return
    demo = OUTAGES[language]
    for position, name in enumerate(demo.areas):
        Area.objects.get_or_create(name=name, defaults={"position": position})
    outage = do_open_outage(
        NewOutage(
            area=Area.objects.get(name=demo.area),
            description=demo.description,
            banner=demo.banner,
            banner_groups=tuple(managed_groups(anna)),
        ),
        acting_user=anna,
    )
    do_end_outage(outage, acting_user=anna)
    # It happened the day before yesterday, from 9:10 to 11:40.
    started = timezone.localtime().replace(hour=9, minute=10, second=0, microsecond=0) - dt.timedelta(days=2)
    ended = started + dt.timedelta(hours=2, minutes=30)
    Outage.objects.filter(pk=outage.pk).update(started_at=started, ended_at=ended)
    Broadcast.objects.filter(outages=outage).update(posted_at=started, cleared_at=ended)
