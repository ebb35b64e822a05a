"""Closing a parent incident in a real browser (CORE-17): the confirmation states the count of
its open linked tickets, and accepting it closes them all."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from switchboard.testing.browser import open_ticket
from switchboard.tickets.links import do_link_to_parent
from switchboard.tickets.models import Ticket
from switchboard.tickets.tests.factories import make_ticket
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.spec("CORE-17")]


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


def test_closing_the_parent_asks_with_the_count_then_closes_its_children(web, browser, volunteers, alice_agent):
    parent = make_ticket(volunteers)
    children = [make_ticket(volunteers) for _ in range(3)]
    for child in children:
        do_link_to_parent(child, parent=parent, acting_user=alice_agent)
    page = signed_in(browser.new_context(), web, alice_agent)  # accepts what the page asks
    asked: list[str] = []
    page.on("dialog", lambda dialog: asked.append(dialog.message))
    open_ticket(page, f"{web}/tickets/{parent.number}/")
    expect(page.locator("[data-child-tickets] li")).to_have_count(3)
    page.locator("[data-close-menu] > button").first.click()
    expect(page.locator(".alert-success")).to_contain_text(f"#{parent.number} and its 3 linked ticket(s) closed")
    assert asked[0] == "Close this ticket and its 3 linked tickets?"
    assert Ticket.objects.filter(closed_at__isnull=False).count() == 4
