"""The reports' daily summary (ADMIN-02): built by the job, it gives the figures the live reading
gives (counts exactly, percentiles within a bucket's width), a change after a build shows once
the job has run (and is read live until then), a report across built and unbuilt days adds
both, and the page costs the same queries for 10 and 1,000 tickets when read from it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import Min
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from switchboard.tickets.actions import do_assign_ticket, do_close_ticket, do_move_ticket, do_reopen_ticket
from switchboard.tickets.models import ReportBuiltDay, ReportBuiltMonth, StatusKind
from switchboard.tickets.report_agent_selectors import get_agent_rows
from switchboard.tickets.report_day_builds import build_day, do_build_report_days
from switchboard.tickets.report_days import Split, bucket_of, histogram_percentile, lower_edge
from switchboard.tickets.report_selectors import (
    ReportFilter,
    get_service_levels,
    get_times,
    get_volume,
    list_volume_rows,
)
from switchboard.tickets.status_actions import StatusValues, do_update_status
from switchboard.tickets.tasks import build_report_days
from switchboard.tickets.tests import test_reports
from switchboard.tickets.tests.factories import make_agent
from switchboard.tickets.tests.test_reports import WARSAW, at, reply, report

pytestmark = pytest.mark.spec("ADMIN-02")

data_set = test_reports.data_set  # the reports' small fixed data set (a fixture)

PRECISION = 2 ** (1 / 4)  # a percentile from the summary is within one bucket: a factor of 2^(1/4)


@pytest.fixture(autouse=True)
def warsaw_organisation(settings):
    settings.TIME_ZONE = "Europe/Warsaw"  # the summary's days are the organisation's: the readers'


def live(found: ReportFilter) -> ReportFilter:
    """The same report read live whole, as when no day is built."""
    whole = Split((), ((found.start, found.end),))
    copy = dataclasses.replace(found)
    copy.__dict__.update(split=whole, agents_split=whole)
    return copy


def figures(found: ReportFilter) -> dict[str, object]:
    volume = get_volume(found)
    return {
        "per_day": volume.per_day(),
        "backlog": volume.backlog(),
        "per_source": volume.per_source,
        "status": volume.by_status_kind,
        "rows": list_volume_rows(found),
        "levels": get_service_levels(found),
        "times": get_times(found),
        "agents": get_agent_rows(found),
    }


def assert_close(summary: float | None, exact: float | None) -> None:
    if exact is None or summary is None:
        assert summary == exact
    elif exact < 60:
        assert summary < 60
    else:
        assert exact / PRECISION <= summary <= exact * PRECISION


def assert_same(summary: dict[str, object], exact: dict[str, object]) -> None:
    """Counts equal, percentiles within the summary's precision."""
    for name in ("per_day", "backlog", "per_source", "status", "rows", "levels"):
        assert summary[name] == exact[name], name
    times, exact_times = summary["times"], exact["times"]
    assert (times.first_responses, times.resolutions) == (exact_times.first_responses, exact_times.resolutions)
    for name in ("first_response_median", "first_response_p90", "resolution_median", "resolution_p90"):
        assert_close(getattr(times, name), getattr(exact_times, name))
    rows = {row.agent_id: row for row in summary["agents"]}
    assert set(rows) == {row.agent_id for row in exact["agents"]}
    for row in exact["agents"]:
        found = rows[row.agent_id]
        counts = ("handled", "replies", "success", "success_cancelled", "logged_minutes")
        assert [getattr(found, name) for name in counts] == [getattr(row, name) for name in counts]
        assert_close(found.first_response_median, row.first_response_median)
        assert_close(found.handle_median, row.handle_median)


def test_a_percentile_from_the_histogram_is_within_its_bucket():
    values = [90.0, 1800.0, 7200.0, 7300.0, 86400.0, 3 * 86400.0]
    counts = [0] * 72
    for value in values:
        counts[bucket_of(value)] += 1
    assert bucket_of(59.9) == 0 and bucket_of(60.0) == 1 and lower_edge(bucket_of(7200.0)) <= 7200.0
    assert histogram_percentile([0] * 72, 0.5) is None
    assert_close(histogram_percentile(counts, 0.5), (7200.0 + 7300.0) / 2)
    assert_close(histogram_percentile(counts, 0.9), 86400.0 + 0.5 * 2 * 86400.0)


