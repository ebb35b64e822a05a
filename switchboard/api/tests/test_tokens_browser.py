"""A token made on the settings page in a real browser (Debian's Chromium) against a real
`switchboard web`: shown once, whole on a phone's width, copied with one click, and it works."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from switchboard.api.tests.helpers import call
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.spec("API-01")]


def test_a_token_made_on_a_phone_is_copied_whole_and_works(web, browser, alice_agent):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=web)
    page = signed_in(context, web, alice_agent)
    page.goto(f"{web}/settings/")
    page.locator("#api-tokens-title").scroll_into_view_if_needed()
    page.get_by_label("Name", exact=True).fill("CRM sync")
    page.get_by_role("button", name="Create token").click()
    shown = page.locator("[data-api-token]")
    expect(shown).to_contain_text("sb_")
    box = shown.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390  # the whole token in view, wrapped
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390

    page.get_by_role("button", name="Copy").click()

    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == shown.inner_text().strip()
    assert call(Client(), "GET", "/api/users/me", copied).json()["username"] == "alice"
    context.close()
