"""Queue reports (PHONE-08): asking for them, filing them, and telling managers of missed ones.

Due times are the shift's start + k × the group's interval (k = 1, 2, …). The minute job
(``tasks.open_due_queue_reports``) creates a row for every due time of every agent on shift in a
group with reports on (home agents do not report), idempotently through the unique constraint, and
pushes the dialog to the agent's pages once per report (``notified_at``, claimed by a conditional
update). A report still unfiled ``MISSED_AFTER`` after its due time is marked missed and its
group's managers are told, live and by email, once (``missed_at``, claimed the same way). A missed
report may still be filed late; the dialog asks for the newest unfiled report of the shift.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from switchboard.shift.models import Area, QueueReport, Shift
from switchboard.shift.report_mail import REPORT_FORMAT_HELP, report_address
from switchboard.tickets.callbacks import agent_channel_group
from switchboard.tickets.messaging import agent_language, messenger
from switchboard.tickets.models import Group, Membership

MISSED_AFTER = dt.timedelta(minutes=5)
# Reports long overdue when first seen (the scheduler was stopped) are not pushed or alerted.
NOTICE_WINDOW = dt.timedelta(hours=1)
REPORTING_ROLES = [Membership.Role.AGENT, Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]
MANAGER_ROLES = [Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]


class QueueReportError(Exception):
    """A report that cannot be filed, in words for the agent."""


def due_times(started_at: dt.datetime, minutes: int, *, until: dt.datetime) -> list[dt.datetime]:
    """The report times of a shift that began at ``started_at``, up to ``until``."""
    step = dt.timedelta(minutes=minutes)
    times, due = [], started_at + step
    while due <= until:
        times.append(due)
        due += step
    return times


def do_open_due_reports(*, now: dt.datetime | None = None) -> int:
    """Create every report that has come due for the agents on shift and push the dialog to the
    agents of the new ones; returns how many were pushed. Safe to run twice at once."""
    now = now or timezone.now()
    shifts = {shift.agent_id: shift for shift in Shift.objects.filter(ended_at__isnull=True, agent__is_active=True)}
    memberships = Membership.objects.filter(
        user_id__in=shifts, role__in=REPORTING_ROLES, group__queue_report_minutes__isnull=False
    ).values_list("user_id", "group_id", "group__queue_report_minutes")
    rows = [
        QueueReport(agent_id=user_id, group_id=group_id, due_at=due)
        for user_id, group_id, minutes in memberships
        if minutes
        for due in due_times(shifts[user_id].started_at, minutes, until=now)
    ]
    if not rows:
        return 0
    QueueReport.objects.bulk_create(rows, ignore_conflicts=True)
    unasked = QueueReport.objects.filter(
        agent_id__in=shifts, notified_at__isnull=True, filed_at__isnull=True, due_at__lte=now
    )
    unasked.filter(due_at__lt=now - NOTICE_WINDOW).update(notified_at=now)
    pushed = []
    for report in unasked.select_related("group").order_by("due_at"):
        if QueueReport.objects.filter(pk=report.pk, notified_at__isnull=True).update(notified_at=now):
            pushed.append(report)
    _push([(report.agent_id, due_event(report)) for report in pushed])
    return len(pushed)


def due_event(report: QueueReport) -> dict[str, object]:
    """The live event that opens the dialog (queue_report.js fetches the form itself)."""
    assert report.due_at is not None
    return {
        "type": "queue_report.due",
        "report": report.pk,
        "group": report.group_id,
        "due": report.due_at.astimezone(dt.UTC).isoformat(),
    }


@dataclass(frozen=True)
class Figures:
    calls_waiting: int
    minutes_waiting: int
    outage: bool = False
    area: Area | None = None
    comment: str = ""


def do_file_queue_report(
    report: QueueReport, figures: Figures, *, via: str, acting_user: User, now: dt.datetime | None = None
) -> QueueReport:
    """The agent files ``report`` (from the dialog or by email); a missed one may be filed late."""
    now = now or timezone.now()
    if report.agent_id != acting_user.pk:
        raise QueueReportError(_("This queue report is not yours."))
    if figures.outage and figures.area is None:
        raise QueueReportError(_("Say in which area the outage is."))
    with transaction.atomic():  # also inside the intake's transaction (an emailed report)
        claimed = QueueReport.objects.filter(pk=report.pk, filed_at__isnull=True).update(
            filed_at=now,
            via=via,
            calls_waiting=figures.calls_waiting,
            minutes_waiting=figures.minutes_waiting,
            outage=figures.outage,
            area=figures.area if figures.outage else None,
            comment=figures.comment.strip(),
        )
        if not claimed:
            raise QueueReportError(_("This queue report has been filed already."))
        event = {"type": "queue_report.filed", "report": report.pk, "group": report.group_id}
        transaction.on_commit(lambda: _push([(report.agent_id, event)]))
    report.refresh_from_db()
    return report


def do_enter_queue_figures(
    group: Group, *, calls_waiting: int, minutes_waiting: int, acting_user: User, now: dt.datetime | None = None
) -> QueueReport:
    """A manager enters the queue figures by hand (read from the phone system's display)."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        return QueueReport.objects.create(
            agent=acting_user,
            group=group,
            due_at=None,
            filed_at=now,
            via=QueueReport.Via.MANAGER,
            calls_waiting=calls_waiting,
            minutes_waiting=minutes_waiting,
        )


