"""Reports (ADMIN-02): the figures against hand-computed answers on a small fixed data set (one
group with a calendar, a ticket across a weekend; one group without), who may read them, the CSV
downloads, and the same number of queries for 10 and 1,000 tickets."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from switchboard.tickets.actions import do_assign_ticket, do_close_ticket
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import Group, Membership, ServiceLevel, StatusKind, Ticket, TicketSource
from switchboard.tickets.report_agent_selectors import get_agent_rows
from switchboard.tickets.report_selectors import (
    ReportFilter,
    get_service_levels,
    get_times,
    get_volume,
    list_volume_rows,
    percentile,
    utc_offsets,
)
from switchboard.tickets.service_level_actions import do_apply_service_level_breaches
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket
from switchboard.tickets.time_tracking import do_log_time

pytestmark = pytest.mark.spec("ADMIN-02")

WARSAW = ZoneInfo("Europe/Warsaw")
OFFICE_WEEK = {str(day): [["09:00", "17:00"]] for day in range(5)}


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=WARSAW)


def reply(ticket, agent, address):
    return do_reply_to_contact(ticket, to_address=address, body_html="<p>Thank you.</p>", acting_user=agent)


def closed_status(group, kind):
    return group.statuses.get(kind=kind)


@pytest.fixture
def data_set(volunteers, donations):
    """Volunteers work Monday to Friday 09:00–17:00 in Warsaw (first response within 1 h,
    resolution within 8 h); Donations have no calendar.

    A  Volunteers, email, Alice: created Fri 4 Dec 16:00, answered Mon 7 Dec 10:00 (2 working
       hours: Fri 16–17 and Mon 9–10), closed with success Mon 11:00 (2 working hours: the
       reply set it waiting for the contact, which stops the clock).
    B  Volunteers, phone, Alice: created Mon 7 Dec 09:00, answered 09:30 (30 min), open.
    C  Donations, web, Bob: created Sat 5 Dec 10:00, answered 13:00 (3 h), closed as success
       cancelled Sun 6 Dec 10:00 (24 h).
    D  Donations, email, nobody: created Mon 7 Dec 08:00, open, unanswered.
    """
    ServiceLevel.objects.create(
        group=volunteers,
        time_zone="Europe/Warsaw",
        week=OFFICE_WEEK,
        first_response_minutes=60,
        resolution_minutes=480,
    )
    alice = make_agent("alice", "AL", groups=[volunteers])
    bob = make_agent("bob", "BO", groups=[donations])
    with time_machine.travel(at(4, 16), tick=False) as clock:
        a = make_ticket(volunteers, contact=make_contact("Anna", "A", email="anna@example.org"))
        do_assign_ticket(a, owner=alice, acting_user=alice)
        clock.move_to(at(5, 10))
        c = make_ticket(
            donations, contact=make_contact("Cecil", "C", email="cecil@example.org"), source=TicketSource.WEB
        )
        do_assign_ticket(c, owner=bob, acting_user=bob)
        clock.move_to(at(5, 13))
        reply(c, bob, "cecil@example.org")
        clock.move_to(at(6, 10))
        do_close_ticket(c, status=closed_status(donations, StatusKind.SUCCESS_CANCELLED), acting_user=bob)
        clock.move_to(at(7, 8))
        d = make_ticket(donations, contact=make_contact("Dora", "D", email="dora@example.org"))
        clock.move_to(at(7, 9))
        b = make_ticket(
            volunteers, contact=make_contact("Ben", "B", email="ben@example.org"), source=TicketSource.PHONE
        )
        do_assign_ticket(b, owner=alice, acting_user=alice)
        clock.move_to(at(7, 9, 30))
        do_apply_service_level_breaches()  # A is past its 1 h first response (due Fri 17:00 + …)
        reply(b, alice, "ben@example.org")
        clock.move_to(at(7, 10))
        reply(a, alice, "anna@example.org")
        do_log_time(a, minutes=25, acting_user=alice)
        clock.move_to(at(7, 11))
        a.refresh_from_db()
        do_close_ticket(a, status=closed_status(volunteers, StatusKind.CLOSED_SUCCESS), acting_user=alice)
    return {"a": a, "b": b, "c": c, "d": d, "alice": alice, "bob": bob}


def report(*groups: Group, **filters) -> ReportFilter:
    return ReportFilter(
        group_ids=tuple(group.pk for group in groups),
        since=dt.date(2026, 12, 4),
        until=dt.date(2026, 12, 7),
        zone=WARSAW,
        **filters,
    )


def test_percentile_interpolates_as_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([1800.0, 7200.0, 10800.0], 0.5) == 7200.0
    assert percentile([1800.0, 7200.0, 10800.0], 0.9) == pytest.approx(10080.0)
    assert percentile([10800.0, 86400.0], 0.5) == pytest.approx(48600.0)


def test_volume_and_backlog_per_day_channel_and_group(data_set, volunteers, donations):
    volume = get_volume(report(volunteers, donations))
    assert volume.per_day() == [
        (dt.date(2026, 12, 4), 1, 0),
        (dt.date(2026, 12, 5), 1, 0),
        (dt.date(2026, 12, 6), 0, 1),
        (dt.date(2026, 12, 7), 2, 1),
    ]
    assert volume.backlog() == [
        (dt.date(2026, 12, 4), 1),
        (dt.date(2026, 12, 5), 2),
        (dt.date(2026, 12, 6), 1),
        (dt.date(2026, 12, 7), 2),
    ]
    assert volume.per_source == {"email": (2, 1), "phone": (1, 0), "web": (1, 1)}
    rows = {
        (row.day, row.source, row.group_id): (row.created, row.closed)
        for row in list_volume_rows(report(volunteers, donations))
    }
    assert rows[(dt.date(2026, 12, 7), "email", volunteers.pk)] == (0, 1)
    assert rows[(dt.date(2026, 12, 7), "email", donations.pk)] == (1, 0)
    assert sum(volume.by_status_kind.values()) == 2  # B and D are open
    # One group, one channel: Volunteers' phone tickets.
    phone = get_volume(report(volunteers, source=TicketSource.PHONE))
    assert phone.per_day()[-1] == (dt.date(2026, 12, 7), 1, 0)
    assert phone.open_before == 0


def test_the_days_are_the_readers_across_both_daylight_saving_changes(volunteers):
    """Warsaw's winter and summer time: a ticket created at 00:30 local time counts on its local
    day, before and after each change (SQLite adds each stretch's offset; PostgreSQL converts)."""
    assert utc_offsets(WARSAW, dt.datetime(2026, 3, 1, tzinfo=WARSAW), dt.datetime(2026, 11, 1, tzinfo=WARSAW)) == [
        (dt.datetime(2026, 2, 28, 23, 0, tzinfo=dt.UTC), dt.timedelta(hours=1)),
        (dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC), dt.timedelta(hours=2)),
        (dt.datetime(2026, 10, 25, 1, 0, tzinfo=dt.UTC), dt.timedelta(hours=1)),
    ]
    moments = [
        dt.datetime(2026, 3, 28, 0, 30, tzinfo=WARSAW),  # winter time: 27 Mar 23:30 UTC
        dt.datetime(2026, 3, 30, 0, 30, tzinfo=WARSAW),  # summer time: 29 Mar 22:30 UTC
        dt.datetime(2026, 10, 24, 0, 30, tzinfo=WARSAW),
        dt.datetime(2026, 10, 26, 0, 30, tzinfo=WARSAW),  # winter again: 25 Oct 23:30 UTC
        dt.datetime(2026, 10, 26, 23, 30, tzinfo=WARSAW),
    ]
    for moment in moments:
        with time_machine.travel(moment, tick=False):
            make_ticket(volunteers)
    volume = get_volume(
        ReportFilter(group_ids=(volunteers.pk,), since=dt.date(2026, 3, 1), until=dt.date(2026, 10, 31), zone=WARSAW)
    )
    created = {day: n for day, n, _closed in volume.per_day() if n}
    assert created == {
        dt.date(2026, 3, 28): 1,
        dt.date(2026, 3, 30): 1,
        dt.date(2026, 10, 24): 1,
        dt.date(2026, 10, 26): 2,
    }


