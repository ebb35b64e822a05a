"""A voicemail plays on the ticket's timeline (PHONE-03): a real browser, the page served by
`switchboard web`, the recording fetched from the provider's API stand-in by the job."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from switchboard.phone.tests.conftest import CALLER
from switchboard.phone.tests.test_voice import leave_voicemail, speech_wav
from switchboard.testing.browser import open_ticket
from switchboard.tickets.models import ActivityKind, Ticket
from switchboard.tickets.tests.test_browser import no_pushes_from_the_test_process, signed_in  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.spec("PHONE-03")
def test_the_voicemail_plays_on_the_timeline(
    web,
    browser,
    client,
    phone_number,
    twilio_api,
    volunteers,
    alice_agent,
    settings,
):
    settings.MEDIA_ROOT = settings.DATA_DIR / "media"  # where the web process reads files
    leave_voicemail(client, twilio_api, volunteers, transcript="This is Jan Nowak about the tour")
    ticket = Ticket.objects.get(group=volunteers, contact__points__value=CALLER)
    assert ticket.activities.get(kind=ActivityKind.VOICEMAIL).attachments.get().size == len(speech_wav())
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    player = page.locator(".kind-voicemail audio[controls]")
    expect(player).to_be_visible()
    expect(page.locator(".kind-voicemail")).to_contain_text("Jan Nowak about the tour")
    page.wait_for_function("document.querySelector('.kind-voicemail audio').readyState >= 1")  # it loads and decodes
    assert page.evaluate("document.querySelector('.kind-voicemail audio').duration") == pytest.approx(1.0, abs=0.1)
