"""Calls end to end through the signed webhooks: the menu (PHONE-01), the voicemail policy
(PHONE-02), the voicemail fetched from the provider's API stand-in (PHONE-03), the call log
(PHONE-07) and the home page's open calls (CORE-06)."""

from __future__ import annotations

import io
import wave

import pytest
from django.conf import settings
from huey.contrib.djhuey import HUEY

from switchboard.contacts.models import Contact
from switchboard.intake.models import RawMessage
from switchboard.phone.tests.conftest import ACCOUNT_SID, AUTH_TOKEN, CALLER, call_params
from switchboard.testing.twilio_api import post_signed
from switchboard.tickets.models import ActivityKind, Group, StatusKind, Ticket, TicketSource
from switchboard.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db

CALL = "CA" + "7" * 32
RECORDING = "RE" + "5" * 32


def speech_wav() -> bytes:
    """A second of 8 kHz telephone audio."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(bytes(16000))
    return buffer.getvalue()


def press(client, digits: str, *, attempt: int = 1):
    params = call_params(CALL, CallStatus="in-progress", **({"Digits": digits} if digits else {}))
    return post_signed(client, f"/phone/voice/menu/?attempt={attempt}", params, auth_token=AUTH_TOKEN)


def post_hook(client, path: str, params: dict[str, str]):
    """A signed webhook; the job it queues runs when its transaction commits, as in production."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return post_signed(client, path, params, auth_token=AUTH_TOKEN)


