"""The queue report's pages (PHONE-08): the agent's dialog (fetched by queue_report.js when the
report is pushed, rendered by base.html after a reload), filing it, a manager's day of reports
with its CSV, and a manager's queue figures by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.core.http import AgentRequest, csv_download
from switchboard.shift.models import Outage, QueueReport
from switchboard.shift.queue_report_forms import DayForm, QueueFiguresForm, QueueReportForm
from switchboard.shift.queue_report_selectors import find_due_report, get_day, list_day_reports
from switchboard.shift.queue_reports import QueueReportError, do_enter_queue_figures, do_file_queue_report
from switchboard.tickets.manager_pages import managed_group

REFUSAL = _("Only the group's managers see its queue reports.")


def outage_offer(report: QueueReport) -> str:
    """The link that opens an outage in the report's area, when it said "out" and none is open."""
    if not report.outage or report.area_id is None:
        return ""
    if Outage.objects.filter(area_id=report.area_id, ended_at__isnull=True).exists():
        return ""
    return f"{reverse('new_outage')}?area={report.area_id}"


def _is_fetch(request: AgentRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@login_required
def queue_report_dialog(request: AgentRequest) -> HttpResponse:
    """The dialog of the report due now, or nothing (204)."""
    report = find_due_report(request.user)
    if report is None:
        return HttpResponse(status=204)
    return render(request, "shift/_queue_report_dialog.html", {"report": report, "form": QueueReportForm()})


@login_required
@require_POST
def file_queue_report(request: AgentRequest, report_id: int) -> HttpResponse:
    """File the dialog; refused, it comes back with what was entered and why."""
    report = QueueReport.objects.select_related("group").filter(pk=report_id, agent=request.user).first()
    if report is None:
        raise Http404
    form = QueueReportForm(request.POST)
    if form.is_valid():
        try:
            report = do_file_queue_report(report, form.figures, via=QueueReport.Via.PAGE, acting_user=request.user)
        except QueueReportError as error:
            form.add_error(None, str(error))
    if form.errors:
        context = {"report": report, "form": form}
        if _is_fetch(request):
            return render(request, "shift/_queue_report_dialog.html", context, status=400)
        return render(request, "shift/queue_report_page.html", context, status=400)
    offer = outage_offer(report)
    if _is_fetch(request):
        return render(request, "shift/_queue_report_filed.html", {"report": report, "offer": offer})
    messages.success(request, _("Queue report filed."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return redirect(offer or target)


def _day(request: AgentRequest) -> tuple[dt.date, DayForm]:
    form = DayForm(request.GET)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or timezone.localdate()
    return day, DayForm(initial={"day": day})


@login_required
def queue_reports(request: AgentRequest, slug: str) -> HttpResponse:
    """A manager's day of reports: agents × half hours, missed ones in red, outages by area."""
    group = managed_group(request, slug, refusal=REFUSAL)
    day, day_form = _day(request)
    zone = ZoneInfo(str(timezone.get_current_timezone()))
    context = {
        "day_form": day_form,
        "group": group,
        "day": day,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
        "report_day": get_day(group, day, zone),
        "figures_form": QueueFiguresForm(),
    }
    return render(request, "shift/queue_reports.html", context)


@login_required
def export_queue_reports(request: AgentRequest, slug: str) -> StreamingHttpResponse:
    """The day's reports as CSV, one line per report."""
    group = managed_group(request, slug, refusal=REFUSAL)
    day, _form = _day(request)
    zone = ZoneInfo(str(timezone.get_current_timezone()))
    reports = list_day_reports(group, day, zone)

    def when(value: dt.datetime | None) -> str:
        return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M") if value else ""

    def rows() -> Iterator[list[object]]:
        yield [_("Due"), _("Agent"), _("Filed"), _("Missed"), _("Calls in queue"), _("Minutes waiting"),
               _("Outage"), _("Area"), _("Comment"), _("Filed through")]  # fmt: skip
        for report in reports:
            yield [
                when(report.due_at),
                report.agent.get_full_name() or report.agent.get_username(),
                when(report.filed_at),
                when(report.missed_at),
                "" if report.calls_waiting is None else report.calls_waiting,
                "" if report.minutes_waiting is None else report.minutes_waiting,
                _("yes") if report.outage else (_("no") if report.filed_at else ""),
                report.area.name if report.area else "",
                report.comment,
                report.get_via_display() if report.via else "",
            ]

    filename = f"{slugify(group.name) or group.slug}-queue-reports-{day.isoformat()}.csv"
    return csv_download(rows(), filename=filename)


@login_required
@require_POST
def enter_queue_figures(request: AgentRequest, slug: str) -> HttpResponse:
    """A manager's queue figures by hand; they show in the group's header as the latest."""
    group = managed_group(request, slug, refusal=REFUSAL)
    form = QueueFiguresForm(request.POST)
    if form.is_valid():
        do_enter_queue_figures(group, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Queue figures saved."))
    else:
        errors = "; ".join(
            f"{form.fields[name].label}: {' '.join(str(text) for text in error)}" for name, error in form.errors.items()
        )
        messages.error(request, errors)
    return redirect("queue_reports", slug=group.slug)
