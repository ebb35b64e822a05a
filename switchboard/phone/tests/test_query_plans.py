"""The voice and SMS webhooks (and the jobs they queue) find the caller, their ticket and the menu without reading a
large table whole (issue 19), on seeded data: see ``switchboard.testing.query_plans``."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.test import TestCase

from switchboard.contacts.models import ContactPoint
from switchboard.phone.models import MenuEntry, PhoneNumber
from switchboard.phone.tests.conftest import ACCOUNT_SID, AUTH_TOKEN, OUR_NUMBER
from switchboard.testing.query_plans import captured_statements, full_scans, seed_for_plans
from switchboard.testing.twilio_api import post_signed
from switchboard.tickets.models import ActivityKind, Group, Ticket

CALL = "CA" + "9" * 32


@pytest.mark.django_db
@pytest.mark.spec("PHONE-01", "PHONE-07", "PHONE-05")
def test_the_webhooks_read_no_large_table_whole(client):
    seed_for_plans()
    first, second = Group.objects.annotate(size=Count("tickets")).order_by("-size")[:2]
    number = PhoneNumber(number=OUR_NUMBER, account_sid=ACCOUNT_SID, default_group=first)
    number.auth_token = AUTH_TOKEN
    number.save()
    MenuEntry.objects.create(number=number, digit="1", group=first)
    MenuEntry.objects.create(number=number, digit="2", group=second)
    ticket = Ticket.objects.filter(group=second, closed_at=None, contact__points__kind=ContactPoint.Kind.PHONE).first()
    caller = ticket.contact.points.get(kind=ContactPoint.Kind.PHONE).value
    call = {"AccountSid": ACCOUNT_SID, "CallSid": CALL, "From": caller, "To": OUR_NUMBER}
    text = {"AccountSid": ACCOUNT_SID, "MessageSid": "SM" + "9" * 32, "From": caller, "To": OUR_NUMBER}
    webhooks = {
        "call comes in": ("/phone/voice/", {**call, "CallStatus": "ringing"}),
        "digit pressed": ("/phone/voice/menu/?attempt=1", {**call, "CallStatus": "in-progress", "Digits": "2"}),
        "missed call": ("/phone/voice/status/", {**call, "CallStatus": "completed", "CallDuration": "4"}),
        "text message": ("/phone/sms/", {**text, "SmsStatus": "received", "Body": "Any news?", "NumMedia": "0"}),
    }
    scans = {}
    for name, (path, params) in webhooks.items():
        # The webhook's own statements and those of the job it queues (run as it commits).
        with captured_statements() as statements, TestCase.captureOnCommitCallbacks(execute=True):
            assert post_signed(client, path, params, auth_token=AUTH_TOKEN).status_code == 200, name
        assert statements, name
        if found := full_scans(statements):
            scans[name] = found
    assert scans == {}
    assert ticket.activities.filter(kind=ActivityKind.CALL_IN, provider_id=CALL).exists()