def leave_voicemail(
    client, twilio_api, group: Group, *, transcript: str = "", caller: str = CALLER, audio: bytes | None = None
):
    """The recording's callback; the voicemail job runs when its transaction commits."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return _recording_callback(client, twilio_api, group, transcript=transcript, caller=caller, audio=audio)


def _recording_callback(client, twilio_api, group: Group, *, transcript: str, caller: str, audio: bytes | None):
    url = twilio_api.add_recording(ACCOUNT_SID, RECORDING, audio or speech_wav())
    params = call_params(
        CALL,
        RecordingSid=RECORDING,
        RecordingUrl=url,
        RecordingStatus="completed",
        RecordingDuration="14",
        **({"TranscriptionText": transcript} if transcript else {}),
    )
    params.pop("From"), params.pop("To"), params.pop("Caller"), params.pop("Called")
    params["To"] = "+48221234567"  # Twilio's recording callback names neither; ours is in the URL's query
    from urllib.parse import urlencode

    path = f"/phone/voice/recording/?{urlencode({'group': group.pk, 'caller': caller})}"
    return post_signed(client, path, params, auth_token=AUTH_TOKEN)


@pytest.mark.spec("PHONE-01")
def test_the_menu_names_each_group_and_its_digit_in_english(client, phone_number):
    response = post_signed(client, "/phone/voice/", call_params(), auth_token=AUTH_TOKEN)
    body = response.content.decode()
    assert "<Gather" in body and 'numDigits="1"' in body
    assert "For Volunteers, press 1." in body and "For Donations, press 2." in body
    assert 'language="en-US"' in body


@pytest.mark.spec("PHONE-01")
def test_the_menu_speaks_polish_on_a_polish_number(client, phone_number):
    phone_number.language = "pl"
    phone_number.save()
    body = post_signed(client, "/phone/voice/", call_params(), auth_token=AUTH_TOKEN).content.decode()
    assert "Sprawy: Volunteers – wybierz 1." in body
    assert 'language="pl-PL"' in body


@pytest.mark.spec("PHONE-01")
def test_a_digit_chooses_its_group(client, phone_number):
    body = press(client, "2").content.decode()
    assert "<Record" in body and "Donations" in body


@pytest.mark.spec("PHONE-01")
def test_no_digit_or_a_wrong_one_repeats_the_menu_once_then_the_default_group(client, phone_number):
    first = press(client, "7").content.decode()
    assert "<Gather" in first and "attempt=2" in first  # the menu again
    second = press(client, "", attempt=2).content.decode()
    assert "<Gather" not in second and "<Record" in second and "Volunteers" in second  # the default group


@pytest.mark.spec("PHONE-02")
def test_a_group_without_voicemail_tells_the_caller_its_message_and_hangs_up(client, phone_number, donations):
    donations.voicemail = Group.Voicemail.NOT_ALLOWED
    donations.voicemail_refusal = "Please use our website form."
    donations.save()
    body = press(client, "2").content.decode()
    assert "Please use our website form." in body and "<Hangup" in body and "<Record" not in body


@pytest.mark.spec("PHONE-02")
def test_appointment_only_takes_voicemail_from_callers_with_an_appointment(client, phone_number, donations):
    donations.voicemail = Group.Voicemail.APPOINTMENT
    donations.save()
    assert "<Record" not in press(client, "2").content.decode()  # an unknown caller
    RawMessage.objects.all().delete()
    from switchboard.contacts.actions import do_create_contact

    contact = do_create_contact(kind=Contact.Kind.PERSON, last_name="Nowak", phones=[CALLER], acting_user=None)
    ticket = make_ticket(donations, contact=contact)
    assert "<Record" not in press(client, "2").content.decode()  # an open ticket, but nothing scheduled
    RawMessage.objects.all().delete()
    ticket.status = donations.statuses.get(kind=StatusKind.SCHEDULED)
    ticket.save()
    assert "<Record" in press(client, "2").content.decode()  # a scheduled ticket in the group
    RawMessage.objects.all().delete()
    ticket.status = donations.statuses.get(kind=StatusKind.NEEDS_CONTACT)
    ticket.save()
    contact.has_appointment = True
    contact.save()
    assert "<Record" in press(client, "2").content.decode()  # a contact marked as having one


@pytest.mark.spec("PHONE-03", "PHONE-07")
def test_a_voicemail_is_fetched_kept_and_transcribed_on_the_callers_open_ticket(
    client, phone_number, twilio_api, volunteers, alice_agent
):
    from switchboard.contacts.actions import do_create_contact

    contact = do_create_contact(kind=Contact.Kind.PERSON, last_name="Nowak", phones=[CALLER], acting_user=None)
    ticket = make_ticket(volunteers, contact=contact)
    response = leave_voicemail(client, twilio_api, volunteers, transcript="This is Jan Nowak, call me at 601 234 567")
    assert response.status_code == 204
    voicemail = ticket.activities.get(kind=ActivityKind.VOICEMAIL)
    assert voicemail.duration == 14 and voicemail.from_address == CALLER
    assert "Jan Nowak" in voicemail.body
    audio = voicemail.attachments.get()
    assert audio.is_audio and audio.file.read() == speech_wav()
    fetched = [r for r in twilio_api.requests if "/Recordings/" in r.path]
    assert [r.account_sid for r in fetched] == [ACCOUNT_SID]  # with the account's basic auth
    client.force_login(alice_agent)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "<audio" in page and "Jan Nowak" in page
    assert "Recording pending" not in page
    from switchboard.tickets import search

    found = Ticket.objects.filter(id__in=search.matching_ticket_ids("call me 601"))  # the transcript is searchable
    assert list(found) == [ticket]


@pytest.mark.spec("PHONE-03")
def test_a_spoken_voicemail_is_transcribed_offline_onto_the_callers_ticket_in_that_group(
    client, phone_number, twilio_api, volunteers, donations
):
    from switchboard.contacts.actions import do_create_contact
    from switchboard.phone.tests.test_transcription import MESSAGE, spoken_digits
    from switchboard.testing.speech import telephone_wav
    from switchboard.tickets import search

    contact = do_create_contact(kind=Contact.Kind.PERSON, last_name="Garcia", phones=[CALLER], acting_user=None)
    make_ticket(volunteers, contact=contact)
    ticket = make_ticket(donations, contact=contact)
    recording = telephone_wav(MESSAGE)  # 8 kHz mu-law, as phone recordings are
    leave_voicemail(client, twilio_api, donations, audio=recording)  # no transcript from the provider
    voicemail = ticket.activities.get(kind=ActivityKind.VOICEMAIL)
    assert "maria" in voicemail.body.lower()
    assert "5551234" in spoken_digits(voicemail.body)
    assert voicemail.attachments.get().file.read() == recording
    assert list(Ticket.objects.filter(id__in=search.matching_ticket_ids("Maria"))) == [ticket]


@pytest.mark.spec("PHONE-03")
def test_a_recording_the_provider_cannot_give_yet_is_pending_then_fetched_again(
    client, phone_number, twilio_api, volunteers, alice_agent
):
    twilio_api.failures_left = 1
    leave_voicemail(client, twilio_api, volunteers, transcript="Please call back")
    ticket = Ticket.objects.get(group=volunteers)
    assert ticket.source == TicketSource.PHONE  # a new ticket: the caller had none
    voicemail = ticket.activities.get(kind=ActivityKind.VOICEMAIL)
    assert not voicemail.attachments.exists()
    client.force_login(alice_agent)
    assert "Recording pending" in client.get(f"/tickets/{ticket.number}/").content.decode()
    retry = HUEY.scheduled()
    assert len(retry) == 1
    assert retry[0].eta is not None  # later, with a delay
    HUEY.storage.flush_schedule()
    HUEY.execute(retry[0], timestamp=retry[0].eta)  # when it is due
    assert voicemail.attachments.count() == 1
    assert "Recording pending" not in client.get(f"/tickets/{ticket.number}/").content.decode()


@pytest.mark.spec("PHONE-03")
def test_a_recording_the_provider_never_gives_says_so_on_the_timeline(
    client, phone_number, twilio_api, volunteers, alice_agent
):
    twilio_api.failures_left = 100
    leave_voicemail(client, twilio_api, volunteers, transcript="Please call back")
    attempts = 1
    while retries := HUEY.scheduled():
        HUEY.storage.flush_schedule()
        HUEY.execute(retries[0], timestamp=retries[0].eta)
        attempts += 1
    assert attempts == 1 + settings.PHONE_FETCH_RETRIES  # each retry, then given up
    ticket = Ticket.objects.get(group=volunteers)
    client.force_login(alice_agent)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "Recording could not be fetched" in page and "Recording pending" not in page
    assert "Please call back" in page  # the provider's transcript is kept


@pytest.mark.spec("PHONE-06")
def test_a_replayed_recording_callback_adds_one_voicemail(client, phone_number, twilio_api, volunteers):
    leave_voicemail(client, twilio_api, volunteers, transcript="Hello")
    leave_voicemail(client, twilio_api, volunteers, transcript="Hello")
    assert Ticket.objects.get(group=volunteers).activities.filter(kind=ActivityKind.VOICEMAIL).count() == 1
    assert len([r for r in twilio_api.requests if "/Recordings/" in r.path]) == 1


@pytest.mark.spec("PHONE-07")
def test_a_missed_call_from_a_known_caller_shows_on_their_open_ticket(client, phone_number, donations):
    from switchboard.contacts.actions import do_create_contact

    contact = do_create_contact(kind=Contact.Kind.PERSON, last_name="Nowak", phones=[CALLER], acting_user=None)
    ticket = make_ticket(donations, contact=contact)
    post_signed(client, "/phone/voice/", call_params(CALL), auth_token=AUTH_TOKEN)
    press(client, "2")
    ended = call_params(CALL, CallStatus="completed", CallDuration="9")
    assert post_hook(client, "/phone/voice/status/", ended).status_code == 200
    assert post_hook(client, "/phone/voice/status/", ended).status_code == 200  # replayed
    entry = ticket.activities.get(kind=ActivityKind.CALL_IN)
    assert entry.body == "Missed call" and entry.duration == 9 and entry.provider_id == CALL


@pytest.mark.spec("PHONE-07")
def test_a_call_that_left_a_voicemail_is_logged_once_as_the_voicemail(client, phone_number, twilio_api, volunteers):
    press(client, "1")
    recorded = call_params(CALL, CallStatus="in-progress", RecordingUrl="x")
    body = post_signed(client, "/phone/voice/status/?recorded=1", recorded, auth_token=AUTH_TOKEN).content.decode()
    assert "<Hangup" in body
    post_hook(client, "/phone/voice/status/", call_params(CALL, CallStatus="completed"))
    leave_voicemail(client, twilio_api, volunteers, transcript="Hello")
    ticket = Ticket.objects.get(group=volunteers)
    assert list(ticket.activities.filter(kind__in=["call_in", "voicemail"]).values_list("kind", flat=True)) == [
        "voicemail"
    ]


@pytest.mark.spec("CORE-06")
def test_the_home_page_counts_open_calls_from_voicemails_and_missed_calls(
    client, phone_number, twilio_api, volunteers, alice_agent
):
    client.force_login(alice_agent)

    def open_calls() -> int:  # the home page's open phone calls of Volunteers
        import re

        page = client.get("/").content.decode()
        button = page[page.index('data-group="volunteers"') :]
        return int(re.search(r'data-count="calls">(\d+)<', button).group(1))

    assert open_calls() == 0
    leave_voicemail(client, twilio_api, volunteers, transcript="Hello")
    ended = call_params("CA" + "9" * 32, From="+48605555555", CallStatus="no-answer")
    post_hook(client, "/phone/voice/status/", ended)
    assert open_calls() == 2


@pytest.mark.spec("ROUTE-01", "PHONE-03", "CORE-05")
def test_a_new_callers_voicemail_is_routed_by_the_groups_rule_and_told_to_the_group(
    client, phone_number, twilio_api, volunteers, alice_agent, smtp_sink
):
    """A ticket a call opens is routed and announced like one an email opens."""
    from switchboard.tickets.assignment import do_set_availability
    from switchboard.tickets.models import Membership
    from switchboard.tickets.tests.factories import make_agent

    volunteers.assignment_rule = Group.AssignmentRule.LEAST_LOAD
    volunteers.save()
    mona = make_agent("mona", "MO", groups=[volunteers])
    monas = Membership.objects.get(user=mona, group=volunteers)
    monas.notify_weekdays = list(range(7))
    monas.save()
    do_set_availability(monas, available=False, acting_user=mona)

    leave_voicemail(client, twilio_api, volunteers, transcript="Please call me back")

    ticket = Ticket.objects.get(group=volunteers, contact__points__value=CALLER)
    assert ticket.owner == alice_agent and ticket.source == TicketSource.PHONE
    # Lists say what it is: the call's reason as its title, the transcript under it.
    assert ticket.title == "Voicemail" and ticket.last_contact_excerpt == "Please call me back"
    subjects = {(message["To"], message["Subject"]) for message in smtp_sink.wait_for(2)}
    assert any(to == "mona@example.test" and "New ticket in Volunteers" in subject for to, subject in subjects)
    assert any(to == "alice@example.test" and "Assigned to you" in subject for to, subject in subjects)
