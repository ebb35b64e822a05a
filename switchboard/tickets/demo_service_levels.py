"""Demo data of service levels (ROUTE-07): the demo's groups get a calendar (weekdays and a short
Saturday, Europe/Warsaw, the Christmas and New Year holidays) and targets, and a few of their
open tickets are near or past their target, so that the lists show both marks. Loaded with the
demo (`switchboard run`), once."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from switchboard.tickets.demo import demo_group
from switchboard.tickets.demo_texts import CLIENTS, DONATIONS, VOLUNTEERS
from switchboard.tickets.models import ServiceLevel, Ticket, TicketClock
from switchboard.tickets.service_level_actions import ServiceLevelValues, do_set_service_level

WEEKDAYS = {str(day): [["08:00", "18:00"]] for day in range(5)}
HOLIDAYS = ["2026-12-24", "2026-12-25", "2026-12-26", "2027-01-01", "2027-01-06"]
Rule = ServiceLevel.BreachRule
# group → (first response, resolution) in business minutes, near at per cent, rule, Saturday hours
TARGETS = {
    VOLUNTEERS: (4 * 60, 24 * 60, 80, Rule.NOTIFY_OWNER, []),
    DONATIONS: (2 * 60, 8 * 60, 75, Rule.NOTIFY_MANAGERS, [["09:00", "13:00"]]),
    CLIENTS: (60, 4 * 60, 80, Rule.SECOND_LEVEL, [["09:00", "13:00"]]),
}


@transaction.atomic
def load_service_level_demo(language: str = "en") -> None:
    """Calendars and targets for the demo's groups, and tickets near and past breach; nothing if
    the demo has no admin or its groups have service levels already. (``language``: the groups'
    names are the demo's own.)"""
    admin = User.objects.filter(username="admin", is_superuser=True).first()
    if admin is None or ServiceLevel.objects.exists():
        return
    now = timezone.now()
    groups = []
    for role, (first, resolution, near, rule, saturday) in TARGETS.items():
        group = demo_group(role)
        if group is None:
            continue
        week = {**WEEKDAYS, **({"5": saturday} if saturday else {})}
        values = ServiceLevelValues("Europe/Warsaw", week, HOLIDAYS, first, resolution, near, rule)
        do_set_service_level(group, values=values, acting_user=admin)
        groups.append(group)
    # The demo cannot wait for hours to pass: in each group, of the tickets whose clock runs, the
    # first is 1 h 35 min past its first-response target (its rule already applied), the next
    # due in 25 minutes, near it.
    past, soon = now - dt.timedelta(minutes=95), now + dt.timedelta(minutes=25)
    for group in groups:
        running = Ticket.objects.filter(group=group, closed_at__isnull=True, service_clock__due_at__isnull=False)
        for n, ticket_id in enumerate(running.order_by("number").values_list("pk", flat=True)[:2]):
            clocks = TicketClock.objects.filter(ticket_id=ticket_id)
            if n == 0:
                clocks.update(due_at=past, near_at=past, first_response_due_at=past, first_response_breached_at=past)
            else:
                clocks.update(due_at=soon, near_at=now - dt.timedelta(minutes=10), first_response_due_at=soon)
