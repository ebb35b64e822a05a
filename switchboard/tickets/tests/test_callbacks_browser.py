"""Callbacks (CC-03) and the call list (CC-06) in a real browser against `switchboard web`."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.testing.browser import open_ticket
from switchboard.tickets.actions import TicketHeader, do_update_ticket
from switchboard.tickets.callbacks import do_set_callback
from switchboard.tickets.models import Callback, Ticket
from switchboard.tickets.tests.factories import make_ticket
from switchboard.tickets.tests.test_browser import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    # Live updates come from the web process; this process's own pushes would reach nobody.
    settings.CHANNEL_LAYERS = {}


@pytest.mark.spec("CC-03")
def test_an_agent_sets_a_callback_in_30_minutes_and_sees_when_and_the_status(web, browser, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.get_by_role("button", name="Callback", exact=True).click()
    form = page.locator("#callback")
    expect(form).to_be_visible()
    form.get_by_role("button", name="+30 min").click()

    expect(page.get_by_role("status").filter(has_text="Callback set for")).to_be_visible()
    card = page.locator("[data-callback]")
    expect(card).to_contain_text("Public callback")
    expect(card.locator("[data-callback-when]")).to_contain_text(re.compile(r"(29|30)\s+minutes\s+from\s+now"))
    expect(page.locator("h1 ~ .badge").filter(has_text="Scheduled")).to_be_visible()
    due = Callback.objects.get(ticket=ticket).due_at
    assert dt.timedelta(minutes=29) <= due - timezone.now() <= dt.timedelta(minutes=30)
    assert Ticket.objects.get(pk=ticket.pk).status.kind == "scheduled"

    page.goto(f"{web}/")
    expect(page.locator(f'[data-callback-row="{ticket.number}"]')).to_be_visible()
    expect(page.locator("[data-callbacks-count]")).to_have_text("1")


@pytest.mark.spec("CC-03")
def test_a_time_in_the_past_is_refused_on_the_page_with_the_reason(web, browser, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.get_by_role("button", name="Callback", exact=True).click()
    page.get_by_label("or at").fill("2020-01-01 10:00")
    page.get_by_label("or at").press("Enter")
    expect(page.locator("#callback [role=alert]")).to_contain_text("has passed: choose a later time.")
    expect(page.locator("#callback")).to_be_visible()
    assert not Callback.objects.exists()


@pytest.mark.spec("CC-06")
def test_next_call_on_the_call_list_opens_the_first_due_ticket(web, browser, volunteers, alice_agent):
    contact = do_create_contact(
        kind=Contact.Kind.PERSON, first_name="Jan", last_name="Wilk", phones=["+48601000002"], acting_user=None
    )
    upcoming = make_ticket(volunteers)
    do_set_callback(upcoming, due_at=timezone.now() + dt.timedelta(hours=2), private=False, acting_user=alice_agent)
    late = make_ticket(volunteers, contact=contact)
    header = TicketHeader(
        title=late.title,
        status=late.status,
        owner=None,
        next_action="Call about the offer",
        due_at=timezone.now() - dt.timedelta(minutes=40),
    )
    do_update_ticket(late, header=header, expected_version=late.version, acting_user=alice_agent)
    page = signed_in(browser.new_context(), web, alice_agent)
    page.goto(f"{web}/groups/volunteers/")
    page.get_by_role("link", name="Call list").click()
    rows = page.locator("tbody tr")
    expect(rows.first).to_have_attribute("data-number", str(late.number))
    expect(rows.first).to_contain_text("Overdue")
    expect(rows.first).to_contain_text("Jan Wilk")
    page.get_by_role("button", name="Next call").click()
    expect(page).to_have_url(re.compile(rf"/tickets/{late.number}/"))
    expect(page.locator("h1 input[data-title]")).to_have_value(late.title)