def test_the_first_response_is_an_agents_first_answer_kept_on_the_ticket(data_set):
    """Kept by the reply (a later answer leaves it)."""
    a, b, c = data_set["a"], data_set["b"], data_set["c"]
    with time_machine.travel(at(7, 15), tick=False):
        reply(b, data_set["alice"], "ben@example.org")
    for ticket in (a, b, c):
        ticket.refresh_from_db()
    assert (a.first_replied_at, b.first_replied_at, c.first_replied_at) == (at(7, 10), at(7, 9, 30), at(5, 13))
    assert data_set["d"].first_replied_at is None  # unanswered


def test_response_times_count_working_hours_where_the_group_has_a_calendar(data_set, volunteers, donations):
    times = get_times(report(volunteers, donations))
    # First responses: B 30 min, A 2 working hours across the weekend, C 3 calendar hours.
    assert times.first_responses == 3
    assert times.first_response_median == pytest.approx(7200, abs=1)
    assert times.first_response_p90 == pytest.approx(7200 + 0.8 * 3600, abs=1)
    # Resolutions: A 2 working hours (the clock stood still from the reply, waiting for the
    # contact, to the close), C 24 calendar hours.
    assert times.resolutions == 2
    assert times.resolution_median == pytest.approx((7200 + 86400) / 2, abs=1)
    assert times.resolution_p90 == pytest.approx(7200 + 0.9 * 79200, abs=1)
    only_volunteers = get_times(report(volunteers))
    assert only_volunteers.resolution_median == pytest.approx(7200, abs=1)


