"""The time clock's pages (AGENT-05): the navbar's clocking buttons (each a POST that returns to
the page it was pressed on), the end of the shift, the hours pages with their CSV, and the
managers' corrections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from switchboard.core.http import AgentRequest, csv_download
from switchboard.shift.clock import (
    ClockError,
    can_correct,
    do_clock_in,
    do_clock_out,
    do_correct_shift,
    do_end_break,
    do_start_break,
)
from switchboard.shift.clock_forms import CorrectionForm
from switchboard.shift.handover import do_hand_over_ticket, list_tickets_waiting_on
from switchboard.shift.hours import AgentWeek, list_weeks, parse_week, week_label, zone_of
from switchboard.shift.models import Shift
from switchboard.tickets.models import Group, Membership
from switchboard.tickets.permissions import can_manage, visible_groups


def _back(request: AgentRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return target if target and allowed else reverse("home")


def _clocking(request: AgentRequest, run: Callable[[], object], done: str) -> HttpResponse:
    try:
        run()
    except ClockError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(_back(request))


@login_required
@require_POST
def clock_in(request: AgentRequest) -> HttpResponse:
    return _clocking(request, lambda: do_clock_in(acting_user=request.user), _("Clocked in. Go ready when you are."))


@login_required
@require_POST
def start_break(request: AgentRequest) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _clocking(request, lambda: do_start_break(reason=reason, acting_user=request.user), _("Enjoy your break."))


@login_required
@require_POST
def end_break(request: AgentRequest) -> HttpResponse:
    return _clocking(request, lambda: do_end_break(acting_user=request.user), _("Welcome back. Go ready when you are."))


@login_required
@require_POST
def clock_out(request: AgentRequest) -> HttpResponse:
    """Clock out; with tickets waiting on the agent, the end-of-shift page first."""
    if list_tickets_waiting_on(request.user).exists():
        return redirect(reverse("end_of_shift") + "?" + _next_query(request))
    return _clocking(request, lambda: do_clock_out(acting_user=request.user), _("Clocked out. See you next shift."))


def _next_query(request: AgentRequest) -> str:
    return urlencode({"next": _back(request)})


@login_required
def end_of_shift(request: AgentRequest) -> HttpResponse:
    """The agent's tickets waiting on them: hand each over or keep it, then clock out."""
    tickets = list(list_tickets_waiting_on(request.user))
    if request.method == "POST":
        handed = 0
        for ticket in tickets:
            if request.POST.get(f"ticket-{ticket.number}") == "hand_over":
                do_hand_over_ticket(ticket, acting_user=request.user)
                handed += 1
        if handed:
            text = ngettext(
                "%(count)d ticket handed over by the group's rule.",
                "%(count)d tickets handed over by the group's rule.",
                handed,
            )
            messages.info(request, text % {"count": handed})
        return _clocking(request, lambda: do_clock_out(acting_user=request.user), _("Clocked out. See you next shift."))
    return render(request, "shift/end_of_shift.html", {"tickets": tickets, "next": _back(request)})


# --- hours ---------------------------------------------------------------------------------------


def _week(request: AgentRequest) -> dt.date:
    return parse_week(request.GET.get("week", ""), today=timezone.localdate())


def _csv(weeks: Sequence[AgentWeek], monday: dt.date, filename: str) -> StreamingHttpResponse:
    days = [monday + dt.timedelta(days=offset) for offset in range(7)]

    def rows() -> Iterator[list[object]]:
        yield [_("Agent"), _("Time zone"), *[day.isoformat() for day in days], _("Week"), _("Closed automatically")]
        for week in weeks:
            name = week.agent.get_full_name() or week.agent.get_username()
            hours = [f"{seconds / 3600:.2f}" for seconds in week.days]
            yield [name, str(week.zone), *hours, f"{week.total / 3600:.2f}", week.flagged]

    return csv_download(rows(), filename=f"{filename}-{week_label(monday)}.csv")


def _page(request: AgentRequest, weeks: list[AgentWeek], monday: dt.date, **extra: object) -> HttpResponse:
    days = [monday + dt.timedelta(days=offset) for offset in range(7)]
    context = {
        "weeks": weeks,
        "days": days,
        "week": week_label(monday),
        "previous": week_label(monday - dt.timedelta(days=7)),
        "following": week_label(monday + dt.timedelta(days=7)),
        "has_shifts": any(week.shifts for week in weeks),
        "this_week": week_label(parse_week("", today=timezone.localdate())),
        "managed_groups": _managed_groups(request.user),
        **extra,
    }
    return render(request, "shift/hours.html", context)


def _managed_groups(user: User) -> list[Group]:
    if user.is_superuser:
        return list(Group.objects.order_by("name"))
    roles = [Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]
    return list(Group.objects.filter(memberships__user=user, memberships__role__in=roles).order_by("name"))


@login_required
def my_hours(request: AgentRequest) -> HttpResponse | StreamingHttpResponse:
    """The agent's own hours, per day and week, their shifts and breaks, and any correction."""
    monday = _week(request)
    agent = User.objects.select_related("agent_profile").get(pk=request.user.pk)
    weeks = list_weeks([agent], monday)
    if request.GET.get("format") == "csv":
        return _csv(weeks, monday, "hours")
    return _page(request, weeks, monday, group=None, can_correct=False)


@login_required
def group_hours(request: AgentRequest, slug: str) -> HttpResponse | StreamingHttpResponse:
    """The hours of a group's members, for its managers (and administrators)."""
    group = get_object_or_404(visible_groups(request.user), slug=slug)
    if not can_manage(request.user, group):
        raise PermissionDenied(_("Only the group's managers see its members' hours."))
    monday = _week(request)
    members = (
        User.objects.filter(memberships__group=group).select_related("agent_profile").order_by("first_name", "username")
    )
    weeks = list_weeks(list(members), monday)
    if request.GET.get("format") == "csv":
        return _csv(weeks, monday, f"hours-{group.slug}")
    return _page(request, weeks, monday, group=group, can_correct=True)


# --- corrections ---------------------------------------------------------------------------------


@login_required
def correct_shift(request: AgentRequest, shift_id: int) -> HttpResponse:
    """A manager's correction of a shift's and its breaks' times, in the agent's time zone, with why."""
    shift = get_object_or_404(Shift.objects.select_related("agent__agent_profile"), pk=shift_id)
    agent = shift.agent
    if not can_correct(request.user, agent):
        raise PermissionDenied(_("Only the agent's managers correct their shifts."))
    breaks = list(shift.breaks.order_by("started_at"))
    zone = zone_of(agent)
    form = CorrectionForm(request.POST or None, shift=shift, breaks=breaks, zone=zone)
    if request.method == "POST" and form.is_valid():
        try:
            do_correct_shift(
                shift,
                started_at=form.cleaned_data["started_at"],
                ended_at=form.cleaned_data.get("ended_at"),
                breaks=form.break_values(),
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ClockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Shift corrected."))
            return redirect(_back(request))
    context = {"form": form, "shift": shift, "agent": agent, "zone": zone, "next": _back(request)}
    return render(request, "shift/correct.html", context, status=400 if form.errors else 200)
