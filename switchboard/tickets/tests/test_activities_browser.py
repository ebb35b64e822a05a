"""The activities tab (CC-07) in a real browser: the timeline filtered to calls only, by mouse
and by keyboard, and an entry moved to another ticket."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from switchboard.intake.inbound import Call, Inbound, Person
from switchboard.testing.browser import open_ticket
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import Activity, ActivityKind, Membership
from switchboard.tickets.tests.factories import make_contact, make_ticket
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


def call_on(ticket, *, seconds: int, outbound: bool = False) -> Activity:
    call = Call(outcome="answered", outbound=outbound, duration=seconds, provider_id=f"CA{seconds}")
    inbound = Inbound(channel="phone", sender=Person("+48601234567"), call=call)
    return do_add_inbound_message(ticket, inbound=inbound, cc=[])


@pytest.mark.spec("CC-07")
def test_an_agent_filters_the_timeline_to_calls_and_moves_a_call_to_another_ticket(
    web, browser, volunteers, donations, alice_agent
):
    Membership.objects.create(user=alice_agent, group=donations)
    maria = make_contact("Maria", "Garcia", email="maria@example.org")
    ticket = make_ticket(volunteers, contact=maria)
    target = make_ticket(donations, contact=maria)
    sender = Person("maria@example.org")
    do_add_inbound_message(ticket, inbound=Inbound(channel="email", sender=sender, text="About the sofa"), cc=[])
    first_call = call_on(ticket, seconds=95)
    call_on(ticket, seconds=40, outbound=True)
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    entries = page.locator("#activities .timeline-entry")
    expect(page.locator('[data-kind-chip="call"] [data-count]')).to_have_text("2")

    page.get_by_role("link", name=re.compile(r"^Calls")).click()

    expect(entries).to_have_count(2)
    expect(page.locator("#activities .timeline-entry.kind-email_in")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"kind=call"))
    expect(page.locator('[data-kind-chip="call"]')).to_have_attribute("aria-current", "true")

    # By keyboard: the sort button, twice, then back to everything; the focus stays where it was.
    page.locator("[data-sort]").focus()
    page.keyboard.press("Enter")
    expect(page.locator('[data-sort="newest"]')).to_be_focused()
    expect(entries.first).to_contain_text("40 seconds")
    page.keyboard.press("Enter")
    expect(page.locator('[data-sort="oldest"]')).to_be_focused()
    expect(entries.first).to_contain_text("95 seconds")
    page.locator('[data-kind-chip="all"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator('[data-kind-chip="all"]')).to_be_focused()
    expect(page.locator("#activities .timeline-entry.kind-email_in")).to_have_count(1)

    # Move the first call to the other ticket (the page asks first; the test says yes).
    page.locator('[data-kind-chip="call"]').click()
    expect(entries).to_have_count(2)
    moving = page.locator(f"#activity-{first_call.pk}")
    moving.locator("[data-move-toggle]").click()
    moving.get_by_label("Move to ticket number").fill(str(target.number))
    moving.get_by_role("button", name="Move", exact=True).click()

    expect(page.locator(".alert-success")).to_contain_text(f"Moved to ticket #{target.number}.")
    expect(entries).to_have_count(1)  # still calls only, and one call left
    expect(page.locator(f"#activity-{first_call.pk}")).to_have_count(0)
    open_ticket(page, f"{web}/tickets/{target.number}/")
    expect(page.locator(f"#activity-{first_call.pk}")).to_contain_text("95 seconds")
    page.get_by_role("link", name=re.compile(r"^Changes")).click()
    expect(page.locator("#activities")).to_contain_text(f"moved from #{ticket.number}")
    assert Activity.objects.get(pk=first_call.pk).ticket_id == target.pk
    assert ticket.activities.filter(kind=ActivityKind.CHANGED, body__contains=f"moved to #{target.number}").exists()
