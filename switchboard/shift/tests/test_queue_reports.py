"""Queue reports (PHONE-08): due every 30 minutes of a shift (not before), pushed live to the
agent, missed five minutes later with the managers told once (live and at the SMTP listener)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import IntegrityError, transaction

from switchboard.shift.models import Area, QueueReport, Shift
from switchboard.shift.queue_report_selectors import find_due_report
from switchboard.shift.queue_reports import (
    Figures,
    QueueReportError,
    do_file_queue_report,
    do_mark_missed_reports,
    do_open_due_reports,
)
from switchboard.shift.schedule import do_send_week_schedules
from switchboard.tickets.callbacks import agent_channel_group
from switchboard.tickets.models import Membership
from switchboard.tickets.tests.factories import make_agent

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # a Monday


@pytest.fixture
def call_center(volunteers):
    volunteers.queue_report_minutes = 30
    volunteers.reply_address = "support@example.test"
    volunteers.save()
    return volunteers


@pytest.fixture
def on_shift(call_center, alice_agent):
    Shift.objects.create(agent=alice_agent, started_at=START)
    return alice_agent


@pytest.fixture
def mona_manager(call_center):
    manager = make_agent("mona", "MO", groups=[call_center], role=Membership.Role.MANAGER)
    manager.email = "mona@foodbank.example"
    manager.save()
    return manager


def listen(user_id: int) -> tuple[object, str]:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(agent_channel_group(user_id), channel)
    return layer, channel


def receive_all(layer: object, channel: str) -> list[dict[str, object]]:
    import asyncio

    async def drain() -> list[dict[str, object]]:
        events = []
        while True:
            try:
                events.append(await asyncio.wait_for(layer.receive(channel), 0.05))  # type: ignore[attr-defined]
            except TimeoutError:
                return events

    return async_to_sync(drain)()


@pytest.mark.spec("PHONE-08")
def test_the_report_falls_due_thirty_minutes_into_the_shift_not_before_and_is_pushed_once(on_shift):
    layer, channel = listen(on_shift.pk)
    with time_machine.travel(START + dt.timedelta(minutes=29, seconds=59), tick=False):
        assert do_open_due_reports() == 0
        assert find_due_report(on_shift) is None
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        assert do_open_due_reports() == 1
        assert do_open_due_reports() == 0  # the next run: no second push, no second row
        report = find_due_report(on_shift)
        (event,) = receive_all(layer, channel)  # the in-memory layer's messages expire by the clock
    assert report is not None and report.due_at == START + dt.timedelta(minutes=30)
    assert QueueReport.objects.count() == 1
    assert event["type"] == "queue_report.due" and event["report"] == report.pk


@pytest.mark.spec("PHONE-08")
def test_one_report_per_agent_group_and_due_time(on_shift, call_center):
    due = START + dt.timedelta(minutes=30)
    QueueReport.objects.create(agent=on_shift, group=call_center, due_at=due)
    with pytest.raises(IntegrityError), transaction.atomic():
        QueueReport.objects.create(agent=on_shift, group=call_center, due_at=due)


@pytest.mark.spec("PHONE-08")
def test_no_report_without_a_shift_for_home_agents_or_in_groups_without_reports(call_center, donations, alice_agent):
    home = make_agent("hank", "HA", groups=[call_center], role=Membership.Role.HOME_AGENT)
    other = make_agent("olga", "OL", groups=[donations])
    for agent in (home, other):
        Shift.objects.create(agent=agent, started_at=START)
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        assert do_open_due_reports() == 0
    assert not QueueReport.objects.exists()


@pytest.mark.spec("PHONE-08")
def test_filing_the_report_closes_the_dialog_and_validates(on_shift, call_center, bob_agent):
    area = Area.objects.create(name="Kraków")
    with time_machine.travel(START + dt.timedelta(minutes=31), tick=False):
        do_open_due_reports()
        report = find_due_report(on_shift)
        assert report is not None
        with pytest.raises(QueueReportError):
            do_file_queue_report(report, Figures(4, 6, True, None), via="page", acting_user=on_shift)
        with pytest.raises(QueueReportError):
            do_file_queue_report(report, Figures(4, 6), via="page", acting_user=bob_agent)
        filed = do_file_queue_report(report, Figures(4, 6, True, area, " node 12 "), via="page", acting_user=on_shift)
        assert find_due_report(on_shift) is None
        with pytest.raises(QueueReportError):
            do_file_queue_report(report, Figures(1, 1), via="page", acting_user=on_shift)
    assert (filed.calls_waiting, filed.minutes_waiting, filed.outage, filed.area, filed.comment) == (
        4,
        6,
        True,
        area,
        "node 12",
    )


@pytest.mark.spec("PHONE-08")
def test_a_missed_report_alerts_the_managers_once_live_and_at_the_smtp_listener(
    on_shift, mona_manager, smtp_sink, django_capture_on_commit_callbacks
):
    layer, channel = listen(mona_manager.pk)
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        do_open_due_reports()
    with time_machine.travel(START + dt.timedelta(minutes=34, seconds=59), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert do_mark_missed_reports() == 0
    with time_machine.travel(START + dt.timedelta(minutes=35), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert do_mark_missed_reports() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert do_mark_missed_reports() == 0
        (event,) = receive_all(layer, channel)
    report = QueueReport.objects.get()
    assert report.missed_at == START + dt.timedelta(minutes=35) and report.filed_at is None
    (email,) = [message for message in smtp_sink.messages if message["To"] == "mona@foodbank.example"]
    assert "Queue report missed: Alice" in email["Subject"]
    body = email.get_body(("plain",)).get_content()
    assert "support+queue@example.test" in body and "Calls: 4 / Waiting: 6" in body
    assert event["type"] == "queue_report.missed" and event["agent"] == "Alice"
    # Filed late, it is still missed on the manager's page; the dialog is gone.
    do_file_queue_report(report, Figures(2, 3), via="page", acting_user=on_shift)
    assert find_due_report(on_shift) is None


@pytest.mark.spec("PHONE-08")
def test_the_sunday_schedule_reaches_managers_and_agents_not_home_agents(
    on_shift, mona_manager, call_center, smtp_sink, django_capture_on_commit_callbacks
):
    home = make_agent("hank", "HA", groups=[call_center], role=Membership.Role.HOME_AGENT)
    Shift.objects.filter(agent=on_shift).update(ended_at=START + dt.timedelta(hours=2))
    Shift.objects.create(agent=home, started_at=START, ended_at=START + dt.timedelta(hours=2))
    with time_machine.travel(START + dt.timedelta(days=6, hours=9), tick=False):  # Sunday 17:00
        with django_capture_on_commit_callbacks(execute=True):
            assert do_send_week_schedules() == 2
    recipients = sorted(message["To"] for message in smtp_sink.messages)
    assert recipients == ["alice@example.test", "mona@foodbank.example"]
    body = smtp_sink.messages[0].get_body(("plain",)).get_content()
    assert "Monday 08:00–10:00 Alice: 08:30, 09:00, 09:30, 10:00" in body
    assert "Hank" not in body
