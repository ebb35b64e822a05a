"""The customer portal in a real browser, at phone size, against `switchboard web` and its
worker (SELF-03): sign-in with the link read from the SMTP listener, an answer with a file that
reaches the ticket's owner, and a new ticket."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from switchboard.portal.tests.helpers import message
from switchboard.tickets.actions import do_assign_ticket
from switchboard.tickets.models import ActivityKind, Category, Ticket
from switchboard.tickets.tests.factories import make_contact, make_ticket

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"http://\S+(/portal/sign-in/\S+/)")


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    settings.CHANNEL_LAYERS = {}


def no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.spec("SELF-03")
def test_a_contact_signs_in_by_email_answers_with_a_file_and_opens_a_new_ticket(
    web, browser, outbox_sink, volunteers, donations, alice_agent
):
    maria = make_contact("Maria", "Garcia", email="maria.portal@example.org")
    ticket = make_ticket(volunteers, contact=maria)
    message(ticket, "When does the Saturday shift start?")
    do_assign_ticket(ticket, owner=alice_agent, acting_user=None)
    Category.objects.create(group=donations, name="Tax receipts")
    outbox_sink.messages.clear()
    page = browser.new_context(viewport=PHONE, locale="en-US").new_page()

    page.goto(f"{web}/portal/")
    page.fill("input[name=email]", "maria.portal@example.org")
    page.click("button[type=submit]")
    expect(page.locator("[data-sign-in-sent]")).to_contain_text("Check your email")
    (mail,) = [m for m in outbox_sink.wait_for(1) if m["To"] == "maria.portal@example.org"]
    path = LINK.search(mail.get_body(("plain",)).get_content()).group(1)
    page.goto(web + path)
    page.click("[data-use-link]")
    expect(page.locator("[data-portal-tickets]")).to_contain_text(ticket.title)
    assert no_sideways_scroll(page)

    page.click(f"[data-ticket='{ticket.number}']")
    expect(page.locator(".timeline")).to_contain_text("When does the Saturday shift start?")
    page.fill("textarea[name=text]", "Can I bring a friend?")
    page.set_input_files(
        "input[name=attachments]", files=[{"name": "friend.txt", "mimeType": "text/plain", "buffer": b"Anna"}]
    )
    page.click("[data-send-answer]")
    expect(page.locator(".alert-success")).to_contain_text(f"#{ticket.number}")
    expect(page.locator(".timeline")).to_contain_text("Can I bring a friend?")
    expect(page.locator(".timeline [data-file]")).to_contain_text("friend.txt")
    assert no_sideways_scroll(page)
    answer = ticket.activities.get(kind=ActivityKind.WEB_IN)
    assert answer.body == "Can I bring a friend?" and answer.attachments.get().filename == "friend.txt"
    owner_mail = [m for m in outbox_sink.wait_for(2) if m["To"] == alice_agent.email]
    assert owner_mail and "Can I bring a friend?" in owner_mail[0].get_body(("plain",)).get_content()

    page.click("[data-new-ticket]")
    page.select_option("select[name=topic]", label="Tax receipts")
    page.fill("input[name=subject]", "Receipt for 2026")
    page.fill("textarea[name=text]", "Please send me my receipt.")
    assert no_sideways_scroll(page)
    page.click("[data-send-ticket]")
    expect(page.locator("h1")).to_contain_text("Receipt for 2026")
    expect(page.locator(".timeline")).to_contain_text("Please send me my receipt.")
    created = Ticket.objects.get(title="Receipt for 2026")
    assert created.group == donations and created.category.name == "Tax receipts" and created.contact == maria
