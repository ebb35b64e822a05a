"""The contact book in the reply composer, in a real browser against `switchboard web` and its
worker (AGENT-03): typing a name in Cc offers the addresses of the book's entries the agent sees;
the one chosen lands in the field, and the reply reaches it at the SMTP listener."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from switchboard.testing.browser import open_ticket
from switchboard.tickets.contact_book import do_save_book_entry
from switchboard.tickets.tests.factories import make_agent
from switchboard.tickets.tests.test_browser import no_pushes_from_the_test_process, signed_in, watched
from switchboard.tickets.tests.test_solutions_browser import needing_reply

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["no_pushes_from_the_test_process"]


@pytest.mark.spec("AGENT-03")
def test_an_address_picked_from_the_contact_book_in_cc_gets_the_reply(
    web, browser, volunteers, donations, alice_agent, outbox_sink
):
    do_save_book_entry(
        acting_user=alice_agent,
        name="Zoë Müller",
        organisation="Warehouse",
        emails=["zoe@partner.example", "office@partner.example"],
        group=volunteers,
    )
    do_save_book_entry(acting_user=alice_agent, name="Night desk", emails=["night@warehouse.example"])
    other = make_agent("bob", "BO", groups=[donations])
    do_save_book_entry(acting_user=other, name="Zoe of Donations", emails=["zoe@donations.example"])
    ticket = needing_reply(volunteers)
    page = signed_in(browser.new_context(), web, alice_agent)
    violations = watched(page)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.keyboard.press("Alt+R")
    page.keyboard.type("The warehouse is in copy.")

    cc = page.locator("#reply [name=cc]")
    cc.click()
    cc.type("jan@example.pl, zoe")  # accents aside: "Zoë"
    offered = page.locator("#reply-cc-book [data-search-result]")
    expect(offered).to_have_count(2)
    expect(page.locator("#reply-cc-book")).not_to_contain_text("donations")  # another group's private entry
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(cc).to_have_value("jan@example.pl, office@partner.example, ")
    expect(page.locator("#reply-cc-book")).to_be_hidden()
    cc.type("zoë m")
    expect(offered).to_have_count(2)
    page.keyboard.press("Enter")  # none chosen: the first, and the reply is not sent
    expect(cc).to_have_value("jan@example.pl, office@partner.example, zoe@partner.example, ")
    expect(page.locator("#reply-cc-book")).to_be_hidden()
    expect(cc).to_be_focused()
    cc.type("night")
    page.locator("#reply-cc-book [data-value='night@warehouse.example']").click()
    expect(cc).to_have_value("jan@example.pl, office@partner.example, zoe@partner.example, night@warehouse.example, ")

    outbox_sink.messages.clear()
    page.keyboard.press("Control+Shift+Enter")
    expect(page.locator("[data-sent]")).to_contain_text(f"Reply on #{ticket.number} sent to maria@example.org")
    for count in range(1, 6):  # other mail (a notification) may come first
        emails = [email for email in outbox_sink.wait_for(count) if email["To"] == "maria@example.org"]
        if emails:
            break
    assert sorted(emails[0]["Cc"].split(", ")) == [
        "jan@example.pl",
        "night@warehouse.example",
        "office@partner.example",
        "zoe@partner.example",
    ]
    assert violations == [], violations
