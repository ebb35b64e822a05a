"""The navbar's time clock in a real browser (AGENT-05): clock in from the shift menu on a page,
back on that page on shift, then clock out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from switchboard.shift.models import Shift
from switchboard.tickets.models import AgentProfile
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.spec("AGENT-05")]


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


def test_an_agent_clocks_in_takes_a_break_and_clocks_out_from_the_navbar(web, browser, alice_agent):
    page = signed_in(browser.new_context(), web, alice_agent)
    page.goto(f"{web}/contacts/")
    expect(page.locator("[data-clock-pill]")).to_have_attribute("data-clock-pill", "off")

    page.click("[data-shift-menu] > button")
    page.click("[data-clock-in]")
    expect(page.locator("[data-clock-pill]")).to_have_attribute("data-clock-pill", "on")
    assert page.url == f"{web}/contacts/"

    page.click("[data-shift-menu] > button")
    page.select_option("#break-reason", "training")
    page.click("[data-start-break]")
    expect(page.locator("[data-clock-pill]")).to_have_attribute("data-clock-pill", "break")
    assert AgentProfile.objects.get(user=alice_agent).phone_state_reason == "training"

    page.click("[data-shift-menu] > button")
    page.click("[data-clock-out]")
    expect(page.locator("[data-clock-pill]")).to_have_attribute("data-clock-pill", "off")
    assert Shift.objects.get(agent=alice_agent).ended_at is not None
