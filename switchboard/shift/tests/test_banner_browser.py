"""ADMIN-05 in real browsers: two agents signed in, each in a Chromium of their own; their manager
posts an outage banner from a third, and both agents' open pages show it at once, without a
reload; clearing it takes it off both. Once through one `switchboard web` (in-memory channel
layer), once through two of them on Redis, the agents on different processes."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from switchboard.shift.models import Area, Broadcast
from switchboard.tickets.models import Group, Membership
from switchboard.tickets.tests.factories import make_agent

pytestmark = [pytest.mark.spec("ADMIN-05"), pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    # Live updates come from the web processes; this process's own pushes would reach nobody.
    settings.CHANNEL_LAYERS = {}


def new_page(browser: Browser, base: str, *, user, width: int = 1280, height: int = 800) -> Page:
    """A Chromium context of its own, signed in as ``user``."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    page = context.new_page()
    page.on("console", lambda message: print("console:", message.text))
    return page


def banners_live(
    browser: Browser, *, manager_base: str, agent_bases: tuple[str, str], group: Group, agents: list
) -> None:
    Area.objects.create(name="Kraków")
    manager = make_agent("mona", "MO", groups=[group], role=Membership.Role.MANAGER)
    pages: list[Page] = []
    for (base, agent), width in zip(zip(agent_bases, agents, strict=True), (1280, 390), strict=True):
        page = new_page(browser, base, user=agent, width=width, height=844)  # one on a desk, one on a phone
        page.goto(f"{base}/")
        expect(page.locator("[data-broadcasts] [data-broadcast]")).to_have_count(0)
        pages.append(page)
    for page in pages:  # their banner sockets are open before the banner is posted
        expect(page.locator("[data-broadcasts][data-live]")).to_have_count(1)

    desk = new_page(browser, manager_base, user=manager)
    desk.goto(f"{manager_base}/shift/outages/new/")
    desk.select_option("#id_area", label="Kraków")
    desk.fill("#id_description", "Node KR-7 down")
    desk.check("#id_post_banner")
    desk.fill("#id_text", "Kraków node down: no internet in Kraków")
    desk.fill("#id_procedure", "Apologise.\nGive the repair estimate: 4 p.m.")
    desk.fill("#id_contact_name", "Bradley")
    desk.fill("#id_contact_phone", "954-464-3859")
    desk.check(f"input[name=groups][value='{group.pk}']")
    desk.click("[data-open-outage]")
    expect(desk.locator("[data-open-outages]")).to_contain_text("Kraków")

    for page in pages:
        banner = page.locator("[data-broadcasts] [data-broadcast]")
        expect(banner).to_have_count(1)
        expect(banner).to_contain_text("Kraków node down: no internet in Kraków")
        expect(banner.locator("[data-broadcast-phone]")).to_have_attribute("href", "tel:954-464-3859")
        banner.locator("summary").click()
        expect(banner.locator("[data-broadcast-procedure]")).to_contain_text("Give the repair estimate: 4 p.m.")
        assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1  # no reload
    phone = pages[1]  # urgent, but the page stays usable: no sideways scrolling, well under half the screen
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert (phone.locator("[data-broadcasts]").bounding_box() or {"height": 999})["height"] < 844 / 2

    desk.once("dialog", lambda dialog: dialog.accept())
    desk.click("[data-end-outage]")
    expect(desk.locator("[data-no-outage]")).to_be_visible()
    for page in pages:
        expect(page.locator("[data-broadcasts] [data-broadcast]")).to_have_count(0)
    broadcast = Broadcast.objects.get()
    assert broadcast.posted_by == manager and broadcast.cleared_by == manager


def test_an_outage_banner_reaches_two_agents_browsers_live_and_goes_when_cleared(web, browser, volunteers):
    agents = [make_agent(name, name[:2].upper(), groups=[volunteers]) for name in ("alice", "amir")]
    banners_live(browser, manager_base=web, agent_bases=(web, web), group=volunteers, agents=agents)


def test_the_banner_reaches_agents_on_two_web_processes_through_redis(web_on_redis, browser, volunteers):  # noqa: F811
    first, second = web_on_redis
    agents = [make_agent(name, name[:2].upper(), groups=[volunteers]) for name in ("alice", "amir")]
    banners_live(browser, manager_base=first, agent_bases=(first, second), group=volunteers, agents=agents)
