"""Categories and similar tickets in a real browser against a real `switchboard web` process: an
agent puts a ticket in a category on its page, filters the list by it, and opens the Similar tab,
which is fetched only then (ROUTE-06, AGENT-04)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from switchboard.contacts.selectors import primary_email_of
from switchboard.testing.browser import open_ticket
from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.category_actions import do_add_category
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.tests.factories import make_agent
from switchboard.tickets.tests.test_browser import no_pushes_from_the_test_process, signed_in  # noqa: F401
from switchboard.web.channel import WebMessage, receive_web_message

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.spec("ROUTE-06", "AGENT-04")
def test_an_agent_sets_a_category_filters_by_it_and_sees_a_similar_resolved_ticket(
    web, browser, volunteers, alice_agent
):
    manager = make_agent("mona", "MO", groups=[volunteers], role="manager")
    do_add_category(volunteers, name="Pantry", agents=[manager], acting_user=manager)
    past = receive_web_message(
        volunteers, WebMessage(email="tom@example.org", subject="Rice", text="Is there rice in the pantry?")
    ).ticket
    do_reply_to_contact(
        past,
        to_address=primary_email_of(past.contact),
        body_html="<p>Rice comes on Tuesdays.</p>",
        acting_user=alice_agent,
    )
    do_close_ticket(past, acting_user=alice_agent)
    new = receive_web_message(
        volunteers, WebMessage(email="rosa@example.org", subject="Rice?", text="Any rice in the pantry this week?")
    ).ticket
    page = signed_in(browser.new_context(), web, alice_agent)

    open_ticket(page, f"{web}/tickets/{new.number}/")
    expect(page.locator("#similar-pane [data-similar-loaded]")).to_have_count(0)  # not fetched with the page
    page.select_option("#id_category", label="Pantry")
    page.click("text=Update")
    expect(page.locator("#id_category option:checked")).to_have_text("Pantry")
    page.click("#similar-tab")
    expect(page.locator(f'#similar-pane [data-similar="{past.number}"]')).to_contain_text("Rice comes on Tuesdays.")

    page.goto(f"{web}/groups/volunteers/")
    page.select_option("[data-category-filter] select", label="Pantry")
    page.click("[data-category-filter] button")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator(f'tr[data-number="{new.number}"] [data-category]')).to_have_text("Pantry")
