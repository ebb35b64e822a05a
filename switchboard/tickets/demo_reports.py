"""Demo data of the reports (ADMIN-02): three weeks of closed tickets in the groups anna manages,
made by the actions and then dated in the past (created, answered by a member, closed with
success now and then), so the Reports page shows days with their volume, backlog and times.
Loaded with the demo (`switchboard run`), once, in English or Polish."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.tickets.actions import do_close_ticket, do_create_ticket
from switchboard.tickets.models import Activity, ActivityKind, Status, StatusKind, Ticket, TicketClock, TicketSource
from switchboard.tickets.permissions import report_groups

NAMES = {
    "en": [("Grace", "Hall"), ("Oliver", "Reed"), ("Emma", "Stone"), ("Jack", "Ward"), ("Lily", "Brooks")],
    "pl": [("Zofia", "Lis"), ("Jan", "Wróbel"), ("Maja", "Sowa"), ("Piotr", "Kruk"), ("Ewa", "Dudek")],
}
TITLES = {"en": "Question about a delivery", "pl": "Pytanie o dostawę"}
DAYS, PER_GROUP = 21, 36
SOURCES = [TicketSource.EMAIL] * 5 + [TicketSource.PHONE] * 3 + [TicketSource.WEB] * 2 + [TicketSource.SMS]


@transaction.atomic
def load_reports_demo(language: str = "en") -> None:
    """Past tickets in anna's managed groups; nothing without anna or once loaded."""
    anna = User.objects.filter(username="anna").first()
    if anna is None:
        return
    groups = list(report_groups(anna).order_by("pk"))
    if not groups or Contact.objects.filter(points__value__startswith="report-demo-").exists():
        return
    rng = random.Random(16)  # noqa: S311 - demo data, the same each time
    now = timezone.now().replace(second=0, microsecond=0)
    names = NAMES.get(language, NAMES["en"])
    serial = 0
    for group in groups:
        members = list(User.objects.filter(memberships__group=group).order_by("username"))
        closing = {kind: Status.objects.filter(group=group, kind=kind).first() for kind in StatusKind.closed_kinds()}
        for _n in range(PER_GROUP):
            serial += 1
            first, last = names[serial % len(names)]
            contact = do_create_contact(
                kind=Contact.Kind.PERSON,
                first_name=first,
                last_name=last,
                emails=[f"report-demo-{serial}@example.org"],
                acting_user=None,
            )
            created = now - dt.timedelta(days=rng.uniform(0.5, DAYS))
            owner = rng.choice(members) if members else None
            ticket = do_create_ticket(
                group,
                contact=contact,
                source=rng.choice(SOURCES),
                acting_user=None,
                title=TITLES.get(language, TITLES["en"]),
                owner=owner,
            )
            answered = created + dt.timedelta(minutes=rng.expovariate(1 / 90))
            first_replied_at = None
            if owner is not None and answered < now:
                reply = Activity.objects.create(ticket=ticket, kind=ActivityKind.EMAIL_OUT, actor=owner, body="…")
                Activity.objects.filter(pk=reply.pk).update(created_at=answered)
                first_replied_at = answered
            Ticket.objects.filter(pk=ticket.pk).update(
                created_at=created, updated_at=created, first_replied_at=first_replied_at
            )
            closed = answered + dt.timedelta(hours=rng.expovariate(1 / 30))
            if closed < now and rng.random() < 0.85:
                ticket.refresh_from_db()
                kind = rng.choices(
                    [StatusKind.CLOSED, StatusKind.CLOSED_SUCCESS, StatusKind.SUCCESS_CANCELLED], [5, 3, 1]
                )[0]
                do_close_ticket(ticket, status=closing.get(kind), acting_user=None)
                Ticket.objects.filter(pk=ticket.pk).update(closed_at=closed, updated_at=closed)
            # Its service-level clock ran for a moment today, not over its past: it has none, so
            # the reports count its times in calendar time.
            TicketClock.objects.filter(ticket=ticket).delete()
