"""Phone fixtures: one of our numbers with a menu, and the provider's REST API stand-in."""

from __future__ import annotations

import pytest

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "test-auth-token-4f1c2a"
OUR_NUMBER = "+48221234567"
CALLER = "+48601234567"


@pytest.fixture(scope="session")
def twilio_api_server():
    from switchboard.testing.twilio_api import start_twilio_stand_in

    stand_in, server = start_twilio_stand_in()
    yield stand_in
    server.shutdown()
    server.server_close()


@pytest.fixture
def twilio_api(twilio_api_server, settings):
    """The provider's REST API stand-in, knowing our account, with PHONE_API_URL pointed at it."""
    twilio_api_server.reset()
    twilio_api_server.accounts[ACCOUNT_SID] = AUTH_TOKEN
    settings.PHONE_API_URL = twilio_api_server.url
    return twilio_api_server


@pytest.fixture
def phone_number(volunteers, donations):
    """Our number: 1 for Volunteers, 2 for Donations, Volunteers by default."""
    from switchboard.phone.models import MenuEntry, PhoneNumber

    number = PhoneNumber(number=OUR_NUMBER, account_sid=ACCOUNT_SID, default_group=volunteers)
    number.auth_token = AUTH_TOKEN
    number.save()
    MenuEntry.objects.create(number=number, digit="1", group=volunteers)
    MenuEntry.objects.create(number=number, digit="2", group=donations)
    return number


def call_params(call_sid: str = "CA" + "1" * 32, **more: str) -> dict[str, str]:
    """What Twilio sends with a call's webhooks."""
    return {
        "AccountSid": ACCOUNT_SID,
        "CallSid": call_sid,
        "From": CALLER,
        "To": OUR_NUMBER,
        "Called": OUR_NUMBER,
        "Caller": CALLER,
        "Direction": "inbound",
        "CallStatus": "ringing",
        "ApiVersion": "2010-04-01",
        **more,
    }
