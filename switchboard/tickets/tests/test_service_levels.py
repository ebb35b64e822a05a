"""Service levels (ROUTE-07): the clock pauses and runs again with the status kind, stops on
close; lists flag tickets near and past breach and sort by what is due; each breach rule is
applied once and recorded on the timeline; the managers' page."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.audit.models import AuditEntry
from switchboard.tickets.actions import do_assign_ticket, do_change_ticket_status, do_close_ticket, do_reopen_ticket
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import Activity, ActivityKind, Membership, ServiceLevel, StatusKind, TicketClock
from switchboard.tickets.selectors import list_open_tickets
from switchboard.tickets.service_level_actions import do_apply_service_level_breaches
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.spec("ROUTE-07")

WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY_9 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=WARSAW)  # Monday 7 December 2026, 09:00 in Warsaw
OFFICE_WEEK = {str(day): [["09:00", "17:00"]] for day in range(5)}


def hours(n: float) -> dt.timedelta:
    return dt.timedelta(hours=n)


def set_level(group, *, rule=ServiceLevel.BreachRule.NOTIFY_OWNER, first=120, resolution=480) -> ServiceLevel:
    return ServiceLevel.objects.create(
        group=group,
        time_zone="Europe/Warsaw",
        week=OFFICE_WEEK,
        holidays=["2026-12-08"],  # a Tuesday off
        first_response_minutes=first,
        resolution_minutes=resolution,
        near_percent=75,
        breach_rule=rule,
    )


def kind(group, status_kind):
    return group.statuses.get(kind=status_kind)


def clock(ticket) -> TicketClock:
    return TicketClock.objects.get(ticket=ticket)


def test_the_clock_pauses_in_the_waiting_scheduled_and_pending_kinds_and_runs_again(volunteers):
    set_level(volunteers)
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        ticket = make_ticket(volunteers)
        first = clock(ticket)
        assert first.first_response_due_at == MONDAY_9 + hours(2)
        assert first.due_at == MONDAY_9 + hours(2) and first.near_at == MONDAY_9 + hours(1.5)  # 75 %
        assert first.resolution_due_at == MONDAY_9 + hours(8)

        for paused in [StatusKind.PENDING, StatusKind.SCHEDULED, StatusKind.WAITING_CONTACT]:
            traveller.shift(hours(1) / 4)  # 15 running minutes …
            do_change_ticket_status(ticket, status=kind(volunteers, paused), acting_user=None)
            stopped = clock(ticket)
            assert stopped.running_since is None and stopped.due_at is None
            traveller.shift(hours(3))  # … and 3 paused hours, each time
            do_change_ticket_status(ticket, status=kind(volunteers, StatusKind.NEEDS_CONTACT), acting_user=None)
        # 45 minutes used by 18:45 Monday; the 75 left of the first response run from Wednesday 09:00
        # (Tuesday is a holiday).
        running = clock(ticket)
        assert running.used_seconds == 45 * 60
        wednesday_9 = dt.datetime(2026, 12, 9, 9, 0, tzinfo=WARSAW)
        assert running.first_response_due_at == wednesday_9 + dt.timedelta(minutes=75)
        assert running.resolution_due_at == wednesday_9 + dt.timedelta(minutes=480 - 45)

        do_close_ticket(ticket, acting_user=None)
        assert clock(ticket).due_at is None and clock(ticket).running_since is None
        traveller.move_to(wednesday_9 + hours(1))
        do_reopen_ticket(ticket, acting_user=None)
        assert clock(ticket).due_at == wednesday_9 + hours(1) + dt.timedelta(minutes=75)


def test_the_first_reply_ends_the_first_response_target_and_waits_for_the_contact(volunteers, alice_agent):
    set_level(volunteers)
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        ticket = make_ticket(volunteers, contact=make_contact(email="maria@example.org"))
        traveller.shift(hours(1))
        do_reply_to_contact(ticket, to_address="maria@example.org", body_html="<p>Hello</p>", acting_user=alice_agent)
        answered = clock(ticket)
        assert answered.first_responded_at == MONDAY_9 + hours(1) and answered.due_at is None
        traveller.shift(hours(1))
        do_change_ticket_status(ticket, status=kind(volunteers, StatusKind.NEEDS_CONTACT), acting_user=None)
        running = clock(ticket)
        assert running.first_response_due_at is None
        # 1 hour used; 7 left from 11:00: 6 on Monday, Tuesday is a holiday, 1 on Wednesday.
        wednesday_10 = dt.datetime(2026, 12, 9, 10, 0, tzinfo=WARSAW)
        assert running.due_at == running.resolution_due_at == wednesday_10


def flags(client, group, sort: str = "") -> dict[int, str]:
    page = client.get(reverse("open_tickets", args=[group.slug]) + (f"?sort={sort}" if sort else "")).content.decode()
    marks = {}
    for row in page.split("<tr data-href")[1:]:
        number = int(row.split('data-number="')[1].split('"')[0])
        cell = row.split('class="c-sla">')[1].split("</td>")[0]
        marks[number] = cell.split('data-sla="')[1].split('"')[0] if "data-sla" in cell else ""
    return marks


def test_the_list_flags_near_and_past_breach_in_english_and_polish_and_sorts_by_what_is_due(
    client, volunteers, alice_agent
):
    set_level(volunteers)
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        late = make_ticket(volunteers)
        traveller.shift(hours(1))
        near = make_ticket(volunteers)
        traveller.shift(hours(1) / 2)
        fresh = make_ticket(volunteers)
        paused = make_ticket(volunteers)
        do_change_ticket_status(paused, status=kind(volunteers, StatusKind.PENDING), acting_user=None)
        traveller.move_to(MONDAY_9 + hours(2) + dt.timedelta(minutes=40))  # 11:40
        client.force_login(alice_agent)
        assert flags(client, volunteers) == {
            late.number: "breached",  # due 11:00
            near.number: "near",  # due 12:00, near from 11:30
            fresh.number: "running",  # due 12:30, near from 12:00
            paused.number: "",
        }
        page = client.get(reverse("open_tickets", args=[volunteers.slug])).content.decode()
        assert "overdue 40 min" in page and "due in 20 min" in page and "due in 50 min" in page
        polish = client.get(
            reverse("open_tickets", args=[volunteers.slug]), headers={"accept-language": "pl"}
        ).content.decode()
        assert "po terminie 40 min" in polish and "za 20 min" in polish

        assert list(flags(client, volunteers, "sla")) == [late.number, near.number, fresh.number, paused.number]
        assert list(flags(client, volunteers, "-sla")) == [fresh.number, near.number, late.number, paused.number]
        ordered = list_open_tickets(volunteers, user=alice_agent, order="sla")
        assert [t.number for t in ordered] == [late.number, near.number, fresh.number, paused.number]


def test_the_list_costs_the_same_queries_with_clocks_as_without(client, volunteers, alice_agent):
    client.force_login(alice_agent)
    url = reverse("open_tickets", args=[volunteers.slug]) + "?sort=sla"
    for _ in range(3):
        make_ticket(volunteers)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    without = count()
    set_level(volunteers)
    for _ in range(12):
        make_ticket(volunteers)
    assert count() == without


def test_a_breach_tells_the_owner_once_by_email_and_on_the_timeline(
    volunteers, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    set_level(volunteers, rule=ServiceLevel.BreachRule.NOTIFY_OWNER)
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        ticket = make_ticket(volunteers)
        do_assign_ticket(ticket, owner=alice_agent, acting_user=None)
        traveller.shift(hours(2) - dt.timedelta(minutes=1))
        assert do_apply_service_level_breaches() == 0
        traveller.shift(dt.timedelta(minutes=2))
        with django_capture_on_commit_callbacks(execute=True):
            assert do_apply_service_level_breaches() == 1
        assert do_apply_service_level_breaches() == 0  # once per breach
    mail = smtp_sink.wait_for(1)[-1]
    assert mail["To"] == "alice@example.test" and f"#{ticket.number}" in mail["Subject"]
    escalation = Activity.objects.get(ticket=ticket, kind=ActivityKind.ESCALATION)
    assert "first response was due 2026-12-07 11:00" in escalation.body and "Told the owner: Alice." in escalation.body
    assert clock(ticket).first_response_breached_at is not None


def test_a_breach_tells_the_managers(volunteers, alice_agent, smtp_sink, django_capture_on_commit_callbacks):
    set_level(volunteers, rule=ServiceLevel.BreachRule.NOTIFY_MANAGERS, first=None, resolution=60)
    make_agent("anna", "AN", groups=[volunteers], role=Membership.Role.MANAGER)
    make_agent("carl", "CA", groups=[volunteers], role=Membership.Role.ADMINISTRATOR)
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        ticket = make_ticket(volunteers)
        traveller.shift(hours(1))
        with django_capture_on_commit_callbacks(execute=True):
            assert do_apply_service_level_breaches() == 1
        assert do_apply_service_level_breaches() == 0
    mails = smtp_sink.wait_for(2)
    assert sorted(m["To"] for m in mails) == ["anna@example.test", "carl@example.test"]
    body = Activity.objects.get(ticket=ticket, kind=ActivityKind.ESCALATION).body
    assert "resolution was due" in body and "Told the managers: Anna, Carl." in body


def test_a_breach_passes_the_ticket_to_the_2nd_level_once(volunteers, alice_agent):
    set_level(volunteers, rule=ServiceLevel.BreachRule.SECOND_LEVEL)
    expert = make_agent("erik", "ER", groups=[volunteers])
    Membership.objects.filter(user=expert).update(level=Membership.Level.SECOND)
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        ticket = make_ticket(volunteers)
        do_assign_ticket(ticket, owner=alice_agent, acting_user=None)
        traveller.shift(hours(3))
        assert do_apply_service_level_breaches() == 1
        assert do_apply_service_level_breaches() == 0
    ticket.refresh_from_db()
    assert ticket.owner == expert
    escalation = Activity.objects.get(ticket=ticket, kind=ActivityKind.ESCALATION)
    assert escalation.actor is None and "Passed to Erik (2nd level)." in escalation.body
    assert Activity.objects.filter(ticket=ticket, kind=ActivityKind.CHANGED, changes__0__field="owner").count() == 2


def test_a_paused_or_answered_ticket_is_not_breached(volunteers, alice_agent):
    set_level(volunteers)
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        ticket = make_ticket(volunteers)
        do_change_ticket_status(ticket, status=kind(volunteers, StatusKind.SCHEDULED), acting_user=None)
        traveller.shift(hours(30))
        assert do_apply_service_level_breaches() == 0


def test_managers_set_the_service_levels_on_their_page_and_agents_may_not(client, volunteers, alice_agent):
    anna = make_agent("anna", "AN", groups=[volunteers], role=Membership.Role.MANAGER)
    url = reverse("group_service_levels", args=[volunteers.slug])
    client.force_login(alice_agent)
    assert client.get(url).status_code == 403
    team = client.get(reverse("team", args=[volunteers.slug])).content.decode()
    assert "data-team-service-levels" not in team
    client.force_login(anna)
    assert "data-team-service-levels" in client.get(reverse("team", args=[volunteers.slug])).content.decode()
    assert client.get(url).status_code == 200
    with time_machine.travel(MONDAY_9, tick=False):
        client.force_login(anna)
        ticket = make_ticket(volunteers)
        assert not TicketClock.objects.filter(ticket=ticket).exists()
        form = {
            "first_response": "30",
            "first_response_unit": "min",
            "resolution": "2",
            "resolution_unit": "h",
            "near_percent": "80",
            "breach_rule": "level2",
            "time_zone": "Europe/Warsaw",
            "day0": "08:00-12:00, 13:00-16:00",
            "day1": "09:00-17:00",
            "holidays": "2026-12-24\n2026-12-25",
        }
        assert client.post(url, {**form, "day2": "17:00-09:00"}).status_code == 400
        response = client.post(url, form)
        assert response.status_code == 302
    level = ServiceLevel.objects.get(group=volunteers)
    assert level.first_response_minutes == 30 and level.resolution_minutes == 120
    assert level.week == {"0": [["08:00", "12:00"], ["13:00", "16:00"]], "1": [["09:00", "17:00"]]}
    assert level.holidays == ["2026-12-24", "2026-12-25"] and level.breach_rule == "level2"
    assert clock(ticket).first_response_due_at == MONDAY_9 + dt.timedelta(minutes=30)  # open tickets follow
    page = client.get(url).content.decode()
    assert 'value="08:00-12:00, 13:00-16:00"' in page and "2026-12-24" in page
    (logged,) = AuditEntry.objects.filter(object_type="tickets.servicelevel")  # ADMIN-03: once, by Anna
    assert logged.actor_id == anna.pk and logged.action == "create"
    assert {item["field"] for item in logged.changes} >= {"first_response_minutes", "breach_rule", "holidays"}


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_demo_groups_have_service_levels_and_tickets_near_and_past_breach_once(client, db, language):
    from switchboard.tickets.demo import demo_group, load_demo_data
    from switchboard.tickets.demo_service_levels import load_service_level_demo
    from switchboard.tickets.demo_texts import CLIENTS, DONATIONS, VOLUNTEERS

    load_demo_data(language)
    load_service_level_demo(language)
    load_service_level_demo(language)
    assert ServiceLevel.objects.count() == 3
    client.force_login(_admin())
    marks = set()
    for role in [VOLUNTEERS, DONATIONS, CLIENTS]:
        marks |= set(flags(client, demo_group(role)).values())
    assert {"breached", "near"} <= marks
    assert do_apply_service_level_breaches() == 0  # the demo's breach was acted on already


def _admin():
    from django.contrib.auth.models import User

    return User.objects.get(username="admin")


def test_a_completed_ticket_stops_its_clock_like_a_closed_one(volunteers):
    set_level(volunteers)
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        ticket = make_ticket(volunteers)
        traveller.shift(hours(1))
        do_change_ticket_status(ticket, status=kind(volunteers, StatusKind.COMPLETED), acting_user=None)
        assert clock(ticket).due_at is None and clock(ticket).used_seconds == 3600
        traveller.shift(hours(30))
        assert do_apply_service_level_breaches() == 0


def test_the_contacts_answer_runs_the_clock_again(volunteers, alice_agent):
    from switchboard.intake.inbound import Inbound, Person
    from switchboard.tickets.messages import do_add_inbound_message

    set_level(volunteers)
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        ticket = make_ticket(volunteers, contact=make_contact(email="maria@example.org"))
        traveller.shift(hours(1))
        do_reply_to_contact(
            ticket, to_address="maria@example.org", body_html="<p>Which day?</p>", acting_user=alice_agent
        )
        assert clock(ticket).due_at is None
        traveller.shift(hours(2))  # 12:00
        sender = Person(address="maria@example.org", name="Maria")
        ticket.refresh_from_db()
        do_add_inbound_message(ticket, inbound=Inbound(channel="email", sender=sender, text="Friday"), cc=[])
        # 7 hours left from 12:00: 5 on Monday, Tuesday is a holiday, 2 on Wednesday.
        assert clock(ticket).resolution_due_at == dt.datetime(2026, 12, 9, 11, 0, tzinfo=WARSAW)
        assert clock(ticket).running_since == MONDAY_9 + hours(3)
