"""Calls and voicemails go through the one intake pipeline, as email and texts do: a blocked
caller opens no ticket (what they left is kept), a call on a recently closed ticket follows the
group's "a reply to a closed ticket" (reopen, or a new ticket that refers to it), a withheld
number opens a ticket of an unknown caller, and a call or text whose job was lost is applied by
the retry of forgotten messages, in its group, with its recording or photos fetched."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.intake.models import BlockedSender, RawMessage
from switchboard.phone.tests.conftest import CALLER, call_params
from switchboard.phone.tests.test_voice import CALL, _recording_callback, leave_voicemail, post_hook, press, speech_wav
from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.models import ActivityKind, Group, StatusKind, Ticket
from switchboard.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def nowak(db) -> Contact:
    return do_create_contact(kind=Contact.Kind.PERSON, last_name="Nowak", phones=[CALLER], acting_user=None)


def missed_call(client, call_sid: str = CALL) -> None:
    """The caller chooses Donations (2), leaves no voicemail and hangs up."""
    post_hook(client, "/phone/voice/", call_params(call_sid))
    press(client, "2")
    post_hook(client, "/phone/voice/status/", call_params(call_sid, CallStatus="completed", CallDuration="12"))


@pytest.mark.spec("MAIL-10", "PHONE-07")
def test_a_blocked_callers_call_and_voicemail_open_no_ticket_but_are_kept(
    client, phone_number, twilio_api, volunteers, donations
):
    BlockedSender.objects.create(sender=CALLER, note="Calls every night")
    missed_call(client)
    leave_voicemail(client, twilio_api, volunteers, transcript="Buy our solar panels")

    assert not Ticket.objects.exists()
    assert not Contact.objects.filter(points__value=CALLER).exists()
    kept = RawMessage.objects.filter(channel="voice", state=RawMessage.State.BLOCKED)
    assert sorted(raw.source_key.partition(":")[0] for raw in kept) == ["recording", "status"]
    assert all(raw.sender == CALLER and CALLER in raw.reason for raw in kept)
    assert b"Buy+our+solar+panels" in bytes(kept.get(source_key__startswith="recording").data)
    assert BlockedSender.objects.get(sender=CALLER).dropped == 2
    assert not [r for r in twilio_api.requests if "/Recordings/" in r.path]  # nothing fetched for it


@pytest.mark.spec("MAIL-03", "CORE-03", "PHONE-07")
def test_a_call_on_a_closed_ticket_reopens_it_where_the_group_says_so(client, phone_number, donations, nowak):
    ticket = make_ticket(donations, contact=nowak)
    do_close_ticket(ticket, acting_user=None)

    missed_call(client)

    ticket.refresh_from_db()
    assert Ticket.objects.filter(contact=nowak).count() == 1
    assert ticket.is_open and ticket.activities.filter(kind=ActivityKind.REOPENED).exists()
    assert ticket.status.kind in StatusKind.needing_action()
    call = ticket.activities.get(kind=ActivityKind.CALL_IN)
    assert call.body == "Missed call" and call.duration == 12


@pytest.mark.spec("MAIL-03", "CORE-03", "PHONE-03")
def test_a_voicemail_on_a_closed_ticket_opens_a_new_one_that_refers_to_it_where_the_group_says_so(
    client, phone_number, twilio_api, volunteers, nowak
):
    volunteers.reply_to_closed = Group.ReplyToClosed.NEW_TICKET
    volunteers.save()
    old = make_ticket(volunteers, contact=nowak)
    do_close_ticket(old, acting_user=None)

    leave_voicemail(client, twilio_api, volunteers, transcript="About the same thing again")

    new = Ticket.objects.get(contact=nowak, closed_at__isnull=True)
    assert new != old and new.follows == old and new.group == volunteers
    assert new.activities.get(kind=ActivityKind.VOICEMAIL).body == "About the same thing again"
    assert not Ticket.objects.get(pk=old.pk).is_open


@pytest.mark.spec("PHONE-07")
def test_a_call_long_after_the_ticket_was_closed_opens_a_new_ticket(client, phone_number, donations, nowak):
    ticket = make_ticket(donations, contact=nowak)
    do_close_ticket(ticket, acting_user=None)

    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        missed_call(client)

    new = Ticket.objects.get(contact=nowak, closed_at__isnull=True)
    assert new != ticket and new.follows is None
    assert new.activities.filter(kind=ActivityKind.CALL_IN).count() == 1


@pytest.mark.spec("PHONE-03", "MAIL-13")
def test_a_voicemail_whose_job_was_lost_is_applied_later_in_its_group_and_fetched(
    client, phone_number, twilio_api, donations, nowak
):
    from django.test import TestCase

    from switchboard.intake.tasks import apply_forgotten_messages

    _recording_callback(client, twilio_api, donations, transcript="", caller=CALLER, audio=None)  # its job is lost
    assert not Ticket.objects.exists()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        with TestCase.captureOnCommitCallbacks(execute=True):
            apply_forgotten_messages.call_local()
    ticket = Ticket.objects.get(contact=nowak)
    assert ticket.group == donations  # the group whose voicemail the caller reached, not the number's default
    voicemail = ticket.activities.get(kind=ActivityKind.VOICEMAIL)
    assert voicemail.attachments.get().file.read() == speech_wav()


@pytest.mark.spec("PHONE-03", "PHONE-07")
def test_a_voicemail_and_a_missed_call_from_a_withheld_number_each_open_a_ticket_of_an_unknown_caller(
    client, phone_number, twilio_api, volunteers
):
    leave_voicemail(
        client, twilio_api, volunteers, transcript="This is Ewa, call me on 601 000 111", caller="anonymous"
    )
    ended = call_params("CA" + "3" * 32, From="anonymous", Caller="anonymous", CallStatus="no-answer")
    post_hook(client, "/phone/voice/status/", ended)

    tickets = list(Ticket.objects.filter(group=volunteers).order_by("number"))
    assert len(tickets) == 2 and tickets[0].contact != tickets[1].contact
    assert all(str(t.contact) == "Unknown caller" and not t.contact.points.exists() for t in tickets)
    voicemail = tickets[0].activities.get(kind=ActivityKind.VOICEMAIL)
    assert voicemail.body == "This is Ewa, call me on 601 000 111" and voicemail.attachments.count() == 1
    assert tickets[1].activities.get(kind=ActivityKind.CALL_IN).body == "Missed call"


@pytest.mark.spec("PHONE-04", "MAIL-13")
def test_an_mms_whose_job_was_lost_is_applied_later_with_its_photos(client, phone_number, twilio_api, nowak):
    from django.test import TestCase

    from switchboard.intake.tasks import apply_forgotten_messages
    from switchboard.phone.tests.conftest import ACCOUNT_SID, AUTH_TOKEN
    from switchboard.phone.tests.test_sms import photo, sms_params
    from switchboard.testing.twilio_api import post_signed

    url = twilio_api.add_media(ACCOUNT_SID, "MM" + "4" * 32, photo("red"), "image/png")
    params = sms_params("MM" + "4" * 32, "The gate is broken", media=[url])
    assert post_signed(client, "/phone/sms/", params, auth_token=AUTH_TOKEN).status_code == 200  # its job is lost
    assert not Ticket.objects.exists()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        with TestCase.captureOnCommitCallbacks(execute=True):
            apply_forgotten_messages.call_local()
    text = Ticket.objects.get(contact=nowak).activities.get(kind=ActivityKind.SMS_IN)
    assert text.body == "The gate is broken"
    assert [a.filename for a in text.attachments.all()] == ["photo-1.png"] and text.file_fetch == ""
