"""The demo's SMS conversation (issue 12, demo data): a donor's text with a photo, answered by SMS."""

from __future__ import annotations

import pytest

from switchboard.phone.demo import load_phone_demo
from switchboard.tickets.demo import load_demo_data
from switchboard.tickets.models import ActivityKind, Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.spec("PHONE-04", "PHONE-05")
def test_the_demo_has_an_sms_conversation_with_a_photo(client):
    load_demo_data()
    load_phone_demo()  # as `switchboard run --demo` loads them
    ticket = Ticket.objects.get(source="sms", contact__points__value="+15415550123")
    text = ticket.activities.get(kind=ActivityKind.SMS_IN)
    (photo,) = text.attachments.all()
    assert photo.is_photo and photo.thumbnail
    client.force_login(ticket.group.memberships.first().user)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "give away our fridge" in page
    assert f"/attachments/{photo.pk}/thumbnail/" in page
    assert "Our van can collect the fridge on Friday" in page
    assert "Delivered to +15415550123" in page
