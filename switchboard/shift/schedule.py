"""The weekly queue report schedule (PHONE-08, seed 003: "A Queue Report Schedule is sent out every
Sunday to all employees via Email"): who reports when next week, read from the time clock's last
seven days and the group's interval, emailed to the group's managers and agents (not to home
agents, who do not report)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from switchboard.shift.queue_report_selectors import ScheduleLine, list_week_schedule
from switchboard.shift.queue_reports import REPORTING_ROLES
from switchboard.shift.report_mail import REPORT_FORMAT_HELP, report_address
from switchboard.tickets.messaging import agent_language, messenger
from switchboard.tickets.models import Group, Membership


def schedule_text(group: Group, lines: list[ScheduleLine]) -> str:
    """The schedule in plain text, in the active language: one line per shift."""
    out = [
        _("Queue report schedule of %(group)s for the coming week, every %(minutes)s minutes of each shift:")
        % {"group": group.name, "minutes": group.queue_report_minutes},
        "",
    ]
    for line in lines:
        name = line.agent.get_full_name() or line.agent.get_username()
        times = ", ".join(formats.time_format(time, "H:i") for time in line.times) or "—"
        out.append(f"{WEEKDAYS[line.weekday]} {line.start:%H:%M}–{line.end:%H:%M} {name}: {times}")
    if not lines:
        out.append(_("Nobody clocked in last week."))
    out += [
        "",
        _("Where the page cannot be used, email the report to %(address)s.") % {"address": report_address(group)},
        str(REPORT_FORMAT_HELP),
    ]
    return "\n".join(out)


def do_send_week_schedules(*, now: dt.datetime | None = None) -> int:
    """Email every group's schedule to its managers and agents; returns how many emails."""
    now = now or timezone.now()
    zone = ZoneInfo(settings.TIME_ZONE)
    sent = 0
    with transaction.atomic():
        for group in Group.objects.filter(queue_report_minutes__isnull=False):
            lines = list_week_schedule(group, now=now, zone=zone)
            recipients = (
                Membership.objects.filter(group=group, role__in=REPORTING_ROLES, user__is_active=True)
                .exclude(user__email="")
                .select_related("user__agent_profile")
            )
            for membership in recipients:
                with translation.override(agent_language(membership.user)):
                    subject = _("Queue report schedule: %(group)s") % {"group": group.name}
                    messenger().email_agent(
                        membership.user, group=group, subject=subject, text=schedule_text(group, lines)
                    )
                sent += 1
    return sent
