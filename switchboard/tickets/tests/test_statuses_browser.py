"""The statuses page and Close's menu (CORE-04) in a real browser, on a desk and on a phone, in
English and Polish."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from switchboard.testing.browser import open_ticket
from switchboard.tickets.models import Membership, StatusKind, Ticket
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots" / "statuses"
SIZES = {"desk": (1280, 800), "phone": (390, 844)}


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


@pytest.mark.spec("CORE-04")
@pytest.mark.parametrize("language", ["en", "pl"])
def test_an_agent_closes_with_success_from_the_close_menu(web, browser, volunteers, alice_agent, language):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    alice_agent.agent_profile.language = language
    alice_agent.agent_profile.save()
    tickets = {name: make_ticket(volunteers, contact=make_contact("Maria", name.capitalize())) for name in SIZES}
    success = {"en": "Closed with success", "pl": "Zamknięta z sukcesem"}[language]
    for name, (width, height) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = signed_in(context, web, alice_agent)
        open_ticket(page, f"{web}/tickets/{tickets[name].number}/")
        menu = page.locator("[data-close-menu]")
        menu.locator(".dropdown-toggle").click()
        expect(menu.locator(".dropdown-item")).to_have_count(3)
        if name == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=SCREENSHOTS / f"close-menu-{name}-{language}.png")
        menu.locator(".dropdown-item", has_text=success).click()  # the confirmation is accepted
        expect(page).to_have_url(f"{web}/groups/{volunteers.slug}/")
        context.close()
        ticket = Ticket.objects.select_related("status").get(pk=tickets[name].pk)
        assert (ticket.is_open, ticket.status.kind) == (False, StatusKind.CLOSED_SUCCESS)
    # The closed list counts the successes apart.
    for name, (width, height) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = signed_in(context, web, alice_agent)
        page.goto(f"{web}/groups/{volunteers.slug}/closed/")
        expect(page.locator('[data-closed-kind="closed_success"]')).to_contain_text(f"{success}: 2")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=SCREENSHOTS / f"closed-counts-{name}-{language}.png")
        context.close()


@pytest.mark.spec("CORE-04", "ADMIN-01")
@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_manager_renames_and_reorders_statuses_on_a_desk_and_a_phone(web, browser, volunteers, language):
    mona = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    mona.agent_profile.language = language
    mona.agent_profile.save()
    pending = volunteers.statuses.get(kind=StatusKind.PENDING)
    for name, (width, height) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = signed_in(context, web, mona)
        page.goto(f"{web}/groups/{volunteers.slug}/statuses/")
        row = page.locator(f'[data-status="{pending.pk}"]')
        expect(row.locator('input[name="name"]')).to_have_value(
            {"en": "With another team", "pl": "W innym zespole"}[language] if name == "desk" else "Supplier"
        )
        if name == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=SCREENSHOTS / f"statuses-{name}-{language}.png", full_page=True)
        if name == "desk":
            row.locator('input[name="name"]').fill("Supplier")
            row.locator('input[name="name"]').press("Enter")  # Enter saves the row
            expect(page.locator(".alert-success")).to_be_visible()
            page.locator(f'[data-status="{pending.pk}"] button[value="up"]').click()
            expect(page.locator("[data-status]").nth(3)).to_have_attribute("data-status", str(pending.pk))
        context.close()
    pending.refresh_from_db()
    assert (pending.name, pending.position) == ("Supplier", 3)