def test_per_agent_figures(data_set, volunteers, donations):
    rows = {row.agent_id: row for row in get_agent_rows(report(volunteers, donations))}
    alice, bob = rows[data_set["alice"].pk], rows[data_set["bob"].pk]
    # Tickets handled: closed as their owner in the period (A for Alice; B is open).
    assert (alice.handled, alice.replies, alice.success, alice.success_cancelled) == (1, 2, 1, 0)
    assert alice.first_response_median == pytest.approx((7200 + 1800) / 2, abs=1)
    # Handle time is calendar time from the assignment: A 66 h (Fri 16:00 → Mon 10:00), B 30 min.
    assert alice.handle_median == pytest.approx((66 * 3600 + 1800) / 2, abs=1)
    assert alice.logged_minutes == 25
    assert (bob.handled, bob.replies, bob.success, bob.success_cancelled) == (1, 1, 0, 1)
    assert bob.first_response_median == pytest.approx(3 * 3600, abs=1)
    assert bob.handle_median == pytest.approx(3 * 3600, abs=1)
    only_bob = get_agent_rows(report(volunteers, donations, agent_id=data_set["bob"].pk))
    assert [row.agent_id for row in only_bob] == [data_set["bob"].pk]


def test_service_level_figures(data_set, volunteers, donations):
    levels = get_service_levels(report(volunteers, donations))
    assert (levels.first_response_measured, levels.first_response_breached) == (2, 1)
    assert levels.first_response_share == 0.5
    assert (levels.resolution_measured, levels.resolution_breached) == (1, 0)
    assert levels.resolution_share == 1.0


# --- the page ---------------------------------------------------------------------------------


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reports"), {"since": "2026-12-04", "until": "2026-12-07", **params})


def test_agents_and_home_agents_are_refused(client, volunteers):
    agent = make_agent("ann", "AN", groups=[volunteers])
    home = make_agent("hal", "HA", groups=[volunteers], role=Membership.Role.HOME_AGENT)
    for user in (agent, home):
        assert page(client, user).status_code == 403
        assert client.get(reverse("report_csv", args=["volume"])).status_code == 403


