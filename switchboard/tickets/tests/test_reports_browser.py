"""Reports in a real browser (ADMIN-02): a manager opens them from the Team page on a 390 px
phone in Polish; the charts draw (a canvas with pixels, no console error, the CSP allows the
vendored Chart.js), their numbers are in tables too, and nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.models import Membership
from switchboard.tickets.tests.factories import make_agent, make_ticket
from switchboard.tickets.tests.test_browser import no_pushes_from_the_test_process, signed_in  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.spec("ADMIN-02")]

PHONE = {"width": 390, "height": 844}


def test_a_manager_sees_the_charts_drawn_on_a_phone_in_polish(web, browser, volunteers):
    manager = make_agent("mia", "MI", groups=[volunteers], role=Membership.Role.MANAGER)
    for _ in range(3):
        make_ticket(volunteers)
    do_close_ticket(make_ticket(volunteers), acting_user=None)
    context = browser.new_context(viewport=PHONE, locale="pl-PL")
    page = signed_in(context, web, manager)
    problems: list[str] = []

    def console(message) -> None:
        # The browser asks for /favicon.ico of its own accord; the site has none.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{web}/groups/volunteers/team/")
    page.click("[data-team-reports]")
    expect(page.locator("h1")).to_contain_text("Raporty")
    for chart in ("volume", "backlog", "agents"):
        canvas = page.locator(f'canvas[data-report-chart="{chart}"]')
        expect(canvas).to_be_visible()
        # Chart.js sized the canvas to its box and drew on it: some pixel is not transparent.
        drawn = canvas.evaluate(
            "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " for (let i = 3; i < d.length; i += 4) { if (d[i]) return c.width > 0; } return false; }"
        )
        assert drawn, chart
    expect(page.locator('[data-report-table="channels"]')).to_contain_text("4")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert problems == []
