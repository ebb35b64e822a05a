"""Phone states (PHONE-09) on a real database: which switches are allowed, wrap-up ending by itself
after the group's seconds, what the state does to routing, the navbar menu, the Team page (its
query count and its live socket)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from switchboard.testing.jobs import run_periodic_jobs
from switchboard.tickets.actions import do_create_group
from switchboard.tickets.agent_states import (
    PhoneState,
    PhoneStateError,
    do_end_call,
    do_end_wrap_ups,
    do_set_phone_state,
    do_start_call,
    phone_state_of,
)
from switchboard.tickets.assignment import do_route_ticket
from switchboard.tickets.models import AgentProfile, AgentStateChange, Group, Membership
from switchboard.tickets.tests.factories import make_agent, make_ticket
from switchboard.tickets.tests.test_realtime import application

pytestmark = pytest.mark.spec("PHONE-09")


def run_scheduled_jobs() -> list[str]:
    """The jobs scheduled for now or earlier, run as the job consumer's scheduler would."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None) if HUEY.utc else dt.datetime.now()  # noqa: DTZ005
    due = HUEY.read_schedule(now)
    for task in due:
        HUEY.execute(task)
    return [task.name for task in due]


def state(user) -> str:
    return AgentProfile.objects.get(user=user).phone_state


def least_load(group: Group) -> Group:
    group.assignment_rule = Group.AssignmentRule.LEAST_LOAD
    group.save()
    return group


def test_allowed_switches_are_kept_in_the_history_and_refused_ones_say_why(volunteers, alice_agent):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        do_set_phone_state(alice_agent, PhoneState.SIGNED_OUT, acting_user=alice_agent)
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        for refused in (PhoneState.ON_CALL, PhoneState.WRAP_UP):
            with pytest.raises(PhoneStateError, match="cannot follow"):
                do_set_phone_state(alice_agent, refused, acting_user=alice_agent)
        do_set_phone_state(alice_agent, PhoneState.READY, acting_user=alice_agent)
    with pytest.raises(PhoneStateError):
        do_set_phone_state(alice_agent, PhoneState.WRAP_UP, acting_user=alice_agent)  # only after a call
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        do_set_phone_state(alice_agent, PhoneState.NOT_READY, reason="training", acting_user=alice_agent)
        do_set_phone_state(alice_agent, PhoneState.NOT_READY, reason="training", acting_user=alice_agent)  # no-op
    profile = AgentProfile.objects.get(user=alice_agent)
    assert (profile.phone_state, profile.phone_state_reason) == (PhoneState.NOT_READY, "training")
    assert profile.phone_state_since == start + dt.timedelta(minutes=5)

    history = list(AgentStateChange.objects.filter(user=alice_agent).values_list("state", "reason", "ended_at"))
    assert history == [
        ("signed_out", "", start + dt.timedelta(minutes=1)),
        ("ready", "", start + dt.timedelta(minutes=5)),
        ("not_ready", "training", None),
    ]
    do_set_phone_state(alice_agent, PhoneState.READY, acting_user=alice_agent)
    do_start_call(alice_agent)
    with pytest.raises(PhoneStateError):
        do_set_phone_state(alice_agent, PhoneState.READY, acting_user=alice_agent)  # a call ends in wrap-up
    # The time clock signs out or pauses anyone, whatever their state.
    do_set_phone_state(alice_agent, PhoneState.SIGNED_OUT, acting_user=alice_agent)
    assert phone_state_of(AgentProfile.objects.get(user=alice_agent).user) == PhoneState.SIGNED_OUT


