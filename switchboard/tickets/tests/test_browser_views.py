"""Views across the agent's groups in a real browser: the navbar's menu with its counts, a filter,
saving a view and finding it in the menu, at desk and phone widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from switchboard.tickets.actions import do_change_ticket_status
from switchboard.tickets.models import StatusKind, TicketSource
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


def open_views_menu(page: Page) -> None:
    page.click("[data-views-menu]")
    expect(page.locator(".views-menu [data-view]").first).to_be_visible()


@pytest.mark.spec("AGENT-01", "CORE-05")
def test_an_agent_opens_a_view_from_the_navbar_filters_it_and_saves_it(web, browser, volunteers, donations):
    carol = make_agent("carol", "CA", groups=[volunteers])
    make_ticket(volunteers, contact=make_contact("Maria", "Garcia"), source=TicketSource.PHONE)
    call = make_ticket(volunteers, contact=make_contact("John", "Miller"), source=TicketSource.PHONE)
    do_change_ticket_status(call, status=volunteers.statuses.get(kind=StatusKind.WAITING_CONTACT), acting_user=None)
    mail = make_ticket(volunteers, contact=make_contact("Anna", "Nowak"), source=TicketSource.EMAIL)
    make_ticket(donations, contact=make_contact("Piotr", "Other"), source=TicketSource.PHONE)  # not Carol's group
    page = signed_in(browser.new_context(), web, carol)

    page.goto(f"{web}/")
    open_views_menu(page)
    menu = page.locator(".views-menu")
    expect(menu.locator('[data-view="open"] [data-count]')).to_have_text("3")
    expect(menu.locator('[data-view="source-phone"] [data-count]')).to_have_text("2")
    expect(menu.locator('[data-view="needs-reply"] [data-count]')).to_have_text("2")
    expect(menu.locator('[data-view="status-waiting_contact"] [data-count]')).to_have_text("1")
    menu.locator('[data-view="source-phone"]').click()

    expect(page.locator("h1")).to_contain_text("Calls")
    expect(page.locator("[data-view-count]")).to_have_text("2")
    expect(page.locator("tbody tr[data-href]")).to_have_count(2)
    expect(page.locator("tbody")).not_to_contain_text("Other")

    page.select_option("#id_status", "new")
    page.click("[data-view-filters] button")
    expect(page.locator("[data-view-count]")).to_have_text("1")
    expect(page.locator("tbody tr[data-href]")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Garcia")

    page.fill("#view-name", "New calls")
    page.click("[data-save-view] button")
    expect(page.locator(".alert-success")).to_contain_text("View “New calls” saved.")
    expect(page.locator("h1")).to_contain_text("New calls")
    expect(page.locator("#id_status")).to_have_value("new")

    open_views_menu(page)
    saved = page.locator('.views-menu [data-saved-view="New calls"]')
    expect(saved.locator("[data-count]")).to_have_text("1")
    saved.click()
    page.click("text=Delete this view")  # after the confirmation (accepted)
    expect(page.locator(".alert-success")).to_contain_text("View “New calls” deleted.")
    open_views_menu(page)
    expect(page.locator(".views-menu [data-saved-view]")).to_have_count(0)
    page.goto(f"{web}/views/open/?source=email")
    expect(page.locator("tbody tr[data-href]")).to_have_count(1)
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/tickets/{mail.number}/")


@pytest.mark.spec("AGENT-01")
def test_views_fit_a_phone_without_sideways_scrolling(web, browser, volunteers):
    carol = make_agent("carol", "CA", groups=[volunteers])
    for n in range(3):
        make_ticket(volunteers, contact=make_contact("Maria", f"Garcia-Kowalska-{n}"), source=TicketSource.SMS)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = signed_in(context, web, carol)
    page.goto(f"{web}/views/source-sms/")
    expect(page.locator("[data-view-count]")).to_have_text("3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    open_views_menu(page)
    box = page.locator(".views-menu").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
