"""Demo data of queue reports (PHONE-08): the Volunteers line (the demo's phone line, its IVR and
voicemail) reports every 30 minutes; today's shifts of Anna (its manager, clocked out a little
while ago) and Geoff (Grzegorz in Polish, still on shift) with their reports: one missed, one
saying a node is out; Geoff's newest still due, so his pages show the dialog. Loaded with the
demo (`switchboard run --demo`), once."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from switchboard.shift.models import Area, QueueReport, Shift
from switchboard.shift.queue_reports import Figures, do_file_queue_report, due_times
from switchboard.tickets.demo_texts import DEMO_TEXTS, VOLUNTEERS
from switchboard.tickets.models import Group

AREAS = {"en": ["Riverside", "Old Town", "Northgate"], "pl": ["Kraków", "Wieliczka", "Skawina"]}
COMMENTS = {
    "en": {3: "Two callers asked about Saturday's pick-up.", 5: "Riverside node down since 10:40, per Dispatch."},
    "pl": {3: "Dwie osoby pytały o sobotni odbiór.", 5: "Węzeł Kraków nie działa od 10:40, według dyspozytorni."},
}


@transaction.atomic
def load_queue_report_demo(language: str = "en") -> None:
    group = Group.objects.filter(slug=DEMO_TEXTS[language].groups[VOLUNTEERS][1]).first()
    if group is None or QueueReport.objects.filter(group=group).exists():
        return
    group.queue_report_minutes = 30
    group.save(update_fields=["queue_report_minutes"])
    areas = [
        Area.objects.get_or_create(name=name, defaults={"position": n})[0] for n, name in enumerate(AREAS[language])
    ]
    usernames = [DEMO_TEXTS[language].agents[0][0], DEMO_TEXTS[language].agents[1][0]]  # anna, geoff
    now = timezone.now()
    start = (now - dt.timedelta(hours=4)).replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
    for position, agent in enumerate(User.objects.filter(username__in=usernames).order_by("username")):
        shift = Shift.objects.filter(agent=agent, ended_at__isnull=True).first()
        if shift is None:  # Anna (the manager) clocked out a little while ago; Geoff is still on
            ended = (now - dt.timedelta(minutes=10)) if position == 0 else None
            shift = Shift.objects.create(agent=agent, started_at=start, ended_at=ended)
        times = due_times(shift.started_at, 30, until=shift.ended_at or now)
        for k, due in enumerate(times, start=1):
            report = QueueReport.objects.create(agent=agent, group=group, due_at=due, notified_at=due)
            last = k == len(times)
            if position == 1 and (k == 3 or last):  # geoff: one missed, the newest still due
                if not last:
                    QueueReport.objects.filter(pk=report.pk).update(missed_at=due + dt.timedelta(minutes=5))
                continue
            outage = position == 0 and k == 5
            figures = Figures(
                calls_waiting=(k * 3 + position * 2) % 9,
                minutes_waiting=(k * 5 + position) % 13,
                outage=outage,
                area=areas[0] if outage else None,
                comment=COMMENTS[language].get(k, "") if position == 0 else "",
            )
            filed = do_file_queue_report(report, figures, via=QueueReport.Via.PAGE, acting_user=agent, now=due)
            QueueReport.objects.filter(pk=filed.pk).update(filed_at=due + dt.timedelta(minutes=1 + k % 3))