def test_the_summary_gives_the_live_figures(data_set, volunteers, donations):
    with time_machine.travel(at(10, 12), tick=False):
        reports = [
            report(volunteers, donations),
            report(volunteers),
            report(volunteers, donations, source="email"),
        ]
        exact = [figures(found) for found in reports]
        built = do_build_report_days()
        assert built[0] == dt.date(2026, 12, 9) and built[-1] == dt.date(2026, 12, 1)  # newest first, from the month
        assert do_build_report_days() == []  # nothing changed: nothing is read again
        for found, expected in zip(reports, exact, strict=True):
            found = dataclasses.replace(found)
            assert found.split.summary == tuple(dt.date(2026, 12, day) for day in range(4, 8))
            assert found.split.live == ()
            assert_same(figures(found), expected)
        # An agent chosen, or a reader in another time zone: read live.
        assert dataclasses.replace(reports[0], agent_id=data_set["bob"].pk).split.summary == ()
        assert dataclasses.replace(reports[0], zone=dt.UTC).split.summary == ()


def test_a_second_run_of_the_job_while_one_is_building_leaves_the_days_to_it(data_set):
    with time_machine.travel(at(10, 12), tick=False):
        with HUEY.lock_task("build-report-days"):  # a first build of a long history still going
            build_report_days.call_local()
            assert not ReportBuiltDay.objects.exists()
        build_report_days.call_local()
        assert ReportBuiltDay.objects.filter(day=dt.date(2026, 12, 9)).exists()


def test_a_report_across_built_and_unbuilt_days_adds_both(data_set, volunteers, donations):
    with time_machine.travel(at(10, 12), tick=False):
        build_day(dt.date(2026, 12, 4))
        build_day(dt.date(2026, 12, 6))
        found = report(volunteers, donations)
        assert found.split.summary == (dt.date(2026, 12, 4), dt.date(2026, 12, 6))
        assert len(found.split.live) == 2  # the 5th, and the 7th to the end
        assert_same(figures(found), figures(live(found)))


def test_a_change_after_a_build_shows_once_the_job_has_run(data_set, volunteers, donations):
    a, b, c, alice, bob = (data_set[key] for key in ("a", "b", "c", "alice", "bob"))
    carol = make_agent("carol", "CA", groups=[volunteers])
    with time_machine.travel(at(10, 12), tick=False):
        do_build_report_days()
        do_reopen_ticket(c, acting_user=bob)  # closed on the 6th, created on the 5th
        found = report(volunteers, donations)
        assert found.split.summary == (dt.date(2026, 12, 4), dt.date(2026, 12, 7))  # the stale days read live
        assert get_volume(found).per_day()[2] == (dt.date(2026, 12, 6), 0, 0)
        assert sorted(do_build_report_days()) == [dt.date(2026, 12, 5), dt.date(2026, 12, 6)]  # only those
        do_move_ticket(b, group=donations, reset_status_and_form=False, acting_user=None)  # created, answered 7th
        do_assign_ticket(b, owner=bob, acting_user=bob)
        reply(b, bob, "ben@example.org")  # today: read live
        do_close_ticket(b, status=donations.statuses.get(kind=StatusKind.CLOSED_SUCCESS), acting_user=bob)
        do_assign_ticket(a, owner=carol, acting_user=None)  # created on the 4th, closed on the 7th
        assert sorted(do_build_report_days()) == [dt.date(2026, 12, 4), dt.date(2026, 12, 7)]
        for found in (report(volunteers, donations), report(volunteers), report(donations)):
            found = dataclasses.replace(found, until=dt.date(2026, 12, 10))
            assert len(found.split.summary) == 6 and found.split.live == ((at(10, 0), at(11, 0)),)
            assert_same(figures(found), figures(live(found)))
        assert get_volume(report(volunteers)).per_day()[3] == (dt.date(2026, 12, 7), 0, 1)  # B is Donations' now
        agents = {row.agent_id: row for row in get_agent_rows(report(volunteers))}
        assert (agents[carol.pk].handled, agents[carol.pk].success) == (1, 1)  # A, closed as hers now
        assert agents[alice.pk].replies == 1  # to A; her answer to B counts in Donations now
        assert ReportBuiltDay.objects.count() == 9  # from the 1st: whole months


