"""Phone states (PHONE-09) in a real browser: an agent switches from the navbar's shift menu in
one browser context, and the manager's Team page in another shows it at once, with the time in
the new state ticking from zero."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from switchboard.tickets.models import Membership
from switchboard.tickets.tests.factories import make_agent
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.spec("PHONE-09")]


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}  # live updates come from the web process


def test_the_managers_team_page_follows_an_agent_switching_state_live(web, browser, volunteers, alice_agent):
    manager = make_agent("mia", "MI", groups=[volunteers], role=Membership.Role.MANAGER)
    team = signed_in(browser.new_context(), web, manager)
    team.goto(f"{web}/groups/{volunteers.slug}/team/")
    alice_cell = team.locator(f'[data-state-of="{alice_agent.pk}"]')
    expect(alice_cell).to_have_attribute("data-state", "ready")
    expect(alice_cell.locator("[data-state-since]")).to_have_text(re.compile(r"^\d+:\d\d$"))

    agent = signed_in(browser.new_context(), web, alice_agent)
    agent.goto(f"{web}/")
    agent.click("[data-shift-menu] > button")
    agent.click('[data-phone-state-menu] button[data-reason="break"]')
    expect(agent.locator("[data-shift-menu] [data-phone-state]")).to_have_attribute("data-phone-state", "not_ready")

    expect(alice_cell).to_have_attribute("data-state", "not_ready")  # no reload
    expect(alice_cell.locator("[data-state-label]")).to_have_text("Not ready")
    expect(alice_cell.locator("[data-state-reason]")).to_contain_text("Break")
    expect(alice_cell.locator("[data-state-since]")).to_have_text(re.compile(r"^0:0\d$"))

    agent.click("[data-shift-menu] > button")
    agent.click('[data-phone-state-menu] button[value="ready"]')
    expect(alice_cell).to_have_attribute("data-state", "ready")
    expect(alice_cell.locator("[data-state-reason]")).to_have_text("")
