"""Triage at a glance in a real browser (issue 19): unread marks that opening clears, the bulk bar
that appears with a selection, the status legend, the grey line of the contact's words, and on a
390 px phone the list as two-line cards with nothing scrolling sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from switchboard.intake.inbound import Inbound, Person
from switchboard.testing.browser import open_ticket
from switchboard.tickets.actions import do_change_ticket_status
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import StatusKind, Ticket
from switchboard.tickets.tests.factories import make_contact, make_ticket
from switchboard.tickets.tests.test_browser import no_pushes_from_the_test_process, signed_in  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

LONG_WORDS = (
    "Hello, I would like to donate a sofa, two armchairs and a very long dining table with eight chairs; "
    "could somebody pick them up on Friday morning before ten?"
)


def written_in(ticket: Ticket, text: str) -> None:
    sender = Person(address="someone@example.org", name="Someone")
    do_add_inbound_message(ticket, inbound=Inbound(channel="email", sender=sender, text=text), cc=[])


def row(page: Page, ticket: Ticket):
    return page.locator(f'tr[data-number="{ticket.number}"]')


@pytest.mark.spec("CORE-05", "CORE-07")
def test_a_ticket_is_bold_and_dotted_until_opened_and_shows_the_contacts_words_under_its_title(
    web, browser, volunteers, alice_agent
):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia"))
    written_in(ticket, "Can I help on Saturday?")
    page = signed_in(browser.new_context(viewport={"width": 1280, "height": 800}), web, alice_agent)
    page.goto(f"{web}/groups/volunteers/")
    expect(row(page, ticket)).to_have_class(re.compile(r"\bunread\b"))
    expect(row(page, ticket).locator(".unread-dot")).to_be_visible()
    expect(row(page, ticket).locator(".ticket-title")).to_have_css("font-weight", "700")
    snippet = row(page, ticket).locator(".snippet")
    expect(snippet).to_have_text("Can I help on Saturday?")
    expect(snippet).to_have_css("color", "rgb(108, 117, 125)")  # grey
    expect(row(page, ticket).locator(".status-pill")).to_have_text("New")

    row(page, ticket).locator(".c-title").click()
    page.wait_for_selector("[data-ticket-socket][data-opened]", state="attached")
    page.go_back()
    page.reload()
    expect(row(page, ticket)).not_to_have_class(re.compile(r"\bunread\b"))
    expect(row(page, ticket).locator(".unread-dot")).to_have_count(0)
    expect(row(page, ticket).locator(".ticket-title")).to_have_css("font-weight", "400")


@pytest.mark.spec("CORE-05")
def test_the_status_legend_is_one_click_away(web, browser, volunteers, alice_agent):
    make_ticket(volunteers)
    page = signed_in(browser.new_context(), web, alice_agent)
    page.goto(f"{web}/groups/volunteers/")
    legend = page.locator(".status-legend-panel")
    expect(legend).to_be_hidden()
    page.get_by_title("What the statuses mean").click()
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Waiting for the contact")
    expect(legend).to_contain_text("We answered: waiting for the contact.")


@pytest.mark.spec("CORE-15")
def test_the_bulk_bar_appears_only_once_a_ticket_is_checked(web, browser, volunteers, alice_agent):
    first, _second = make_ticket(volunteers), make_ticket(volunteers)
    page = signed_in(browser.new_context(), web, alice_agent)
    page.goto(f"{web}/groups/volunteers/")
    bar = page.locator("form[data-bulk]")
    expect(bar).to_be_hidden()
    row(page, first).locator("input[name=tickets]").check()
    expect(bar).to_be_visible()
    expect(bar.locator("[data-selected-count]")).to_have_text("1")
    expect(bar.locator("#id_status option").first).to_have_text("Choose a status…")
    bar.locator("#id_action").select_option("owner")
    expect(bar.locator("#id_owner option").first).to_have_text("Choose an owner…")
    page.locator("[data-select-all]").check()
    expect(bar.locator("[data-selected-count]")).to_have_text("2")
    page.locator("[data-select-all]").uncheck()
    expect(bar).to_be_hidden()


@pytest.mark.spec("CORE-05")
def test_on_a_phone_the_list_is_two_line_cards_and_nothing_scrolls_sideways(web, browser, volunteers, alice_agent):
    tickets = []
    for n in range(4):
        ticket = make_ticket(volunteers, contact=make_contact("Maximiliana-Konstancja", f"Wierzbicka-Szczepańska{n}"))
        written_in(ticket, LONG_WORDS)
        tickets.append(ticket)
    do_change_ticket_status(
        tickets[0], status=volunteers.statuses.get(kind=StatusKind.WAITING_CONTACT), acting_user=None
    )
    Ticket.objects.filter(pk=tickets[0].pk).update(title=LONG_WORDS)
    page = signed_in(browser.new_context(viewport={"width": 390, "height": 844}), web, alice_agent)
    page.goto(f"{web}/groups/volunteers/")
    card = row(page, tickets[0])
    expect(card.locator(".status-pill")).to_have_text("Waiting for the contact")
    for hidden in (".c-created", ".c-owner", ".c-source", ".snippet"):
        expect(card.locator(hidden)).to_be_hidden()
    for shown in (".c-status", ".c-number", ".c-title", ".c-contact", ".c-updated"):
        expect(card.locator(shown)).to_be_visible()
    # Line one: status, number, title; line two: contact, updated.
    box = {
        name: card.locator(f".c-{name}").bounding_box() for name in ("status", "number", "title", "contact", "updated")
    }
    line_one = [box["status"], box["number"], box["title"]]
    assert max(b["y"] for b in line_one) < min(b["y"] + b["height"] for b in line_one)  # side by side
    assert box["contact"]["y"] >= box["title"]["y"] + box["title"]["height"] - 1
    assert abs(box["contact"]["y"] - box["updated"]["y"]) < box["contact"]["height"]
    assert box["updated"]["x"] + box["updated"]["width"] <= 390
    overflowing = page.evaluate(
        """() => [document.documentElement, document.body, ...document.querySelectorAll(
               '.table-responsive, table, tbody, tr, main, nav, form')]
             .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'none')
             .map((el) => `${el.tagName}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`)"""
    )
    assert overflowing == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The check box is a thumb's size.
    assert card.locator(".c-select").bounding_box()["height"] >= 40
    # No headers to sort by: a choice above the cards does it.
    page.select_option("#phone-sort", "number")
    page.get_by_role("button", name="Sort", exact=True).click()
    expect(page.locator("tbody tr").first).to_have_attribute("data-number", str(tickets[0].number))
    page.select_option("#phone-sort", "-number")
    page.get_by_role("button", name="Sort", exact=True).click()
    expect(page.locator("tbody tr").first).to_have_attribute("data-number", str(tickets[-1].number))


@pytest.mark.spec("CORE-06")
def test_home_on_a_phone_leads_with_the_next_job_in_words_with_thumb_sized_buttons(
    web, browser, volunteers, alice_agent
):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia"))
    written_in(ticket, "Can I help on Saturday?")
    page = signed_in(browser.new_context(viewport={"width": 390, "height": 844}), web, alice_agent)
    page.goto(f"{web}/")
    expect(page.locator("#needs-reply")).to_have_text("Needs a reply: 1")
    next_button = page.locator("#next-ticket[data-next]")
    assert next_button.bounding_box()["height"] >= 40
    expect(page.locator('[data-group="volunteers"]')).to_contain_text("1 needs a reply")
    waiting = page.locator("#waiting-tickets + ul li").first
    expect(waiting.locator(".status-pill")).to_have_text("New")
    expect(waiting.locator(".snippet")).to_contain_text("Can I help on Saturday?")
    assert waiting.get_by_role("button", name=f"Claim ticket {ticket.number}").bounding_box()["height"] >= 40
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    next_button.click()
    open_ticket(page, page.url)
    expect(page).to_have_url(f"{web}/tickets/{ticket.number}/")


@pytest.mark.spec("AGENT-01", "CORE-05")
def test_n_on_a_list_opens_the_next_ticket_that_needs_a_reply(web, browser, volunteers, alice_agent):
    answered = make_ticket(volunteers, contact=make_contact("John", "Miller"))
    do_change_ticket_status(answered, status=volunteers.statuses.get(kind=StatusKind.WAITING_CONTACT), acting_user=None)
    waiting = make_ticket(volunteers, contact=make_contact("Maria", "Garcia"))
    do_change_ticket_status(waiting, status=volunteers.statuses.get(kind=StatusKind.NEEDS_CONTACT), acting_user=None)
    page = signed_in(browser.new_context(), web, alice_agent)

    page.goto(f"{web}/groups/{volunteers.slug}/")
    expect(row(page, answered)).to_be_visible()
    page.keyboard.press("n")
    expect(page).to_have_url(f"{web}/tickets/{waiting.number}/")
    page.goto(f"{web}/views/needs-reply/")
    page.keyboard.press("n")  # from a view too; the one ticket that needs a reply is the same
    expect(page).to_have_url(f"{web}/tickets/{waiting.number}/")
