"""The agent's phone state follows their click-to-call (PHONE-09): the provider's signed status
webhooks put them on a call when it is answered and in wrap-up when it is over; the group's
wrap-up seconds later they are ready again. The provider is the REST API stand-in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.phone.tests.conftest import ACCOUNT_SID, AUTH_TOKEN, CALLER, OUR_NUMBER
from switchboard.testing.jobs import run_periodic_jobs
from switchboard.testing.twilio_api import post_signed
from switchboard.tickets.models import AgentProfile, AgentStateChange
from switchboard.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.spec("PHONE-09")

AGENT_PHONE = "+48501234567"


def status(call_sid: str, call_status: str) -> dict[str, str]:
    return {
        "AccountSid": ACCOUNT_SID,
        "CallSid": call_sid,
        "From": OUR_NUMBER,
        "To": AGENT_PHONE,
        "Called": AGENT_PHONE,
        "Direction": "outbound-api",
        "CallStatus": call_status,
    }


def phone_state(user) -> str:
    return AgentProfile.objects.get(user=user).phone_state


def test_a_click_to_call_puts_the_agent_on_a_call_then_in_wrap_up_then_ready(
    client, phone_number, twilio_api, alice_agent
):
    maria = do_create_contact(
        kind=Contact.Kind.PERSON, first_name="Maria", last_name="Garcia", phones=[CALLER], acting_user=None
    )
    ticket = make_ticket(phone_number.default_group, contact=maria)
    AgentProfile.objects.filter(user=alice_agent).update(phone=AGENT_PHONE)
    client.force_login(alice_agent)
    client.post(f"/phone/tickets/{ticket.number}/call/", {"to_number": CALLER})
    (call,) = twilio_api.calls
    assert "StatusCallbackEvent" in call  # the answer is reported, not only the end
    assert phone_state(alice_agent) == "ready"

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        answered = post_signed(client, "/phone/call/status/", status(call["sid"], "in-progress"), auth_token=AUTH_TOKEN)
        assert answered.status_code == 204
        assert phone_state(alice_agent) == "on_call"
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        over = post_signed(client, "/phone/call/status/", status(call["sid"], "completed"), auth_token=AUTH_TOKEN)
        assert over.status_code == 204
        assert phone_state(alice_agent) == "wrap_up"
        # The same report again (the provider retries) changes nothing.
        post_signed(client, "/phone/call/status/", status(call["sid"], "completed"), auth_token=AUTH_TOKEN)
    with time_machine.travel(start + dt.timedelta(minutes=3), tick=False):
        run_periodic_jobs("end_wrap_ups")
    assert phone_state(alice_agent) == "ready"
    assert list(AgentStateChange.objects.filter(user=alice_agent).values_list("state", flat=True)) == [
        "on_call",
        "wrap_up",
        "ready",
    ]


def test_a_forged_or_unknown_call_report_changes_no_state(client, phone_number, twilio_api, alice_agent):
    forged = post_signed(
        client, "/phone/call/status/", status("CA" + "9" * 32, "in-progress"), auth_token=AUTH_TOKEN, signature="x"
    )
    assert forged.status_code == 403
    unknown = post_signed(client, "/phone/call/status/", status("CA" + "8" * 32, "in-progress"), auth_token=AUTH_TOKEN)
    assert unknown.status_code == 204
    assert phone_state(alice_agent) == "ready"
    assert not AgentStateChange.objects.exists()


def test_a_call_that_never_connected_leaves_the_agent_ready(client, phone_number, twilio_api, alice_agent):
    maria = do_create_contact(
        kind=Contact.Kind.PERSON, first_name="Maria", last_name="Garcia", phones=[CALLER], acting_user=None
    )
    ticket = make_ticket(phone_number.default_group, contact=maria)
    AgentProfile.objects.filter(user=alice_agent).update(phone=AGENT_PHONE)
    client.force_login(alice_agent)
    client.post(f"/phone/tickets/{ticket.number}/call/", {"to_number": CALLER})
    (call,) = twilio_api.calls
    post_signed(client, "/phone/call/status/", status(call["sid"], "no-answer"), auth_token=AUTH_TOKEN)
    assert phone_state(alice_agent) == "ready"
