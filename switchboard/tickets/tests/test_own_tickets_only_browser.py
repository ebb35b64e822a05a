"""The "own tickets only" setting in a real browser (ADMIN-01): a manager reading Polish on a
phone ticks it on the group's settings page, which fits the screen; an agent's list then shows
their own and the unowned tickets, not a colleague's."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from switchboard.tickets.actions import do_assign_ticket
from switchboard.tickets.models import AgentProfile, Group
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket
from switchboard.tickets.tests.test_browser import no_pushes_from_the_test_process, signed_in  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.mark.spec("ADMIN-01", "ADMIN-04")
def test_a_manager_keeps_agents_to_their_own_tickets_on_a_phone_in_polish(web, browser, volunteers: Group):
    mona = make_agent("mona", "MO", groups=[volunteers], role="manager")
    AgentProfile.objects.filter(user=mona).update(language="pl")
    alice = make_agent("alice", "AL", groups=[volunteers])
    carol = make_agent("carol", "CA", groups=[volunteers], role="home_agent")
    theirs = make_ticket(volunteers, contact=make_contact("Zebulon", "Quixote"))
    do_assign_ticket(theirs, owner=carol, acting_user=None)
    make_ticket(volunteers, contact=make_contact("Una", "Waiting"))

    page = signed_in(browser.new_context(viewport=PHONE, locale="pl-PL"), web, mona)
    page.goto(f"{web}/groups/{volunteers.slug}/settings/")
    setting = page.get_by_label("konsultanci widzą tylko własne sprawy")
    expect(setting).not_to_be_checked()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    setting.check()
    page.get_by_role("button", name="Zapisz").click()
    expect(page).to_have_url(f"{web}/groups/{volunteers.slug}/team/")
    volunteers.refresh_from_db()
    assert volunteers.own_tickets_only

    agent = signed_in(browser.new_context(viewport=PHONE), web, alice)
    agent.goto(f"{web}/groups/{volunteers.slug}/")
    expect(agent.get_by_text("Una Waiting").first).to_be_visible()
    expect(agent.get_by_text("Quixote")).to_have_count(0)
