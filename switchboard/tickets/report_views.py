"""The Reports page (ADMIN-02): filters, charts and tables, and each table as CSV. Managers see
their groups' reports, administrators every group's; agents and home agents are refused."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from switchboard.core.http import AgentRequest, csv_download
from switchboard.core.widgets import LocalDateInput, small_controls
from switchboard.tickets.models import BUILT_IN_STATUS_NAMES, Category, Group, TicketSource
from switchboard.tickets.permissions import report_groups
from switchboard.tickets.report_agent_selectors import get_agent_rows
from switchboard.tickets.report_selectors import (
    ReportFilter,
    get_service_levels,
    get_times,
    get_volume,
    list_volume_rows,
)

MAX_DAYS = 366
CSV_TABLES = ("volume", "backlog", "status", "times", "agents", "service-levels")


class ReportForm(forms.Form):
    since = forms.DateField(label=_("From"), widget=LocalDateInput, required=False)
    until = forms.DateField(label=_("To"), widget=LocalDateInput, required=False)
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.none(), required=False, empty_label=_("All groups")
    )
    source = forms.ChoiceField(label=_("Channel"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label=_("All categories")
    )
    agent = forms.ModelChoiceField(
        label=_("Agent"), queryset=User.objects.none(), required=False, empty_label=_("All agents")
    )

    def __init__(self, groups: Any, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["group"]).queryset = groups.order_by("name")
        cast(forms.ChoiceField, self.fields["source"]).choices = [("", _("All channels")), *TicketSource.choices]
        category = cast("forms.ModelChoiceField[Any]", self.fields["category"])
        category.queryset = Category.objects.filter(group__in=groups).order_by("name")
        agent = cast("forms.ModelChoiceField[Any]", self.fields["agent"])
        agent.queryset = (
            User.objects.filter(memberships__group__in=groups).distinct().order_by("first_name", "last_name")
        )
        agent.label_from_instance = lambda user: user.get_full_name() or user.get_username()  # type: ignore[method-assign,assignment]
        small_controls(self.fields.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        until = data.get("until") or today
        since = data.get("since") or until - dt.timedelta(days=29)
        if since > until:
            raise forms.ValidationError(gettext("The start date is after the end date."))
        if (until - since).days >= MAX_DAYS:
            raise forms.ValidationError(gettext("Choose at most a year."))
        data["since"], data["until"] = since, until
        return data


def _report(request: AgentRequest) -> tuple[ReportForm, ReportFilter | None]:
    groups = report_groups(request.user)
    if not groups.exists():
        raise PermissionDenied(gettext("Reports are for the managers and the administrators."))
    query = request.GET.copy()
    for key, day in _defaults().items():  # a link with only a group (the Team page's) shows the dates too
        if query and not query.get(key):
            query[key] = formats.localize_input(day, str(formats.get_format("DATE_INPUT_FORMATS")[0]))
    form = ReportForm(groups, query or None, initial=_defaults())
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else _defaults()
    chosen = [data["group"].pk] if data.get("group") else list(groups.values_list("pk", flat=True))
    return form, ReportFilter(
        group_ids=tuple(chosen),
        since=data["since"],
        until=data["until"],
        zone=timezone.get_current_timezone(),
        source=data.get("source") or "",
        category_id=data["category"].pk if data.get("category") else None,
        agent_id=data["agent"].pk if data.get("agent") else None,
    )


def _defaults() -> dict[str, Any]:
    until = timezone.localdate()
    return {"since": until - dt.timedelta(days=29), "until": until}


def _minutes(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds / 60)


def _tables(report: ReportFilter, only: str = "") -> dict[str, Any]:
    """The figures of the page, or of one CSV table (``only``: the other figures are not read)."""
    volume = get_volume(report) if only in ("", "backlog", "status") else None
    times = get_times(report) if only in ("", "times") else None
    agents = get_agent_rows(report) if only in ("", "agents") else []
    levels = get_service_levels(report) if only in ("", "service-levels") else None
    names = dict(Group.objects.filter(pk__in=report.group_ids).values_list("pk", "name"))
    people = {
        user.pk: user.get_full_name() or user.get_username()
        for user in User.objects.filter(pk__in=[row.agent_id for row in agents])
    }
    sources = dict(TicketSource.choices)
    return {
        "volume": volume,
        "times": times,
        "agents": agents,
        "levels": levels,
        "group_names": names,
        "agent_names": people,
        "source_names": sources,
    }


def _csv_rows(name: str, report: ReportFilter) -> tuple[list[str], list[list[object]]]:
    if name not in CSV_TABLES:
        raise Http404
    tables = _tables(report, only=name)
    volume = tables["volume"]
    if name == "volume":
        head = [
            gettext("Day"),
            gettext("Channel"),
            gettext("Group"),
            pgettext("tickets counted", "Created"),
            pgettext("tickets counted", "Closed"),
        ]
        return head, [
            [
                row.day.isoformat(),
                str(tables["source_names"].get(row.source, row.source)),
                tables["group_names"].get(row.group_id, ""),
                row.created,
                row.closed,
            ]
            for row in list_volume_rows(report)
        ]
    if name == "backlog":
        return [gettext("Day"), gettext("Open at the end of the day")], [
            [d.isoformat(), n] for d, n in volume.backlog()
        ]
    if name == "status":
        return [gettext("Status"), gettext("Open tickets")], [
            [gettext(BUILT_IN_STATUS_NAMES.get(kind, kind)), n] for kind, n in volume.by_status_kind.items()
        ]
    if name == "times":
        t = tables["times"]
        return [
            gettext("Figure"),
            gettext("Median (minutes)"),
            gettext("90th percentile (minutes)"),
            gettext("Tickets"),
        ], [
            [
                gettext("First response"),
                _minutes(t.first_response_median),
                _minutes(t.first_response_p90),
                t.first_responses,
            ],
            [gettext("Resolution"), _minutes(t.resolution_median), _minutes(t.resolution_p90), t.resolutions],
        ]
    if name == "agents":
        head = [
            gettext("Agent"),
            gettext("Tickets closed as their owner"),
            gettext("Replies sent"),
            gettext("Median first response (minutes)"),
            gettext("Median handle time (minutes)"),
            gettext("Closed with success"),
            gettext("Success cancelled"),
            gettext("Time logged (minutes)"),
        ]
        return head, [
            [
                tables["agent_names"].get(row.agent_id, ""),
                row.handled,
                row.replies,
                _minutes(row.first_response_median),
                _minutes(row.handle_median),
                row.success,
                row.success_cancelled,
                row.logged_minutes,
            ]
            for row in tables["agents"]
        ]
    if name == "service-levels":
        s = tables["levels"]
        return [gettext("Target"), gettext("Measured"), gettext("Breached"), gettext("Within the target (%)")], [
            [
                gettext("First response"),
                s.first_response_measured,
                s.first_response_breached,
                _percent(s.first_response_share),
            ],
            [gettext("Resolution"), s.resolution_measured, s.resolution_breached, _percent(s.resolution_share)],
        ]
    raise Http404


def _percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


@login_required
def reports(request: AgentRequest) -> HttpResponse:
    form, report = _report(request)
    context: dict[str, Any] = {"form": form, "report": report}
    if report is not None:
        tables = _tables(report)
        volume = tables["volume"]
        context.update(tables)
        context["per_day"] = volume.per_day()
        context["backlog"] = volume.backlog()
        context["per_source"] = [(tables["source_names"].get(s, s), a, b) for s, (a, b) in volume.per_source.items()]
        context["status_rows"] = [
            (gettext(BUILT_IN_STATUS_NAMES.get(kind, kind)), n) for kind, n in volume.by_status_kind.items()
        ]
        context["agent_rows"] = [
            (
                tables["agent_names"].get(row.agent_id, ""),
                row,
                _minutes(row.first_response_median),
                _minutes(row.handle_median),
            )
            for row in tables["agents"]
        ]
        context["times_minutes"] = {
            "fr_median": _minutes(tables["times"].first_response_median),
            "fr_p90": _minutes(tables["times"].first_response_p90),
            "res_median": _minutes(tables["times"].resolution_median),
            "res_p90": _minutes(tables["times"].resolution_p90),
        }
        context["levels_percent"] = (
            _percent(tables["levels"].first_response_share),
            _percent(tables["levels"].resolution_share),
        )
        context["chart_data"] = {
            "days": [day.isoformat() for day in volume.days],
            "created": [c for _d, c, _x in context["per_day"]],
            "closed": [x for _d, _c, x in context["per_day"]],
            "backlog": [n for _d, n in context["backlog"]],
            "labels": {
                "created": pgettext("tickets counted", "Created"),
                "closed": pgettext("tickets counted", "Closed"),
                "backlog": gettext("Open at the end of the day"),
                "replies": gettext("Replies sent"),
            },
            "agents": [name for name, *_rest in context["agent_rows"]],
            "replies": [row.replies for _n, row, *_r in context["agent_rows"]],
        }
        context["query"] = request.GET.urlencode()
    status = 400 if report is None else 200
    return render(request, "tickets/reports.html", context, status=status)


@login_required
def report_csv(request: AgentRequest, table: str) -> HttpResponseBase:
    form, report = _report(request)
    if report is None:
        raise Http404
    head, rows = _csv_rows(table, report)
    return csv_download([head, *rows], filename=f"{table}-{report.since.isoformat()}-{report.until.isoformat()}.csv")
