"""Webhook security (PHONE-06): the provider's signature over SITE_URL + path, stored before
the answer, and a replay applied once."""

from __future__ import annotations

import pytest

from switchboard.intake.models import RawMessage
from switchboard.phone.tests.conftest import AUTH_TOKEN, call_params
from switchboard.testing.twilio_api import post_signed, twilio_signature

pytestmark = pytest.mark.django_db


@pytest.mark.spec("PHONE-06")
def test_a_call_signed_by_the_provider_is_answered_and_stored_before(client, phone_number, settings):
    settings.SITE_URL = "https://desk.example.org"  # behind a proxy: the provider signed the public URL
    response = post_signed(client, "/phone/voice/", call_params(), auth_token=AUTH_TOKEN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    raw = RawMessage.objects.get(channel="voice")
    assert raw.source_key == "call:CA" + "1" * 32
    assert b"From=%2B48601234567" in bytes(raw.data)
    assert raw.state == RawMessage.State.APPLIED


@pytest.mark.spec("PHONE-06")
@pytest.mark.parametrize(
    "signature",
    [
        "",  # missing
        "forged-signature",
        twilio_signature("another-account-token", "http://127.0.0.1:8000/phone/voice/", call_params()),
        twilio_signature(AUTH_TOKEN, "http://127.0.0.1:8000/phone/voice/menu/", call_params()),  # another URL
    ],
    ids=["missing", "forged", "other-token", "other-url"],
)
def test_a_request_not_signed_for_this_url_by_our_account_is_refused_and_changes_nothing(
    client, phone_number, signature
):
    response = post_signed(client, "/phone/voice/", call_params(), auth_token=AUTH_TOKEN, signature=signature)
    assert response.status_code == 403
    assert not RawMessage.objects.exists()


@pytest.mark.spec("PHONE-06")
def test_a_signature_over_other_parameters_is_refused(client, phone_number):
    signature = twilio_signature(AUTH_TOKEN, "http://127.0.0.1:8000/phone/voice/", call_params())
    tampered = call_params(From="+48700000000")
    response = post_signed(client, "/phone/voice/", tampered, auth_token=AUTH_TOKEN, signature=signature)
    assert response.status_code == 403
    assert not RawMessage.objects.exists()


@pytest.mark.spec("PHONE-06")
def test_a_disabled_number_takes_no_calls(client, phone_number):
    phone_number.enabled = False
    phone_number.save()
    assert post_signed(client, "/phone/voice/", call_params(), auth_token=AUTH_TOKEN).status_code == 403
    assert not RawMessage.objects.exists()


@pytest.mark.spec("PHONE-06")
def test_a_replayed_call_is_stored_once(client, phone_number):
    first = post_signed(client, "/phone/voice/", call_params(), auth_token=AUTH_TOKEN)
    again = post_signed(client, "/phone/voice/", call_params(), auth_token=AUTH_TOKEN)
    assert first.status_code == again.status_code == 200
    assert RawMessage.objects.filter(channel="voice").count() == 1


def test_the_auth_token_is_stored_encrypted(phone_number):
    from switchboard.phone.models import PhoneNumber

    stored = PhoneNumber.objects.get(pk=phone_number.pk)
    assert AUTH_TOKEN not in stored.auth_token_encrypted
    assert stored.auth_token == AUTH_TOKEN


def test_the_intake_reads_a_stored_voicemail_as_the_callers_message(client, phone_number, twilio_api):
    from switchboard.intake.channels import get_channel
    from switchboard.testing.twilio_api import post_signed

    params = call_params(RecordingSid="RE" + "3" * 32, RecordingUrl="x", RecordingStatus="failed")
    params["TranscriptionText"] = "Please call me back"
    path = "/phone/voice/recording/?group=1&caller=%2B48601234567"
    post_signed(client, path, params, auth_token=AUTH_TOKEN)
    raw = RawMessage.objects.get(channel="voice")
    (inbound,) = get_channel("voice").parse([bytes(raw.data)])
    assert inbound.channel == "voice"
    assert inbound.sender.address == "+48601234567"
    assert inbound.text == "Please call me back"