def test_a_manager_reads_their_groups_only_and_an_administrator_all(
    client, data_set, volunteers, donations, dave_admin
):
    manager = make_agent("mia", "MI", groups=[volunteers], role=Membership.Role.MANAGER)
    response = page(client, manager)
    assert response.status_code == 200
    assert response.context["report"].group_ids == (volunteers.pk,)
    assert response.context["times"].first_responses == 2  # A and B, not Donations' C
    assert page(client, manager, group=donations.pk).status_code == 400
    admin = page(client, dave_admin)
    assert set(admin.context["report"].group_ids) == {volunteers.pk, donations.pk}
    assert admin.context["times"].first_responses == 3
    assert b'id="report-data"' in admin.content and b"chart.umd.min.js" in admin.content


def test_every_table_downloads_as_csv(client, data_set, dave_admin):
    client.force_login(dave_admin)
    for table in ("volume", "backlog", "status", "times", "agents", "service-levels"):
        response = client.get(reverse("report_csv", args=[table]), {"since": "2026-12-04", "until": "2026-12-07"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        if table == "agents":
            assert rows[0][0] == "Agent"
            assert ["Alice", "1", "2", "75", "1995", "1", "0", "25"] in rows
        if table == "backlog":
            assert rows[1:] == [["2026-12-04", "1"], ["2026-12-05", "2"], ["2026-12-06", "1"], ["2026-12-07", "2"]]
    assert client.get(reverse("report_csv", args=["nothing"]), {"since": "2026-12-04"}).status_code == 404


def test_the_page_reads_the_dates_in_the_readers_format(client, data_set, dave_admin):
    client.force_login(dave_admin)
    response = client.get(reverse("reports"), {"since": "04.12.2026", "until": "07.12.2026"}, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    assert response.context["report"].since == dt.date(2026, 12, 4)


def count_queries(client, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = page(
            client,
            user,
            since=(timezone.localdate() - dt.timedelta(days=360)).isoformat(),
            until=timezone.localdate().isoformat(),
        )
        assert response.status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_10_and_1000_tickets(client, dave_admin):
    call_command("seed_bench", tickets=10, groups=3, agents=6, seed=1, stdout=io.StringIO(), stderr=io.StringIO())
    count_queries(client, dave_admin)  # the first request of a session sets it up
    few = count_queries(client, dave_admin)
    call_command("seed_bench", tickets=990, groups=3, agents=6, seed=2, stdout=io.StringIO(), stderr=io.StringIO())
    assert count_queries(client, dave_admin) == few


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_demo_gives_anna_three_weeks_of_reports_once(db, client, language):
    from switchboard.tickets.demo import load_demo_data
    from switchboard.tickets.demo_reports import load_reports_demo

    load_demo_data(language)
    load_reports_demo(language)
    before = Ticket.objects.count()
    load_reports_demo(language)
    assert Ticket.objects.count() == before
    anna = User.objects.get(username="anna")
    client.force_login(anna)
    response = client.get(reverse("reports"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    days_with_tickets = [day for day, created, _closed in response.context["per_day"] if created]
    assert len(days_with_tickets) >= 10
    assert response.context["times"].resolutions > 0


def test_the_team_pages_link_shows_the_last_30_days_in_the_readers_format(client, volunteers):
    manager = make_agent("mia", "MI", groups=[volunteers], role=Membership.Role.MANAGER)
    client.force_login(manager)
    team = client.get(reverse("team", args=[volunteers.slug]))
    assert f"{reverse('reports')}?group={volunteers.pk}".encode() in team.content
    with time_machine.travel(at(7, 12), tick=False):
        client.force_login(manager)
        response = client.get(reverse("reports"), {"group": volunteers.pk}, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    assert response.context["report"].since == dt.date(2026, 11, 8)
    assert 'value="07.12.2026"' in response.content.decode()