def test_wrap_up_lasts_the_longest_of_the_agents_groups_then_they_are_ready_again(
    volunteers, donations, django_capture_on_commit_callbacks
):
    volunteers.wrap_up_seconds, donations.wrap_up_seconds = 20, 45
    volunteers.save()
    donations.save()
    agent = make_agent("anna", "AN", groups=[volunteers, donations])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        do_start_call(agent)
        assert state(agent) == PhoneState.ON_CALL
    with time_machine.travel(start + dt.timedelta(minutes=3), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            do_end_call(agent)
        assert state(agent) == PhoneState.WRAP_UP
    with time_machine.travel(start + dt.timedelta(minutes=3, seconds=44), tick=False):
        assert do_end_wrap_ups() == 0
        assert run_scheduled_jobs() == []  # the job scheduled for the end is not due yet
        assert state(agent) == PhoneState.WRAP_UP
    with time_machine.travel(start + dt.timedelta(minutes=3, seconds=45), tick=False):
        assert run_scheduled_jobs() == ["end_wrap_up"]
        assert state(agent) == PhoneState.READY
    assert list(AgentStateChange.objects.filter(user=agent).values_list("state", "acting_user")) == [
        ("on_call", None),
        ("wrap_up", None),
        ("ready", None),
    ]


def test_a_wrap_up_whose_scheduled_end_was_lost_ends_with_the_job_every_minute(volunteers):
    agent = make_agent("anna", "AN", groups=[volunteers])  # 30 seconds by default
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        do_start_call(agent)
        do_end_call(agent)  # its end scheduled only on commit: never, in this test
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        assert run_periodic_jobs("end_wrap_ups") == ["end_wrap_ups"]
    assert state(agent) == PhoneState.READY


def test_no_wrap_up_in_any_group_means_ready_when_the_call_ends(volunteers):
    volunteers.wrap_up_seconds = 0
    volunteers.save()
    agent = make_agent("anna", "AN", groups=[volunteers])
    do_start_call(agent)
    do_end_call(agent)
    assert state(agent) == PhoneState.READY


def test_not_ready_and_signed_out_get_no_tickets_and_becoming_ready_takes_the_waiting_ones(
    volunteers, django_capture_on_commit_callbacks
):
    least_load(volunteers)
    anna, ben = make_agent("anna", "AN", groups=[volunteers]), make_agent("ben", "BE", groups=[volunteers])
    do_set_phone_state(anna, PhoneState.NOT_READY, reason="break", acting_user=anna)
    do_set_phone_state(ben, PhoneState.SIGNED_OUT, acting_user=ben)

    waiting = [do_route_ticket(make_ticket(volunteers)) for _ in range(2)]
    assert [ticket.owner_id for ticket in waiting] == [None, None]

    with django_capture_on_commit_callbacks(execute=True):
        do_set_phone_state(anna, PhoneState.READY, acting_user=anna)
    for ticket in waiting:
        ticket.refresh_from_db()
    assert [ticket.owner_id for ticket in waiting] == [anna.pk, anna.pk]

    # On a call or in wrap-up, tickets still come (answered after the call); a break stops them.
    do_start_call(anna)
    assert do_route_ticket(make_ticket(volunteers)).owner_id == anna.pk
    do_set_phone_state(anna, PhoneState.NOT_READY, reason="break", acting_user=anna)
    assert do_route_ticket(make_ticket(volunteers)).owner_id is None


def test_becoming_ready_takes_no_ticket_of_a_group_one_is_unavailable_in(
    volunteers, django_capture_on_commit_callbacks
):
    least_load(volunteers)
    anna = make_agent("anna", "AN", groups=[volunteers])
    Membership.objects.filter(user=anna).update(available=False)
    do_set_phone_state(anna, PhoneState.NOT_READY, acting_user=anna)
    ticket = do_route_ticket(make_ticket(volunteers))
    with django_capture_on_commit_callbacks(execute=True):
        do_set_phone_state(anna, PhoneState.READY, acting_user=anna)
    ticket.refresh_from_db()
    assert ticket.owner_id is None  # one switch each: both must say "at work"


def test_the_menu_switches_the_agents_own_state_and_asks_for_a_reason(client, volunteers, alice_agent):
    client.force_login(alice_agent)
    page = client.get("/").content.decode()
    assert 'data-phone-state="ready"' in page
    assert 'name="reason" value="break"' in page and 'name="state" value="signed_out"' in page
    # No phone of their own: calls are set by hand.
    assert 'name="state" value="on_call"' in page

    response = client.post("/phone-state/", {"reason": "break", "next": "/"})
    assert response.status_code == 302
    profile = AgentProfile.objects.get(user=alice_agent)
    assert (profile.phone_state, profile.phone_state_reason) == ("not_ready", "break")
    page = client.get("/").content.decode()
    assert 'data-phone-state="not_ready"' in page and "Break" in page

    refused = client.post("/phone-state/", {"state": "wrap_up", "next": "/"}, follow=True).content.decode()
    assert "cannot follow" in refused
    AgentProfile.objects.filter(user=alice_agent).update(phone="+48501234567")
    page = client.get("/").content.decode()
    assert 'name="state" value="on_call"' not in page  # their phone's calls set it


def test_the_polish_menu_is_translated(client, volunteers, alice_agent):
    AgentProfile.objects.filter(user=alice_agent).update(language="pl")
    client.force_login(alice_agent)
    page = client.get("/").content.decode()
    assert "Gotowy" in page and "Przerwa" in page


def test_the_team_page_shows_states_with_the_same_queries_for_3_and_30_members(client, volunteers, alice_agent):
    def team_queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(f"/groups/{volunteers.slug}/team/")
        assert page.status_code == 200
        return len(ctx.captured_queries), page.content.decode()

    client.force_login(alice_agent)
    for n in range(2):
        make_agent(f"member{n}", f"M{n}", groups=[volunteers])
    do_set_phone_state(alice_agent, PhoneState.NOT_READY, reason="training", acting_user=alice_agent)
    client.get(f"/groups/{volunteers.slug}/team/")  # warm the session
    few, page = team_queries()
    assert f'data-state-of="{alice_agent.pk}" data-state="not_ready"' in page and "Training" in page
    for n in range(2, 29):
        make_agent(f"member{n}", f"M{n}", groups=[volunteers])
    many, page = team_queries()
    assert page.count("data-state-of=") == 30
    assert many == few


@pytest.mark.django_db(transaction=True)
def test_the_team_socket_hears_members_switch_and_only_those_who_may_see_the_group(volunteers):
    donations = do_create_group("Donations", acting_user=None)
    manager = make_agent("mia", "MI", groups=[volunteers], role=Membership.Role.MANAGER)
    agent = make_agent("anna", "AN", groups=[volunteers])
    outsider = make_agent("bob", "BO", groups=[donations])

    async def scenario() -> tuple[dict, bool]:
        refused = WebsocketCommunicator(application, f"/ws/team/{volunteers.pk}/")
        refused.scope["user"] = outsider
        connected_outsider, _code = await refused.connect()
        team = WebsocketCommunicator(application, f"/ws/team/{volunteers.pk}/")
        team.scope["user"] = manager
        connected, _ = await team.connect()
        assert connected
        from channels.db import database_sync_to_async

        await database_sync_to_async(do_set_phone_state)(agent, "not_ready", reason="break", acting_user=agent)
        event = await team.receive_json_from(timeout=5)
        await team.disconnect()
        return event, connected_outsider

    event, connected_outsider = async_to_sync(scenario)()
    assert not connected_outsider
    assert (event["type"], event["user"], event["state"], event["reason"]) == (
        "agent.state",
        agent.pk,
        "not_ready",
        "break",
    )
    assert event["since"] and event["now"]


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_demo_shows_a_team_at_work_in_different_states_once(client, db, language):
    from switchboard.tickets.demo import load_demo_data
    from switchboard.tickets.demo_states import load_states_demo

    load_demo_data(language)
    load_states_demo(language)
    load_states_demo(language)
    states = dict(AgentProfile.objects.filter(user__is_superuser=False).values_list("user__username", "phone_state"))
    assert states["anna"] == "ready" and {"on_call", "not_ready", "wrap_up"} <= set(states.values())
    assert AgentStateChange.objects.filter(ended_at__isnull=True).count() == len(states)
    anna = AgentProfile.objects.get(user__username="anna").user
    client.force_login(anna)
    campaign = Group.objects.filter(memberships__user=anna).order_by("name").first()
    page = client.get(f"/groups/{campaign.slug}/team/").content.decode()
    assert 'data-state="ready"' in page
