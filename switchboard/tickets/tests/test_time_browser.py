"""Time per ticket (AGENT-07) in a real browser against `switchboard web`, the browser's clock
driven by the test (no waiting): the key m starts the timer, a hidden tab pauses it and shown
again it goes on, its "+" brings its minutes rounded up, the agent adjusts them and saves; where
the group says so it starts on open, and leaving the page pauses it with its time kept. The timer
does not push the conversation down on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from switchboard.testing.browser import open_ticket
from switchboard.tickets.models import TimeEntry
from switchboard.tickets.tests.factories import make_ticket
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.spec("AGENT-07")]


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


def stop_the_clock(page: Page) -> None:
    """The page's clock stands still but for what the test lets pass (run_for)."""
    now = dt.datetime.now(dt.UTC)
    page.clock.install(time=now)
    page.clock.pause_at(now + dt.timedelta(minutes=1))


def set_visibility(page: Page, state: str) -> None:
    page.evaluate(
        """state => {
            Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        state,
    )


def test_the_key_m_starts_the_timer_a_hidden_tab_pauses_it_and_its_adjusted_minutes_are_saved(
    web, browser, volunteers, alice_agent
):
    ticket = make_ticket(volunteers)
    page = signed_in(browser.new_context(), web, alice_agent)
    stop_the_clock(page)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    timer = page.locator("[data-ticket-timer]")
    display = timer.locator("[data-timer-display]")
    expect(timer).to_have_attribute("data-timer-state", "paused")  # the group does not start it on open
    page.clock.run_for("02:00")
    expect(display).to_have_text("0:00")

    page.keyboard.press("m")
    expect(timer).to_have_attribute("data-timer-state", "running")
    expect(timer.locator("[data-timer-toggle]")).to_have_attribute("aria-pressed", "true")
    page.clock.run_for("05:00")
    expect(display).to_have_text("5:00")

    set_visibility(page, "hidden")  # another tab
    expect(timer).to_have_attribute("data-timer-state", "paused")
    page.clock.run_for("10:00")
    set_visibility(page, "visible")  # back: it goes on
    expect(timer).to_have_attribute("data-timer-state", "running")
    page.clock.run_for("01:30")
    expect(display).to_have_text("6:30")
    page.keyboard.press("m")  # paused by hand
    page.clock.run_for("03:00")
    expect(display).to_have_text("6:30")
    expect(timer).to_have_attribute("data-timer-state", "paused")

    timer.get_by_role("button", name="Log time on this ticket").click()
    form = page.locator("#time")
    expect(form).to_be_visible()
    minutes = form.get_by_label("Minutes")
    expect(minutes).to_have_value("7")  # 6:30, rounded up
    minutes.fill("6")  # the agent adjusts it
    form.get_by_label("Note (optional)").fill("Checked the van schedule")
    form.get_by_role("button", name="Save time").click()

    expect(page.get_by_role("status").filter(has_text="Logged 6 min on this ticket.")).to_be_visible()
    entry = TimeEntry.objects.get()
    assert (entry.minutes, entry.source, entry.note, entry.agent_id) == (
        6,
        "timer",
        "Checked the van schedule",
        alice_agent.pk,
    )
    expect(page.locator("[data-time-total]")).to_have_text("6 min")
    expect(page.locator("[data-ticket-timer] [data-timer-display]")).to_have_text("0:00")  # saved: from zero again


def test_where_the_group_says_so_the_timer_starts_on_open_and_leaving_pauses_it(web, browser, volunteers, alice_agent):
    volunteers.timer_starts_on_open = True
    volunteers.save()
    ticket = make_ticket(volunteers)
    page = signed_in(browser.new_context(), web, alice_agent)
    stop_the_clock(page)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    timer = page.locator("[data-ticket-timer]")
    expect(timer).to_have_attribute("data-timer-state", "running")
    page.clock.run_for("03:00")
    expect(timer.locator("[data-timer-display]")).to_have_text("3:00")

    page.goto(f"{web}/")  # left: paused, its time kept
    page.clock.run_for("20:00")
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    expect(timer).to_have_attribute("data-timer-state", "running")
    expect(timer.locator("[data-timer-display]")).to_have_text("3:00")
    page.clock.run_for("00:20")
    timer.get_by_role("button", name="Timer").click()  # paused by its button
    expect(timer).to_have_attribute("data-timer-state", "paused")
    expect(timer.locator("[data-timer-display]")).to_have_text("3:20")


@pytest.mark.parametrize("language", ["en", "pl"])
def test_on_a_phone_the_timer_leaves_the_conversation_near_the_top(web, browser, volunteers, alice_agent, language):
    ticket = make_ticket(volunteers)
    alice_agent.agent_profile.language = language
    alice_agent.agent_profile.save()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = signed_in(context, web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    expect(page.locator("[data-ticket-timer]")).to_be_visible()
    assert page.locator(".timeline").bounding_box()["y"] < 500
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
