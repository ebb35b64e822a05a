"""Text messages (PHONE-04, PHONE-05) and the ticket's phone actions (CC-08), through the real
webhooks signed as the provider signs them, the real outbox and the provider's REST API stand-in."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from PIL import Image

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact, ContactPoint
from switchboard.intake.models import OutboundMessage
from switchboard.phone.models import PhoneNumber, SmsDelivery
from switchboard.phone.tests.conftest import ACCOUNT_SID, AUTH_TOKEN, CALLER, OUR_NUMBER
from switchboard.testing.twilio_api import post_signed
from switchboard.tickets.models import Activity, ActivityKind, AgentProfile, Ticket
from switchboard.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db(transaction=True)  # commits, so that the jobs run as they do in production

LANDLINE = "+48223334455"


def sms_params(message_sid: str, body: str, *, sender: str = CALLER, media: list[str] = ()) -> dict[str, str]:
    """What Twilio sends with an incoming text."""
    params = {
        "AccountSid": ACCOUNT_SID,
        "MessageSid": message_sid,
        "SmsSid": message_sid,
        "SmsStatus": "received",
        "From": sender,
        "To": OUR_NUMBER,
        "Body": body,
        "NumSegments": "1",
        "NumMedia": str(len(media)),
        "ApiVersion": "2010-04-01",
    }
    for index, url in enumerate(media):
        params |= {f"MediaUrl{index}": url, f"MediaContentType{index}": "image/png"}
    return params


def photo(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "PNG")
    return buffer.getvalue()


def status_params(message_sid: str, status: str, **more: str) -> dict[str, str]:
    return {
        "AccountSid": ACCOUNT_SID,
        "MessageSid": message_sid,
        "SmsSid": message_sid,
        "MessageStatus": status,
        "SmsStatus": status,
        "From": OUR_NUMBER,
        "To": CALLER,
        "ApiVersion": "2010-04-01",
        **more,
    }


@pytest.fixture(autouse=True)
def no_jobs_left_from_other_tests():
    from huey.contrib.djhuey import HUEY

    HUEY.flush()


def sid(n: int, prefix: str = "SM") -> str:
    return f"{prefix}{n:032x}"


@pytest.fixture
def maria(db) -> Contact:
    return do_create_contact(
        kind=Contact.Kind.PERSON, first_name="Maria", last_name="Garcia", phones=[CALLER], acting_user=None
    )


@pytest.mark.spec("PHONE-04")
def test_a_text_with_two_photos_lands_on_the_senders_open_ticket_with_thumbnails(
    client, phone_number, twilio_api, maria, alice_agent
):
    response = post_signed(client, "/phone/sms/", sms_params(sid(1), "The tap is leaking again"), auth_token=AUTH_TOKEN)
    assert response.status_code == 200
    ticket = Ticket.objects.get(contact=maria)
    assert ticket.group == phone_number.default_group
    assert ticket.source == "sms"
    assert ticket.title == "The tap is leaking again"  # a text has no subject: its words name the ticket

    urls = [twilio_api.add_media(ACCOUNT_SID, sid(2, "MM"), photo(colour), "image/png") for colour in ("red", "blue")]
    params = sms_params(sid(2, "MM"), "Here are photos of it", media=urls)
    assert post_signed(client, "/phone/sms/", params, auth_token=AUTH_TOKEN).status_code == 200

    assert Ticket.objects.filter(contact=maria).count() == 1  # appended to the open ticket
    assert Ticket.objects.get(pk=ticket.pk).last_contact_excerpt == "Here are photos of it"  # the latest, in lists
    texts = list(ticket.activities.filter(kind=ActivityKind.SMS_IN).order_by("pk"))
    assert [t.body for t in texts] == ["The tap is leaking again", "Here are photos of it"]
    photos = list(texts[1].attachments.order_by("pk"))
    assert [p.filename for p in photos] == ["photo-1.png", "photo-2.png"]
    assert all(p.is_photo and p.thumbnail for p in photos)
    fetched = [r for r in twilio_api.requests if r.method == "GET"]
    assert [r.account_sid for r in fetched] == [ACCOUNT_SID, ACCOUNT_SID]  # with the number's credentials

    client.force_login(alice_agent)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "Here are photos of it" in page
    for stored in photos:
        assert f"/attachments/{stored.pk}/thumbnail/" in page
        assert client.get(f"/attachments/{stored.pk}/thumbnail/").status_code == 200

    # The provider tries the same webhook again: nothing is added twice.
    assert post_signed(client, "/phone/sms/", params, auth_token=AUTH_TOKEN).status_code == 200
    assert ticket.activities.filter(kind=ActivityKind.SMS_IN).count() == 2
    assert texts[1].attachments.count() == 2


@pytest.mark.spec("PHONE-04")
def test_a_photo_the_provider_cannot_serve_at_first_is_pending_then_fetched_by_a_later_attempt(
    client, phone_number, twilio_api, maria, alice_agent
):
    from huey.contrib.djhuey import HUEY

    url = twilio_api.add_media(ACCOUNT_SID, sid(3, "MM"), photo("green"), "image/png")
    twilio_api.failures_left = 1
    post_signed(client, "/phone/sms/", sms_params(sid(3, "MM"), "Photo", media=[url]), auth_token=AUTH_TOKEN)
    message = Activity.objects.get(kind=ActivityKind.SMS_IN)
    assert message.attachments.count() == 0  # the text is on the ticket already
    client.force_login(alice_agent)
    page = client.get(f"/tickets/{message.ticket.number}/").content.decode()
    assert "Photo" in page and "Photos pending" in page

    (retry,) = HUEY.scheduled()
    assert retry.name.endswith("fetch_sms_media")
    HUEY.execute(retry, timestamp=retry.eta)  # as the consumer does once the pause is over
    assert [a.filename for a in message.attachments.all()] == ["photo-1.png"]
    page = client.get(f"/tickets/{message.ticket.number}/").content.decode()
    assert "Photos pending" not in page and "photo-1.png" in page


@pytest.mark.spec("PHONE-04")
def test_photos_the_provider_never_serves_are_said_to_be_lost_on_the_timeline(
    client, phone_number, twilio_api, maria, alice_agent, settings
):
    from huey.contrib.djhuey import HUEY

    settings.PHONE_FETCH_RETRIES = 2
    url = twilio_api.add_media(ACCOUNT_SID, sid(8, "MM"), photo("green"), "image/png")
    twilio_api.failures_left = 100
    post_signed(client, "/phone/sms/", sms_params(sid(8, "MM"), "Photo", media=[url]), auth_token=AUTH_TOKEN)
    while retries := HUEY.scheduled():
        HUEY.storage.flush_schedule()
        HUEY.execute(retries[0], timestamp=retries[0].eta)
    client.force_login(alice_agent)
    page = client.get(f"/tickets/{Ticket.objects.get(contact=maria).number}/").content.decode()
    assert "Photos could not be fetched" in page and "Photos pending" not in page


@pytest.mark.spec("PHONE-04", "PHONE-06")
def test_a_forged_text_is_refused_and_changes_nothing(client, phone_number, twilio_api, maria):
    response = post_signed(client, "/phone/sms/", sms_params(sid(4), "STOP"), auth_token="not-the-token")
    assert response.status_code == 403
    assert not Ticket.objects.exists()
    assert ContactPoint.objects.get(value=CALLER).sms_opted_out_at is None


@pytest.mark.spec("PHONE-04", "PHONE-05", "CC-08")
def test_stop_refuses_every_text_to_the_number_until_start(client, phone_number, twilio_api, maria, alice_agent):
    ticket = make_ticket(phone_number.default_group, contact=maria)
    post_signed(client, "/phone/sms/", sms_params(sid(5), "Stop"), auth_token=AUTH_TOKEN)
    assert ContactPoint.objects.get(value=CALLER).sms_opted_out

    client.force_login(alice_agent)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "This number answered STOP" in page  # the SMS tab is greyed with the reason
    response = client.post(f"/phone/tickets/{ticket.number}/sms/", {"to_number": CALLER, "text": "Hello"}, follow=True)
    assert "SMS not sent: This number answered STOP" in response.content.decode()
    assert not OutboundMessage.objects.filter(channel="sms").exists()
    assert twilio_api.messages == []

    post_signed(client, "/phone/sms/", sms_params(sid(6), "START"), auth_token=AUTH_TOKEN)
    assert not ContactPoint.objects.get(value=CALLER).sms_opted_out
    response = client.post(f"/phone/tickets/{ticket.number}/sms/", {"to_number": CALLER, "text": "Hello"}, follow=True)
    assert "SMS queued for sending." in response.content.decode()
    assert [(m["To"], m["From"], m["Body"]) for m in twilio_api.messages] == [(CALLER, OUR_NUMBER, "Hello")]


@pytest.mark.spec("PHONE-04")
def test_a_stop_that_comes_while_a_text_waits_in_the_outbox_stops_it(
    client, phone_number, twilio_api, maria, alice_agent
):
    from huey.contrib.djhuey import HUEY

    from switchboard.phone.sms import do_send_sms_to_contact

    ticket = make_ticket(phone_number.default_group, contact=maria)
    twilio_api.failures_left = 1  # the provider has a bad moment: the text waits for another attempt
    do_send_sms_to_contact(ticket, to_number=CALLER, text="See you on Friday", acting_user=alice_agent)
    assert OutboundMessage.objects.get().state == OutboundMessage.State.QUEUED
    post_signed(client, "/phone/sms/", sms_params(sid(7), "STOP"), auth_token=AUTH_TOKEN)
    (retry,) = HUEY.scheduled()
    HUEY.execute(retry, timestamp=retry.eta)  # as the consumer does once the pause is over
    message = OutboundMessage.objects.get()
    assert message.state == OutboundMessage.State.FAILED
    assert "answered STOP" in message.last_error
    assert twilio_api.messages == []


@pytest.mark.spec("PHONE-05")
def test_a_text_to_the_contact_goes_out_and_its_delivery_reports_show_on_the_timeline(
    client, phone_number, twilio_api, maria, alice_agent
):
    ticket = make_ticket(phone_number.default_group, contact=maria)
    client.force_login(alice_agent)
    client.post(f"/phone/tickets/{ticket.number}/sms/", {"to_number": CALLER, "text": "Your volunteer starts Monday"})

    (sent,) = twilio_api.messages
    assert (sent["To"], sent["From"], sent["Body"]) == (CALLER, OUR_NUMBER, "Your volunteer starts Monday")
    assert sent["StatusCallback"] == settings.SITE_URL + "/phone/sms/status/"
    entry = ticket.activities.get(kind=ActivityKind.SMS_OUT)
    assert (entry.actor, entry.to_address, entry.from_address) == (alice_agent, CALLER, OUR_NUMBER)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert f"Queued at the provider for {CALLER}" in page

    assert (
        post_signed(client, "/phone/sms/status/", status_params(sent["sid"], "sent"), auth_token=AUTH_TOKEN).status_code
        == 204
    )
    assert f"Sent to {CALLER}, not yet reported delivered" in client.get(f"/tickets/{ticket.number}/").content.decode()
    post_signed(client, "/phone/sms/status/", status_params(sent["sid"], "delivered"), auth_token=AUTH_TOKEN)
    post_signed(client, "/phone/sms/status/", status_params(sent["sid"], "sent"), auth_token=AUTH_TOKEN)  # late
    assert SmsDelivery.objects.get(sid=sent["sid"]).status == "delivered"
    assert f"Delivered to {CALLER}" in client.get(f"/tickets/{ticket.number}/").content.decode()

    forged = status_params(sent["sid"], "failed", ErrorCode="30006")
    assert post_signed(client, "/phone/sms/status/", forged, auth_token="forged").status_code == 403
    assert SmsDelivery.objects.get(sid=sent["sid"]).status == "delivered"


@pytest.mark.spec("PHONE-05")
def test_a_text_the_network_cannot_deliver_shows_the_providers_error(
    client, phone_number, twilio_api, maria, alice_agent
):
    ticket = make_ticket(phone_number.default_group, contact=maria)
    client.force_login(alice_agent)
    client.post(f"/phone/tickets/{ticket.number}/sms/", {"to_number": CALLER, "text": "Hello"})
    (sent,) = twilio_api.messages
    post_signed(
        client,
        "/phone/sms/status/",
        status_params(sent["sid"], "undelivered", ErrorCode="30006"),
        auth_token=AUTH_TOKEN,
    )
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert f"Not delivered to {CALLER}:" in page
    assert "the number is a landline or its carrier cannot be reached" in page
    assert "error 30006" in page


@pytest.mark.spec("PHONE-05")
def test_a_text_with_a_placeholder_left_or_to_a_stranger_is_refused(
    client, phone_number, twilio_api, maria, alice_agent
):
    ticket = make_ticket(phone_number.default_group, contact=maria)
    client.force_login(alice_agent)
    page = client.post(
        f"/phone/tickets/{ticket.number}/sms/", {"to_number": CALLER, "text": "See you on [Enter date]"}, follow=True
    )
    assert "Replace the placeholders before sending: [Enter date]" in page.content.decode()
    page = client.post(f"/phone/tickets/{ticket.number}/sms/", {"to_number": "+48609999999", "text": "Hi"}, follow=True)
    assert "Choose one of the contact&#x27;s mobile numbers." in page.content.decode()
    assert twilio_api.messages == []
    assert not ticket.activities.filter(kind=ActivityKind.SMS_OUT).exists()


@pytest.mark.spec("PHONE-05")
def test_click_to_call_rings_the_agents_phone_then_connects_the_contact_and_is_logged(
    client, phone_number, twilio_api, maria, alice_agent
):
    ticket = make_ticket(phone_number.default_group, contact=maria)
    client.force_login(alice_agent)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "Add your phone in personal settings to call." in page  # greyed until then

    settings_form = client.get("/settings/").context["form"]
    data = {name: value for name, value in settings_form.initial.items() if not name.startswith("weekdays_")}
    response = client.post("/settings/", {**data, "phone": "+48 501 234 567"})
    assert response.status_code == 302
    assert AgentProfile.objects.get(user=alice_agent).phone == "+48501234567"
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "data-call-unavailable" not in page and f"/phone/tickets/{ticket.number}/call/" in page

    response = client.post(f"/phone/tickets/{ticket.number}/call/", {"to_number": CALLER}, follow=True)
    assert "Your phone is ringing" in response.content.decode()
    (call,) = twilio_api.calls
    assert (call["From"], call["To"]) == (OUR_NUMBER, "+48501234567")  # the agent's phone first
    connect = urlsplit(call["Url"])
    assert parse_qs(connect.query) == {"to": [CALLER]}
    logged = ticket.activities.get(kind=ActivityKind.CALL_OUT)
    assert (logged.actor, logged.to_address, logged.provider_id) == (alice_agent, CALLER, call["sid"])

    # The agent answers: the provider asks what to do, and is told to connect the contact.
    params = {
        "AccountSid": ACCOUNT_SID,
        "CallSid": call["sid"],
        "From": OUR_NUMBER,
        "To": "+48501234567",
        "Called": "+48501234567",
        "Direction": "outbound-api",
        "CallStatus": "in-progress",
    }
    answer = post_signed(client, f"{connect.path}?{connect.query}", params, auth_token=AUTH_TOKEN)
    assert answer.status_code == 200
    assert f'<Dial callerId="{OUR_NUMBER}">{CALLER}</Dial>' in answer.content.decode()
    # The call ends: its report changes nothing on the tickets (the agent is nobody's caller).
    assert call["StatusCallback"] == settings.SITE_URL + "/phone/call/status/"
    ended = {**params, "CallStatus": "completed", "CallDuration": "95"}
    assert post_signed(client, "/phone/call/status/", ended, auth_token=AUTH_TOKEN).status_code == 204
    assert Ticket.objects.count() == 1 and ticket.activities.filter(kind=ActivityKind.CALL_OUT).count() == 1
    # Another number in the address breaks the provider's signature.
    forged = post_signed(client, f"{connect.path}?to=%2B48700000000", params, auth_token=AUTH_TOKEN, signature="x")
    assert forged.status_code == 403


@pytest.mark.spec("CC-08")
def test_call_and_sms_are_hidden_without_a_number_and_greyed_without_a_mobile(client, volunteers, alice_agent, maria):
    ticket = make_ticket(volunteers, contact=maria)
    client.force_login(alice_agent)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert 'id="reply-sms-tab"' not in page and "/call/" not in page  # the installation has no number

    number = PhoneNumber(number=OUR_NUMBER, account_sid=ACCOUNT_SID, default_group=volunteers)
    number.auth_token = AUTH_TOKEN
    number.save()
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert 'id="reply-sms-tab"' in page and "data-sms-unavailable" not in page

    landline_only = do_create_contact(
        kind=Contact.Kind.PERSON, first_name="Jan", last_name="Nowak", phones=[LANDLINE], acting_user=None
    )
    other = make_ticket(volunteers, contact=landline_only)
    page = client.get(f"/tickets/{other.number}/").content.decode()
    assert "data-sms-unavailable" in page and "The contact has no mobile number." in page


@pytest.mark.spec("PHONE-05", "MAIL-05")
def test_a_text_to_the_contact_puts_the_ticket_waiting_for_them_as_an_email_reply_does(
    client, phone_number, twilio_api, maria, alice_agent
):
    from switchboard.tickets.models import StatusKind

    ticket = make_ticket(phone_number.default_group, contact=maria)
    client.force_login(alice_agent)
    client.post(f"/phone/tickets/{ticket.number}/sms/", {"to_number": CALLER, "text": "Can you come on Monday?"})
    ticket.refresh_from_db()
    assert ticket.status.kind == StatusKind.WAITING_CONTACT
    change = ticket.activities.get(kind=ActivityKind.CHANGED)
    assert (change.actor, change.changes[0]["field"], change.changes[0]["new"]) == (
        alice_agent,
        "status",
        ticket.status.name,
    )
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert ticket.status.name in page


@pytest.mark.spec("PHONE-05")
def test_a_call_the_provider_refuses_to_place_stays_on_the_timeline_with_the_reason(
    client, phone_number, twilio_api, maria, alice_agent
):
    AgentProfile.objects.filter(user=alice_agent).update(phone="+48501234567")
    ticket = make_ticket(phone_number.default_group, contact=maria)
    client.force_login(alice_agent)
    twilio_api.failures_left = 1  # the provider cannot place it
    response = client.post(f"/phone/tickets/{ticket.number}/call/", {"to_number": CALLER}, follow=True)
    assert "The provider could not place the call" in response.content.decode()
    assert twilio_api.calls == []
    logged = ticket.activities.get(kind=ActivityKind.CALL_OUT)  # written before the provider was asked
    assert (logged.actor, logged.to_address, logged.provider_id) == (alice_agent, CALLER, "")
    assert logged.body.startswith(f"The call to {CALLER} was not placed:")
    assert f"The call to {CALLER} was not placed:" in client.get(f"/tickets/{ticket.number}/").content.decode()


@pytest.mark.spec("CC-08")
def test_a_groups_texts_go_out_from_its_own_number_else_the_first_enabled_one(phone_number, volunteers, donations):
    from switchboard.phone.sms import find_sms_number

    def number(value: str, **fields: object) -> PhoneNumber:
        made = PhoneNumber(number=value, account_sid=ACCOUNT_SID, **fields)
        made.auth_token = AUTH_TOKEN
        made.save()
        return made

    number("+10000000001", default_group=donations, enabled=False)
    assert find_sms_number(donations) == phone_number  # its own is not enabled: the first enabled one
    first = number("+10000000002", default_group=volunteers)
    assert find_sms_number(donations) == first
    its_own = number("+49300000000", default_group=donations)
    assert find_sms_number(donations) == its_own  # its own, though not the first
    assert find_sms_number(volunteers) == first  # of its own two, the first
    PhoneNumber.objects.update(enabled=False)
    assert find_sms_number(volunteers) is None
