"""Contact search in a real browser (Debian's Chromium) against a real `switchboard web`: the
contacts list's box and its suggestions as one types, and the ticket page's contact picker."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.testing.browser import open_ticket
from switchboard.tickets.models import ActivityKind
from switchboard.tickets.tests.factories import make_contact, make_ticket
from switchboard.tickets.tests.test_browser import signed_in, watched

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.spec("CC-01")]


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


@pytest.fixture
def bakery(db):
    return do_create_contact(
        kind=Contact.Kind.COMPANY,
        company_name="Łódź Piekarnia",
        emails=["biuro@piekarnia.example"],
        phones=["+48 601 234 567"],
        acting_user=None,
    )


def test_typing_lodz_suggests_the_bakery_and_the_keyboard_opens_it(web, browser, volunteers, alice_agent, bakery):
    make_contact("Lola", "Nowak")  # "lo" begins her name too, not "lodz"
    page = signed_in(browser.new_context(), web, alice_agent)
    violations = watched(page)
    page.goto(f"{web}/")
    page.get_by_role("link", name="Contacts").click()
    box = page.get_by_role("combobox", name="Find a contact")
    expect(box).to_be_focused()
    box.type("lo")
    suggestions = page.locator("#contact-search-results")
    expect(suggestions.locator("[data-search-result]")).to_have_count(2)
    box.type("dz")
    expect(suggestions.locator("[data-search-result]")).to_have_count(1)
    expect(suggestions).to_contain_text("Łódź Piekarnia")
    expect(suggestions).to_contain_text("+48601234567")
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", f"found-contact-{bakery.pk}")
    with page.expect_request(f"{web}/contacts/{bakery.pk}/"):
        page.keyboard.press("Enter")
    assert violations == []


def test_enter_alone_lists_every_match_with_boxes_to_select_them(web, browser, volunteers, alice_agent, bakery):
    for n in range(3):
        make_contact("Anna", f"Wójcik{n}")
    page = signed_in(browser.new_context(), web, alice_agent)
    page.goto(f"{web}/contacts/")
    page.get_by_role("combobox", name="Find a contact").type("wojcik")
    expect(page.locator("#contact-search-results [data-search-result]")).to_have_count(3)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{web}/contacts/?q=wojcik")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    page.get_by_role("checkbox", name="Select all contacts on this page").check()
    expect(page.locator('tbody input[name="contact"]:checked')).to_have_count(3)


def test_on_a_phone_the_contacts_list_fits_and_speaks_polish(web, browser, volunteers, alice_agent, bakery):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="pl-PL")
    page = signed_in(context, web, alice_agent)
    page.goto(f"{web}/contacts/")
    expect(page.locator("h1")).to_have_text("Kontakty")
    page.get_by_role("combobox", name="Znajdź kontakt").type("0048 601 234")
    expect(page.locator("#contact-search-results")).to_contain_text("Łódź Piekarnia")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_picker_on_the_ticket_page_changes_the_contact(web, browser, volunteers, alice_agent, bakery):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia"))
    page = signed_in(browser.new_context(), web, alice_agent)
    violations = watched(page)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    card = page.locator("[data-contact-card]")
    card.get_by_role("button", name="Change contact").click()
    box = card.get_by_role("combobox", name="Find a contact")
    expect(box).to_be_visible()
    box.click()
    box.type("piek")
    suggestions = card.locator("#change-contact-q-results")
    expect(suggestions.locator("[data-search-result]")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    confirm = card.locator("[data-suggest-submit]")
    expect(confirm).to_be_enabled()
    expect(confirm).to_be_focused()
    expect(box).to_have_value("Łódź Piekarnia")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Łódź Piekarnia is now this ticket’s contact.")
    expect(page.locator("[data-contact-name]")).to_have_text("Łódź Piekarnia")
    ticket.refresh_from_db()
    assert ticket.contact == bakery
    assert ticket.activities.filter(kind=ActivityKind.CHANGED).exists()
    assert violations == []


def test_a_company_created_in_place_becomes_the_tickets_contact(web, browser, volunteers, alice_agent):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia"))
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    card = page.locator("[data-contact-card]")
    card.get_by_role("button", name="Create a new contact").click()
    form = card.locator("#new-contact")
    expect(form.get_by_label("First name")).to_be_visible()
    expect(form.get_by_label("Company name")).to_be_hidden()
    form.get_by_role("radio", name="Company").check()
    expect(form.get_by_label("First name")).to_be_hidden()
    form.get_by_label("Company name").fill("Riverside Dental Clinic")
    form.get_by_label("Email").fill("desk@riverside.example")
    form.get_by_role("button", name=re.compile("Create and make it")).click()
    expect(page.locator("[data-contact-name]")).to_have_text("Riverside Dental Clinic")
    ticket.refresh_from_db()
    assert ticket.contact.kind == Contact.Kind.COMPANY and ticket.title == "Riverside Dental Clinic (Volunteers)"


@pytest.mark.spec("CC-06")
def test_tickets_are_created_for_the_contacts_selected_in_the_search(web, browser, volunteers, alice_agent):
    """An outbound campaign from a contact search: select, choose the campaign, and see what was
    made and who was skipped (one open ticket per contact and campaign)."""
    contacts = [make_contact("Ewa", f"Kowalczyk{n}") for n in range(3)]
    busy = make_ticket(volunteers, contact=contacts[0])
    page = signed_in(browser.new_context(), web, alice_agent)
    page.goto(f"{web}/contacts/?q=kowalczyk")
    page.get_by_role("checkbox", name="Select all contacts on this page").check()
    page.get_by_label("Campaign").select_option(label=volunteers.name)
    page.get_by_role("button", name="Create tickets").click()
    expect(page.locator("[data-summary]")).to_have_text("2 tickets created, 1 contact skipped.")
    expect(page.locator("[data-skipped]")).to_contain_text(f"#{busy.number}")
    made = volunteers.tickets.exclude(pk=busy.pk)
    assert sorted(t.contact_id for t in made) == sorted(c.pk for c in contacts[1:])
    assert {t.source for t in made} == {"outbound"}
