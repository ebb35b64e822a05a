"""The reply composer's SMS tab (PHONE-05) in a real browser (Debian's Chromium) against a real
`switchboard web` process on the test database."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.intake.models import OutboundMessage
from switchboard.phone.tests.conftest import CALLER
from switchboard.testing.browser import open_ticket
from switchboard.tickets.canned_responses import do_save_canned_response
from switchboard.tickets.models import ActivityKind, Membership
from switchboard.tickets.tests.factories import make_agent, make_ticket
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = pytest.mark.django_db(transaction=True)

SECOND_MOBILE = "+48602000111"


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


@pytest.mark.spec("PHONE-05", "CC-08")
def test_the_sms_tab_chooses_a_number_inserts_a_canned_response_counts_segments_and_sends(
    web,
    browser,
    phone_number,
    volunteers,
    alice_agent,
):
    manager = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    do_save_canned_response(
        volunteers,
        title="Pick-up",
        body_html="<p>Thank you for offering the sofa. Our van can collect it on [Enter date] between nine and "
        "twelve. Please make sure it fits through the door and that someone is at home to let the driver in.</p>",
        acting_user=manager,
    )
    maria = do_create_contact(
        kind=Contact.Kind.PERSON,
        first_name="Maria",
        last_name="Garcia",
        phones=[CALLER, SECOND_MOBILE],
        acting_user=None,
    )
    ticket = make_ticket(volunteers, contact=maria)
    page = signed_in(browser.new_context(), web, alice_agent)

    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.click("text=Reply to contact")
    page.click("#reply-sms-tab")
    expect(page.locator("#id_sms_to")).to_have_value(CALLER)
    page.select_option("#id_sms_to", SECOND_MOBILE)
    counter = page.locator("[data-sms-counter]")
    page.fill("#id_sms_text", "Hello Maria!")
    expect(counter).to_have_text("12 characters, 1 SMS (GSM-7)")

    page.select_option("#id_sms_canned", label="Pick-up")
    expect(counter).to_contain_text("2 SMS (GSM-7)")
    expect(page.locator("#id_sms_text")).to_have_value(re.compile(r"^Hello Maria! Thank you for offering the sofa\."))
    expect(page.locator("#reply-sms [data-send]")).to_be_disabled()
    expect(page.locator("#reply-sms [data-placeholder-warning]")).to_contain_text("[Enter date]")
    text = page.input_value("#id_sms_text")
    page.fill("#id_sms_text", text.replace("[Enter date]", "Friday"))
    expect(page.locator("#reply-sms [data-send]")).to_be_enabled()
    page.fill("#id_sms_text", "Dziękujemy, do piątku!")  # Polish letters: UCS-2
    expect(counter).to_have_text("22 characters, 1 SMS (UCS-2)")
    page.fill("#id_sms_text", text.replace("[Enter date]", "Friday"))

    page.click("#reply-sms [data-send]")
    expect(page.locator(".alert-success")).to_contain_text("SMS queued for sending.")
    expect(page.locator(".kind-sms_out")).to_contain_text("Our van can collect it on Friday")
    expect(page.locator(".kind-sms_out [data-sms-delivery]")).to_contain_text(f"Queued for {SECOND_MOBILE}")
    outbox = OutboundMessage.objects.get(channel="sms")
    assert outbox.to_address == SECOND_MOBILE and outbox.activity.kind == ActivityKind.SMS_OUT