# The page's report: its last 360 days. The seed spreads tickets over two years; the days before
# the report's first month are built for nothing (65 ms a day on PostgreSQL), so not built.
REPORT_DAYS = 360
REPORT_DAYS_BUILT = REPORT_DAYS + 31 + 1  # and the rest of its first month, to be summed whole


def count_queries(client, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.force_login(user)
        response = client.get(
            reverse("reports"),
            {
                "since": (timezone.localdate() - dt.timedelta(days=REPORT_DAYS)).isoformat(),
                "until": timezone.localdate().isoformat(),
            },
        )
        assert response.status_code == 200
    return len(queries)


def test_the_page_read_from_the_summary_costs_the_same_queries_for_10_and_1000_tickets(client, dave_admin):
    call_command("seed_bench", tickets=10, groups=3, agents=6, seed=1, stdout=io.StringIO(), stderr=io.StringIO())
    do_build_report_days(max_days=REPORT_DAYS_BUILT)
    count_queries(client, dave_admin)  # the first request of a session sets it up
    few = count_queries(client, dave_admin)
    call_command("seed_bench", tickets=990, groups=3, agents=6, seed=2, stdout=io.StringIO(), stderr=io.StringIO())
    ReportBuiltDay.objects.all().delete()  # a seed writes in SQL, marking nothing: built again
    do_build_report_days(max_days=REPORT_DAYS_BUILT)
    found = ReportBuiltDay.objects.aggregate(first=Min("day"))["first"]
    assert found <= (timezone.localdate() - dt.timedelta(days=REPORT_DAYS)).replace(day=1), "the page reads built days"
    assert count_queries(client, dave_admin) == few


def test_a_whole_month_is_read_from_its_sums_and_summed_again_after_a_change(data_set, volunteers, donations):
    december = dict(since=dt.date(2026, 12, 1), until=dt.date(2026, 12, 31))
    with time_machine.travel(dt.datetime(2027, 1, 10, 12, tzinfo=WARSAW), tick=False):
        do_build_report_days()
        for groups in ((volunteers, donations), (volunteers,)):
            found = dataclasses.replace(report(*groups), **december)
            assert found.split.months == (dt.date(2026, 12, 1),) and found.split.live == ()
            assert_same(figures(found), figures(live(found)))
        do_reopen_ticket(data_set["c"], acting_user=data_set["bob"])  # closed on the 6th
        found = dataclasses.replace(report(volunteers, donations), **december)
        assert found.split.months == ()  # a stale day in it: its days' rows, and the stale days live
        assert_same(figures(found), figures(live(found)))
        assert ReportBuiltMonth.objects.filter(month=dt.date(2026, 12, 1)).exists()
        do_build_report_days()
        found = dataclasses.replace(report(volunteers, donations), **december)
        assert found.split.months == (dt.date(2026, 12, 1),)
        assert_same(figures(found), figures(live(found)))
        assert get_volume(found).per_source["web"] == (1, 0)  # C, open again


def test_a_change_of_a_statuss_kind_shows_once_the_job_has_run(data_set, volunteers, dave_admin):
    alice = data_set["alice"]
    with time_machine.travel(at(10, 12), tick=False):
        do_build_report_days()
        success = volunteers.statuses.get(kind=StatusKind.CLOSED_SUCCESS)  # A's, closed on the 7th
        values = StatusValues(name="Done", kind=StatusKind.CLOSED, colour="")
        do_update_status(success, values=values, acting_user=dave_admin)  # no longer a success

        assert do_build_report_days() == [dt.date(2026, 12, 7)]
        found = report(volunteers)
        assert dt.date(2026, 12, 7) in found.split.summary and found.split.live == ()  # read from the summary
        agents = {row.agent_id: row for row in get_agent_rows(found)}
        assert (agents[alice.pk].handled, agents[alice.pk].success) == (1, 0)
        assert_same(figures(found), figures(live(found)))
