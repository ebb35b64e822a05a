"""Demo data of the time clock (AGENT-05): last week's and this week's shifts of the demo agents
with their breaks, one shift closed automatically (a forgotten clock-out), one corrected by Anna
with the reason, and Anna, the manager, clocked in this morning. Loaded with the demo
(`switchboard run`), once."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from switchboard.shift.clock import do_clock_in, do_correct_shift, shift_hours_of
from switchboard.shift.hours import zone_of
from switchboard.shift.models import Break, BreakReason, Shift

CORRECTION = {
    "en": "Forgot to clock in at the door: the badge reader says 07:50.",
    "pl": "Zapomniał odbić kartę przy wejściu: czytnik kart pokazuje 7:50.",
}
# (agent's place in the demo's agents, start hour, shift hours): the morning and the late shift.
PATTERNS = [(8, 8.5), (12, 8.5), (9, 8), (14, 8)]


@transaction.atomic
def load_clock_demo(language: str = "en") -> None:
    """Shifts of the demo's agents; nothing if there is no anna or shifts exist already."""
    anna = User.objects.filter(username="anna").select_related("agent_profile").first()
    if anna is None or Shift.objects.exists():
        return
    agents = list(User.objects.filter(memberships__isnull=False).exclude(pk=anna.pk).distinct().order_by("pk"))
    agents.append(anna)
    now = timezone.now()
    today = now.astimezone(zone_of(anna)).date()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    days = [monday + dt.timedelta(days=offset) for offset in range(12)]  # last week's and this week's
    forgotten = corrected = None
    for index, agent in enumerate(agents):
        zone = zone_of(agent)
        hour, length = PATTERNS[index % len(PATTERNS)]
        for day in days:
            if day.weekday() >= 5 or day >= today:  # weekends off; today's shifts have not begun
                continue
            start = dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)
            shift = Shift.objects.create(agent=agent, started_at=start, ended_at=start + dt.timedelta(hours=length))
            Break.objects.create(
                shift=shift,
                reason=BreakReason.SHORT,
                started_at=start + dt.timedelta(hours=2, minutes=15),
                ended_at=start + dt.timedelta(hours=2, minutes=30),
            )
            Break.objects.create(
                shift=shift,
                reason=BreakReason.LUNCH if day.weekday() != 2 else BreakReason.TRAINING,
                started_at=start + dt.timedelta(hours=4),
                ended_at=start + dt.timedelta(hours=4, minutes=30 if day.weekday() != 2 else 60),
            )
            if index == 1 and day == monday + dt.timedelta(days=3):
                forgotten = shift
            if index == 0 and day == monday + dt.timedelta(days=1):
                corrected = shift
    if forgotten is not None:  # clocked in and never out: closed at the shift length, flagged
        Break.objects.filter(shift=forgotten).delete()
        Break.objects.create(
            shift=forgotten,
            reason=BreakReason.LUNCH,
            started_at=forgotten.started_at + dt.timedelta(hours=4),
            ended_at=forgotten.started_at + dt.timedelta(hours=4, minutes=30),
        )
        forgotten.ended_at = forgotten.started_at + dt.timedelta(hours=shift_hours_of(forgotten.agent))
        forgotten.auto_closed = True
        forgotten.save(update_fields=["ended_at", "auto_closed"])
    if corrected is not None:
        do_correct_shift(
            corrected,
            started_at=corrected.started_at - dt.timedelta(minutes=10),
            ended_at=corrected.ended_at,
            breaks={},
            reason=CORRECTION[language],
            acting_user=anna,
        )
    start = dt.datetime.combine(today, dt.time(8), tzinfo=zone_of(anna)).astimezone(dt.UTC)
    # At 08:00, or later on an evening's demo: never so long ago that the forgotten-shift job closes it.
    do_clock_in(acting_user=anna, now=min(max(start, now - dt.timedelta(hours=6)), now - dt.timedelta(minutes=30)))