def find_report_to_file(group: Group, agent: User, *, now: dt.datetime | None = None) -> QueueReport | None:
    """The report an emailed one stands for: the agent's newest unfiled report in ``group`` of
    their open shift (created here if the minute job has not run yet)."""
    now = now or timezone.now()
    shift = Shift.objects.filter(agent=agent, ended_at__isnull=True).first()
    if shift is None or not group.queue_report_minutes:
        return None
    times = due_times(shift.started_at, group.queue_report_minutes, until=now)
    if not times:
        return None
    report, _created = QueueReport.objects.get_or_create(agent=agent, group=group, due_at=times[-1])
    if report.filed_at is None:
        return report
    return None


def do_mark_missed_reports(*, now: dt.datetime | None = None) -> int:
    """Mark every report unfiled ``MISSED_AFTER`` its due time as missed and tell the group's
    managers, live and by email, once per report; returns how many were told."""
    now = now or timezone.now()
    overdue = QueueReport.objects.filter(
        filed_at__isnull=True, missed_at__isnull=True, due_at__isnull=False, due_at__lte=now - MISSED_AFTER
    )
    overdue.filter(due_at__lt=now - NOTICE_WINDOW).update(missed_at=now)
    told = 0
    for report in overdue.select_related("agent", "group").order_by("due_at"):
        with transaction.atomic():
            if not QueueReport.objects.filter(pk=report.pk, missed_at__isnull=True).update(missed_at=now):
                continue
            _tell_managers(report)
            told += 1
    return told


def group_managers(group: Group) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.filter(
            group=group, role__in=MANAGER_ROLES, user__is_active=True
        ).select_related("user__agent_profile")
    ]


def _tell_managers(report: QueueReport) -> None:
    assert report.due_at is not None
    agent = report.agent.get_full_name() or report.agent.get_username()
    managers = group_managers(report.group)
    event = {
        "type": "queue_report.missed",
        "report": report.pk,
        "group": report.group_id,
        "group_name": report.group.name,
        "agent": agent,
        "due": report.due_at.astimezone(dt.UTC).isoformat(),
    }
    for manager in managers:
        if not manager.email:
            continue
        with translation.override(agent_language(manager)):
            due = timezone.localtime(report.due_at).strftime("%H:%M")
            subject = _("Queue report missed: %(agent)s, %(group)s, %(time)s") % {
                "agent": agent,
                "group": report.group.name,
                "time": due,
            }
            lines = [
                _("%(agent)s has not filed the queue report due at %(time)s in %(group)s.")
                % {"agent": agent, "time": due, "group": report.group.name},
                "",
                _("Where the page cannot be used, the report may be emailed to %(address)s.")
                % {"address": report_address(report.group)},
                str(REPORT_FORMAT_HELP),
            ]
            messenger().email_agent(manager, group=report.group, subject=subject, text="\n".join(lines))
    pushes = [(manager.pk, event) for manager in managers]
    transaction.on_commit(lambda: _push(pushes))


def _push(events: list[tuple[int, dict[str, object]]]) -> None:
    layer = get_channel_layer()
    if layer is None or not events:
        return

    async def send_all() -> None:
        for user_id, event in events:
            await layer.group_send(agent_channel_group(user_id), event)

    async_to_sync(send_all)()
