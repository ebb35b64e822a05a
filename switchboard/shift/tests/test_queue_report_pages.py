"""The queue report's pages (PHONE-08): the dialog on every page while a report is due, filing
it with the server's errors, the offer to open an outage, the group's latest figures, and the
manager's day (grid, missed in red, outages by area, CSV) in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.shift.models import Area, Outage, QueueReport, Shift
from switchboard.shift.queue_reports import Figures, do_file_queue_report, do_mark_missed_reports, do_open_due_reports
from switchboard.tickets.models import Membership
from switchboard.tickets.tests.factories import make_agent

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def call_center(volunteers):
    volunteers.queue_report_minutes = 30
    volunteers.save()
    return volunteers


@pytest.fixture
def due(call_center, alice_agent):
    """Alice, 31 minutes into her shift: her first report is due."""
    Shift.objects.create(agent=alice_agent, started_at=START)
    with time_machine.travel(START + dt.timedelta(minutes=31), tick=False):
        do_open_due_reports()
    return QueueReport.objects.get()


@pytest.fixture
def mona(call_center):
    return make_agent("mona", "MO", groups=[call_center], role=Membership.Role.MANAGER)


@pytest.fixture
def kraków(db):
    return Area.objects.create(name="Kraków")


@pytest.mark.spec("PHONE-08")
def test_every_page_shows_the_dialog_while_the_report_is_unfiled(client, due, alice_agent):
    client.force_login(alice_agent)
    with time_machine.travel(START + dt.timedelta(minutes=40), tick=False):
        page = client.get(reverse("home")).content.decode()
        assert 'id="queue-report"' in page and 'data-bs-backdrop="static"' in page
        assert client.get(reverse("queue_report_dialog")).status_code == 200
        response = client.post(reverse("file_queue_report", args=[due.pk]), {"calls_waiting": "3",
                               "minutes_waiting": "2", "outage": "no"}, **FETCH)  # fmt: skip
        assert response.status_code == 200 and "data-close-now" in response.content.decode()
        assert 'id="queue-report"' not in client.get(reverse("home")).content.decode()
        assert client.get(reverse("queue_report_dialog")).status_code == 204


@pytest.mark.spec("PHONE-08")
def test_the_server_refuses_an_incomplete_report_with_clear_errors(client, due, alice_agent, kraków):
    client.force_login(alice_agent)
    url = reverse("file_queue_report", args=[due.pk])
    response = client.post(url, {"calls_waiting": "-1", "minutes_waiting": "", "outage": "yes"}, **FETCH)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in text
    assert "This field is required." in text
    assert "Say in which area the node is out." in text
    due.refresh_from_db()
    assert due.filed_at is None
    # Without scripts: the same errors on a page of their own.
    assert client.post(url, {"outage": "no"}).status_code == 400


@pytest.mark.spec("PHONE-08")
def test_an_outage_answer_offers_to_open_an_outage_where_none_is_open(client, due, alice_agent, kraków):
    client.force_login(alice_agent)
    data = {"calls_waiting": "9", "minutes_waiting": "14", "outage": "yes", "area": kraków.pk, "comment": "node 7"}
    text = client.post(reverse("file_queue_report", args=[due.pk]), data, **FETCH).content.decode()
    assert f'href="/shift/outages/new/?area={kraków.pk}"' in text
    assert "Open an outage in Kraków" in text
    # With an outage open there, no offer.
    Outage.objects.create(area=kraków, started_at=START)
    report = QueueReport.objects.create(agent=alice_agent, group=due.group, due_at=START + dt.timedelta(hours=1))
    text = client.post(reverse("file_queue_report", args=[report.pk]), data, **FETCH).content.decode()
    assert "data-outage-offer" not in text


@pytest.mark.spec("PHONE-08")
def test_nobody_files_another_agents_report(client, due, bob_agent):
    client.force_login(bob_agent)
    data = {"calls_waiting": "1", "minutes_waiting": "1", "outage": "no"}
    assert client.post(reverse("file_queue_report", args=[due.pk]), data).status_code == 404


@pytest.mark.spec("PHONE-08")
def test_the_groups_page_shows_the_latest_figures_with_when_and_by_whom(client, due, alice_agent, mona):
    do_file_queue_report(due, Figures(4, 6), via="page", acting_user=alice_agent)
    client.force_login(alice_agent)
    page = client.get(reverse("open_tickets", args=[due.group.slug])).content.decode()
    assert "4 calls waiting" in page and "longest 6 min" in page and "Alice" in page
    assert reverse("queue_reports", args=[due.group.slug]) not in page  # not a manager
    client.force_login(mona)
    client.post(reverse("enter_queue_figures", args=[due.group.slug]), {"calls_waiting": 1, "minutes_waiting": 2})
    page = client.get(reverse("open_tickets", args=[due.group.slug])).content.decode()
    assert "1 call waiting" in page and "longest 2 min" in page and "Mona" in page
    assert reverse("queue_reports", args=[due.group.slug]) in page


def make_day(group, agents: int, kraków: Area, *, prefix: str = "agent") -> None:
    """Six half hours of reports per agent, the third missed (unfiled), an outage in the second."""
    for n in range(agents):
        agent = make_agent(f"{prefix}{n}", f"A{n}", groups=[group])
        Shift.objects.create(agent=agent, started_at=START, ended_at=START + dt.timedelta(hours=3))
        for k in range(1, 7):
            report = QueueReport.objects.create(agent=agent, group=group, due_at=START + k * dt.timedelta(minutes=30))
            if k != 3:
                do_file_queue_report(report, Figures(k, n, k == 2, kraków if k == 2 else None), via="page",
                                     acting_user=agent)  # fmt: skip


@pytest.mark.spec("PHONE-08")
def test_the_managers_day_grid_marks_missed_reports_red_and_counts_outages_by_area(client, call_center, mona, kraków):
    make_day(call_center, 2, kraków)
    with time_machine.travel(START + dt.timedelta(minutes=40), tick=False):
        do_mark_missed_reports()
    client.force_login(mona)
    url = reverse("queue_reports", args=[call_center.slug])
    page = client.get(url, {"day": "2026-03-02"}).content.decode()
    assert page.count("data-missed") == 2
    assert "08:30" in page and "11:00" in page
    assert "Kraków" in page and "2 reports" in page
    csv = b"".join(client.get(reverse("export_queue_reports", args=[call_center.slug]), {"day": "2026-03-02"})
                   .streaming_content).decode("utf-8-sig")  # fmt: skip
    lines = csv.splitlines()
    assert lines[0].startswith("Due,Agent,Filed,Missed,Calls in queue")
    assert len(lines) == 13
    assert "2026-03-02 09:00,Agent0,2026" in csv and ",yes,Kraków," in csv


@pytest.mark.spec("PHONE-08")
def test_only_the_groups_managers_see_its_reports(client, call_center, alice_agent, dave_admin):
    url = reverse("queue_reports", args=[call_center.slug])
    client.force_login(alice_agent)
    assert client.get(url).status_code == 403
    assert client.get(reverse("export_queue_reports", args=[call_center.slug])).status_code == 403
    client.force_login(dave_admin)
    assert client.get(url).status_code == 200


@pytest.mark.spec("PHONE-08")
def test_the_managers_day_costs_the_same_queries_for_two_agents_or_ten(client, call_center, mona, kraków):
    client.force_login(mona)
    url = reverse("queue_reports", args=[call_center.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url, {"day": "2026-03-02"}).status_code == 200
        return len(context.captured_queries)

    make_day(call_center, 2, kraków)
    few = queries()
    make_day(call_center, 8, kraków, prefix="more")
    assert queries() == few
