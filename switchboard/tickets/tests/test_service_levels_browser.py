"""Service levels in a real browser (ROUTE-07): on a 390 px phone a card shows a ticket's mark
when it is near or past its target, and nothing scrolls sideways; a manager sets the targets on
the service-levels page from the Team page, and the list follows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from switchboard.tickets.models import Membership, ServiceLevel, TicketClock
from switchboard.tickets.tests.factories import make_agent, make_ticket
from switchboard.tickets.tests.test_browser import no_pushes_from_the_test_process, signed_in  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.spec("ROUTE-07")]

PHONE = {"width": 390, "height": 844}


def test_a_phone_card_shows_the_breach_and_near_marks_and_nothing_scrolls_sideways(
    web, browser, volunteers, alice_agent
):
    ServiceLevel.objects.create(group=volunteers, first_response_minutes=60, resolution_minutes=480)  # round the clock
    late, near, calm = (make_ticket(volunteers) for _ in range(3))
    now = timezone.now()
    TicketClock.objects.filter(ticket=late).update(
        due_at=now - dt.timedelta(hours=2), near_at=now - dt.timedelta(hours=3)
    )
    TicketClock.objects.filter(ticket=near).update(due_at=now + dt.timedelta(minutes=20), near_at=now)
    page = signed_in(browser.new_context(viewport=PHONE, locale="pl-PL"), web, alice_agent)
    page.goto(f"{web}/groups/volunteers/?sort=sla")
    expect(page.locator(f'tr[data-number="{late.number}"] td.c-sla')).to_contain_text("po terminie 2 godz.")
    expect(page.locator(f'tr[data-number="{near.number}"] td.c-sla')).to_contain_text(re.compile(r"za 1[89] min"))
    expect(page.locator(f'tr[data-number="{calm.number}"] td.c-sla')).to_be_hidden()  # running, not near: no mark
    numbers = page.locator("tr[data-number]").evaluate_all("rows => rows.map(r => Number(r.dataset.number))")
    assert numbers == [late.number, near.number, calm.number]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_a_manager_sets_the_targets_on_a_phone_and_the_list_counts_from_them(web, browser, volunteers):
    anna = make_agent("anna", "AN", groups=[volunteers], role=Membership.Role.MANAGER)
    ticket = make_ticket(volunteers)
    page = signed_in(browser.new_context(viewport=PHONE), web, anna)
    page.goto(f"{web}/groups/volunteers/team/")
    page.click("[data-team-service-levels]")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.fill("#id_first_response", "30")
    page.select_option("[name=first_response_unit]", "min")
    for day in range(7):  # round the clock, so that the test does not depend on the hour
        page.fill(f"#id_day{day}", "")
    page.check("input[name=breach_rule][value=managers]")
    page.click("button:has-text('Save')")
    expect(page.locator(".alert-success, .toast, [role=alert]").first).to_contain_text(
        "Service levels of Volunteers saved"
    )
    level = ServiceLevel.objects.get(group=volunteers)
    assert level.first_response_minutes == 30 and level.week == {} and level.breach_rule == "managers"
    page.goto(f"{web}/groups/volunteers/")
    expect(page.locator(f'tr[data-number="{ticket.number}"] [data-sla]')).to_have_attribute("data-sla", "running")
