"""The contact's pages in a real browser (CC-01): from a ticket to its contact, edited and shown."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from switchboard.contacts.actions import ContactDetails, PointInput, do_update_contact
from switchboard.contacts.models import ContactField
from switchboard.testing.browser import open_ticket
from switchboard.tickets.tests.factories import make_contact, make_ticket
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.spec("CC-01")]


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


def test_an_agent_opens_the_contact_from_a_ticket_and_edits_a_phone_label_and_a_custom_field(
    web, browser, volunteers, alice_agent
):
    segment = ContactField.objects.create(name="Segment", kind=ContactField.Kind.CHOICE, choices="Gold\nSilver")
    contact = make_contact("Anna", "Nowak", email="anna@example.org")
    do_update_contact(
        contact,
        details=ContactDetails(
            first_name="Anna",
            last_name="Nowak",
            points=[PointInput("email", "anna@example.org", "work"), PointInput("phone", "+48601234567", "home")],
        ),
        acting_user=None,
    )
    ticket = make_ticket(volunteers, contact=contact)
    page = signed_in(browser.new_context(), web, alice_agent)

    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.click("[data-header-contact]")
    expect(page.locator("h1 [data-contact-name]")).to_have_text("Anna Nowak")
    expect(page.locator('[data-point="+48601234567"] [data-label]')).to_have_text("Home")
    expect(page.locator(f'[data-tickets] [data-number="{ticket.number}"]')).to_contain_text(ticket.title)

    page.click("text=Edit")
    phone_row = page.locator("[data-point-row]", has=page.locator('input[value="+48601234567"]'))
    phone_row.locator("select[name$='-label']").select_option(label="Mobile")
    page.select_option(f"#id_custom_{segment.pk}", "Silver")
    page.click("[data-save]")

    expect(page.locator(".alert-success")).to_have_text("Contact saved.")
    expect(page.locator('[data-point="+48601234567"] [data-label]')).to_have_text("Mobile")
    expect(page.locator('[data-custom="Segment"]')).to_have_text("Silver")


def test_a_taken_email_is_said_beside_it_in_the_browser(web, browser, volunteers, alice_agent):
    make_contact("Jan", "Kowalski", email="jan@example.org")
    contact = make_contact("Anna", "Nowak", email="anna@example.org")
    page = signed_in(browser.new_context(), web, alice_agent)

    page.goto(f"{web}/contacts/{contact.pk}/edit/")
    empty = page.locator("[data-point-row]").last
    empty.locator("select[name$='-kind']").select_option("email")
    empty.locator("input[name$='-value']").fill("jan@example.org")
    empty.locator("input[name$='-value']").press("Enter")

    expect(page.locator("[data-point-row] [data-error]")).to_have_text(
        "“jan@example.org” already belongs to another contact: Jan Kowalski."
    )
