"""Global search in a real browser (Debian's Chromium) against a real `switchboard web`: the
navbar's box, its suggestions as one types, its keys, and its results page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.tickets.actions import do_add_note, do_close_ticket
from switchboard.tickets.models import TicketSource
from switchboard.tickets.tests.factories import make_contact, make_ticket
from switchboard.tickets.tests.test_browser import signed_in, watched

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.spec("CORE-10", "CC-01")]


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


@pytest.fixture
def callers_ticket(volunteers):
    caller = do_create_contact(
        kind=Contact.Kind.PERSON, first_name="Maria", last_name="Garcia", phones=["+48601234567"], acting_user=None
    )
    do_close_ticket(make_ticket(volunteers, contact=caller, source=TicketSource.PHONE), acting_user=None)
    return make_ticket(volunteers, contact=caller, source=TicketSource.PHONE)


def test_slash_then_a_callers_number_typed_with_spaces_then_arrows_and_enter_open_their_open_ticket(
    web, browser, volunteers, alice_agent, callers_ticket
):
    page = signed_in(browser.new_context(), web, alice_agent)
    violations = watched(page)  # of the Content-Security-Policy: the box's script and htmx need no exception
    page.goto(f"{web}/")
    page.keyboard.press("/")
    box = page.get_by_role("combobox", name="Search tickets and contacts")
    expect(box).to_be_focused()
    page.keyboard.type("+48 601 234 567")
    suggestions = page.locator("#global-search-results")
    expect(suggestions).to_be_visible()
    results = suggestions.locator("[data-number]")
    expect(results).to_have_count(2)  # the open ticket first, then the closed one
    expect(results.first).to_have_attribute("data-number", str(callers_ticket.number))
    expect(suggestions.locator("[data-contact]")).to_contain_text("Maria Garcia")

    page.keyboard.press("Escape")
    expect(suggestions).to_be_hidden()
    page.keyboard.press("ArrowDown")
    expect(suggestions).to_be_visible()
    expect(results.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", f"suggested-ticket-{callers_ticket.number}")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{web}/tickets/{callers_ticket.number}/")
    assert violations == []


def test_enter_without_a_choice_opens_every_result_for_words_anywhere_in_a_ticket(
    web, browser, volunteers, donations, alice_agent
):
    ticket = make_ticket(volunteers, contact=make_contact("Tom", "Becker"))
    do_add_note(ticket, body="The sofa goes on Friday", acting_user=alice_agent)
    make_ticket(donations, contact=make_contact("Tom", "Becker"))  # another group's: never shown
    page = signed_in(browser.new_context(), web, alice_agent)
    page.goto(f"{web}/")
    page.keyboard.press("/")
    page.keyboard.type("becker sofa")
    expect(page.locator("#global-search-results")).to_contain_text("No quick match")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{web}/search/?q=becker+sofa")
    expect(page.locator("h1")).to_have_text("Results for “becker sofa”")
    expect(page.locator("main [data-number]")).to_have_count(1)
    expect(page.locator(f'main [data-number="{ticket.number}"]')).to_contain_text("Volunteers")


def test_on_a_phone_an_icon_opens_a_full_width_box_and_nothing_scrolls_sideways(
    web, browser, volunteers, alice_agent, callers_ticket
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="pl-PL")
    page = signed_in(context, web, alice_agent)
    page.goto(f"{web}/")
    box = page.locator("#global-search")
    expect(box).to_be_hidden()
    page.locator("[data-search-toggle]").click()
    expect(box).to_be_focused()
    assert box.bounding_box()["width"] > 340
    box.type("48 601 234")  # without its "+"
    results = page.locator("#global-search-results")
    expect(results.locator("[data-number]").first).to_be_visible()
    expect(results).to_contain_text("Wszystkie wyniki")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(box).to_be_hidden()
