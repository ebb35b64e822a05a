"""Seed 000's daily loop in a real browser, measured: open the next ticket that needs a reply,
take it, retitle it, reply with a canned response, fill its blank, look at the email, send, and
arrive at the next ticket (issue 19), on the demo data. Also the draft kept across a reload and a
header save, the Undo of a Send, the cheat sheet and the ticket page on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from switchboard.intake.inbound import Inbound, Person
from switchboard.intake.models import OutboundMessage
from switchboard.testing.browser import open_ticket
from switchboard.tickets.actions import do_change_ticket_status
from switchboard.tickets.canned_responses import do_save_canned_response
from switchboard.tickets.demo import load_demo_data
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import Activity, ActivityKind, Group, Membership, StatusKind, Ticket
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket
from switchboard.tickets.tests.test_browser import no_pushes_from_the_test_process, signed_in, watched

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["no_pushes_from_the_test_process"]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots" / "reply-loop"


class Interactions:
    """Counts what the agent does: every key chord that is a command, every Enter and every
    click. Text typed into a field (a title, "::tour", the words of a blank) is typing, not an
    interaction. Full document loads are counted from the page's "load" events."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0
        self.loads = 0
        page.on("load", lambda _page: self._loaded())

    def _loaded(self) -> None:
        self.loads += 1

    def press(self, chord: str) -> None:
        self.count += 1
        self.page.keyboard.press(chord)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


def needing_reply(group, first: str, last: str) -> Ticket:
    ticket = make_ticket(group, contact=make_contact(first, last, email=f"{first.lower()}@example.org"))
    do_change_ticket_status(ticket, status=group.statuses.get(kind=StatusKind.NEEDS_CONTACT), acting_user=None)
    return ticket


@pytest.fixture
def tour_dates(volunteers):
    manager = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    return do_save_canned_response(
        volunteers,
        title="Tour dates",
        body_html="<p>We would love to show you around on [Enter dates].</p>",
        acting_user=manager,
    )


@pytest.mark.spec("MAIL-05", "CORE-07", "CORE-09", "CORE-14", "AGENT-01")
def test_the_reply_loop_takes_five_keys_and_no_page_load(web, browser, outbox_sink, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the demo's password file
    load_demo_data()  # as `switchboard run --demo` loads it
    geoff = User.objects.get(username="geoff")  # seed 000's Geoff, of Volunteers, Clients and Agency
    volunteers = Group.objects.get(name="Volunteers")  # takes a ticket on opening (demo data)
    waiting = Ticket.objects.get(group=volunteers, owner=geoff, status__kind=StatusKind.WAITING_CONTACT)
    loop = list(
        Ticket.objects.filter(group=volunteers, owner=None, status__kind=StatusKind.NEEDS_CONTACT)
        .filter(number__gt=waiting.number)
        .order_by("number")[:2]
    )
    last = Ticket.objects.get(title="Voicemail", status__kind=StatusKind.NEW)  # Clients: a caller to ring back
    canned = volunteers.canned_responses.get(body_html__contains="[Enter dates]")
    outbox_sink.messages.clear()
    page = signed_in(browser.new_context(), web, geoff)
    violations = watched(page)
    open_ticket(page, f"{web}/tickets/{waiting.number}/")
    page.evaluate("window.loopMarker = 'no full load since'")
    counted = Interactions(page)

    per_loop = []
    for index, ticket in enumerate(loop):
        before = counted.count
        if index == 0:
            counted.press("n")  # 1. open the next ticket that needs a reply; 2. taken on opening
        # (In the second loop "Send and next" of the first has opened it already.)
        expect(page).to_have_url(f"{web}/tickets/{ticket.number}/")
        title = page.locator("#id_title")
        expect(title).to_be_focused()
        expect(page.locator("#id_owner")).to_have_value(str(geoff.pk))
        counted.type(f"Tour for {ticket.contact.first_name}")  # 3. retitle: typed over the selected title
        counted.press("Enter")  # ... saved in place; the caret goes into the reply
        expect(page.locator("[data-editor-area]")).to_be_focused()
        counted.type("::tour")  # 4. a canned response, by part of its name
        expect(page.locator("[data-canned-picker] .active")).to_have_text(canned.title)
        counted.press("Enter")
        expect(page.locator("#reply mark.placeholder")).to_have_text("[Enter dates]")
        expect(page.locator("[data-send][data-then=next]")).to_be_disabled()
        counted.type("Friday, 10 May")  # 5. fill its blank (it was selected)
        expect(page.locator("[data-send][data-then=next]")).to_be_enabled()
        counted.press("Control+Shift+E")  # 6. the Email view
        email_view = page.frame_locator("#email-view iframe").locator("body")
        expect(email_view).to_contain_text(f"Hello {ticket.contact.first_name},")
        expect(email_view).to_contain_text("short training on Friday, 10 May, from 9:00")
        counted.press("Control+Enter")  # 7. send, and 8. go on to the next ticket
        expect(page.locator("[data-sent]")).to_contain_text(
            f"Reply on #{ticket.number} sent to {ticket.contact.points.get(kind='email', is_primary=True).value}"
        )
        per_loop.append(counted.count - before)

    expect(page).to_have_url(f"{web}/tickets/{last.number}/")
    expect(page.locator("#id_title")).to_be_focused()
    assert per_loop == [5, 4], per_loop  # the first loop's "n" opens what later loops arrive at
    assert counted.loads == 0
    assert page.evaluate("window.loopMarker") == "no full load since"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert violations == []  # the Content-Security-Policy: no inline script or style

    addresses = sorted(ticket.contact.points.get(kind="email", is_primary=True).value for ticket in loop)
    assert addresses == ["daniel.brooks@example.org", "priya.shah@example.org"]
    for count in range(2, 10):  # other mail of the demo's (a notification) may come first
        emails = [email for email in outbox_sink.wait_for(count) if email["To"] in addresses]
        if len(emails) == len(addresses):
            break
    assert sorted(email["To"] for email in emails) == addresses
    assert all("short training on Friday, 10 May" in email.get_body(("plain",)).get_content() for email in emails)
    for ticket in loop:
        ticket.refresh_from_db()
        assert ticket.title == f"Tour for {ticket.contact.first_name}"
        assert ticket.owner == geoff
        assert ticket.status.kind == StatusKind.WAITING_CONTACT
        changes = [
            change
            for entry in Activity.objects.filter(ticket=ticket, kind=ActivityKind.CHANGED)
            for change in entry.changes
        ]
        assert any(c["field"] == "title" and c["new"] == ticket.title for c in changes)
        assert any(c["field"] == "status" and c["new"] == ticket.status.name for c in changes)
    open_ticket(page, f"{web}/tickets/{loop[0].number}/")
    page.click("[data-bs-target='#history']")
    history = page.locator("#history")
    expect(history).to_contain_text(f"Tour for {loop[0].contact.first_name}")
    expect(history).to_contain_text(volunteers.statuses.get(kind=StatusKind.WAITING_CONTACT).name)


@pytest.mark.spec("MAIL-05")
def test_a_draft_survives_a_reload_and_a_header_save(web, browser, volunteers, alice_agent):
    ticket = needing_reply(volunteers, "Maria", "Garcia")
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.keyboard.press("Alt+R")
    expect(page.locator("[data-editor-area]")).to_be_focused()
    page.keyboard.type("Dear Maria, the tour")

    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    expect(page.locator("[data-editor-area]")).to_have_text("Dear Maria, the tour")
    page.fill("#id_next_action", "Call back on Monday")
    page.click("#ticket-header button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(f"#{ticket.number}")
    expect(page.locator("#composer")).to_be_visible()
    expect(page.locator("[data-editor-area]")).to_have_text("Dear Maria, the tour")

    page.locator("#id_title").fill("Tour in May")
    page.locator("#id_title").press("Enter")  # saved in place: the reply stays, the caret goes to it
    expect(page.locator("[data-editor-area]")).to_be_focused()
    expect(page.locator("[data-editor-area]")).to_have_text("Dear Maria, the tour")
    expect(page).to_have_title(f"#{ticket.number} Tour in May")
    assert Ticket.objects.get(pk=ticket.pk).title == "Tour in May"
    expect(page.locator("[data-changed]")).to_be_hidden()


@pytest.mark.spec("MAIL-05")
def test_undo_of_a_send_keeps_the_mail_and_puts_the_reply_back(web_holding_replies, browser, volunteers, alice_agent):
    web = web_holding_replies  # a reply sent from its pages is held for Undo (the session's `web` sends at once)
    ticket = needing_reply(volunteers, "Maria", "Garcia")
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.keyboard.press("Alt+R")
    page.keyboard.type("See you on Friday.")
    page.keyboard.press("Control+Shift+Enter")  # send and stay
    expect(page.locator("[data-sent]")).to_contain_text(f"Reply on #{ticket.number} sent to maria@example.org")
    expect(page.locator("[data-editor-area]")).to_have_text("")
    page.click("[data-undo] button")

    expect(page.locator(".alert-success")).to_contain_text("Not sent: your reply is back in the editor.")
    expect(page.locator("[data-editor-area]")).to_have_text("See you on Friday.")
    message = OutboundMessage.objects.get(ticket=ticket)
    assert message.state == OutboundMessage.State.WITHDRAWN
    assert Ticket.objects.get(pk=ticket.pk).status.kind == StatusKind.NEEDS_CONTACT
    page.reload()
    expect(page.locator(".delivery-withdrawn")).to_contain_text("Taken back before it was sent to maria@example.org")


@pytest.mark.spec("CORE-07")
@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_cheat_sheet_and_the_ticket_page_on_a_desk_and_a_phone(
    web, browser, volunteers, alice_agent, tour_dates, language
):
    ticket = needing_reply(volunteers, "Maria", "Garcia")
    maria = Person(address="maria@example.org", name="Maria Garcia")
    text = "Can I join the volunteers' tour of the warehouse on Saturday? I could bring two friends."
    do_add_inbound_message(ticket, inbound=Inbound(channel="email", sender=maria, text=text), cc=[])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    alice_agent.agent_profile.language = language
    alice_agent.agent_profile.save()
    for name, size in {"desk": (1280, 800), "phone": (390, 844)}.items():
        context = browser.new_context(
            viewport={"width": size[0], "height": size[1]}, locale="pl-PL" if language == "pl" else "en-GB"
        )
        page = signed_in(context, web, alice_agent)
        open_ticket(page, f"{web}/tickets/{ticket.number}/")
        details = page.locator("details.ticket-details")
        if name == "phone":
            expect(details).not_to_have_attribute("open", re.compile(".*"))
            timeline_top = page.locator(".timeline").bounding_box()["y"]
            assert timeline_top < 500, timeline_top  # the conversation comes first
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        else:
            expect(details).to_have_attribute("open", "")
        page.screenshot(path=SCREENSHOTS / f"ticket-{name}-{language}.png", full_page=True)
        page.keyboard.press("Alt+R")
        page.keyboard.type("::to")
        expect(page.locator("[data-canned-picker] .active")).to_have_text("Tour dates")
        page.screenshot(path=SCREENSHOTS / f"ticket-canned-{name}-{language}.png", full_page=True)
        page.keyboard.press("Escape")
        page.evaluate("document.activeElement.blur()")  # out of the editor: letters are keys again
        page.keyboard.press("?")
        expect(page.locator("#keys")).to_have_css("opacity", "1")
        expect(page.locator("#keys kbd").first).to_have_text("n")
        page.screenshot(path=SCREENSHOTS / f"keys-{name}-{language}.png")
        context.close()
    manager = tour_dates.group.memberships.get(role=Membership.Role.MANAGER).user
    manager.agent_profile.language = language
    manager.agent_profile.save()
    page = signed_in(browser.new_context(viewport={"width": 1280, "height": 800}), web, manager)
    page.goto(f"{web}/groups/{volunteers.slug}/canned/{tour_dates.pk}/")
    expect(page.locator("#id_set_status")).to_be_visible()  # what Send also sets, like a macro
    page.screenshot(path=SCREENSHOTS / f"canned-desk-{language}.png", full_page=True)


@pytest.mark.spec("MAIL-05", "CORE-14")
def test_tab_walks_the_blanks_send_waits_for_the_last_and_u_lets_the_ticket_go(web, browser, volunteers, alice_agent):
    volunteers.owner_on_open = True
    volunteers.save()
    manager = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    do_save_canned_response(
        volunteers,
        title="Tour time",
        body_html="<p>Come on [Enter dates] at [Enter time].</p>",
        acting_user=manager,
    )
    ticket = needing_reply(volunteers, "Maria", "Garcia")
    page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    counted = Interactions(page)
    expect(page.locator("#id_owner")).to_have_value(str(alice_agent.pk))

    page.keyboard.press("u")  # let it go: in place
    expect(page.locator(".alert-success")).to_contain_text(f"Ticket #{ticket.number} is nobody's now.")
    expect(page.locator("#id_owner")).to_have_value("")
    assert Ticket.objects.get(pk=ticket.pk).owner is None
    expect(page.locator("#reply [data-editor][data-ready]")).to_have_count(1)  # the swapped page's script has run

    page.keyboard.press("Alt+R")
    page.keyboard.type("::time")
    expect(page.locator("[data-canned-picker] .active")).to_have_text("Tour time")
    page.keyboard.press("Enter")
    blanks = page.locator("#reply mark.placeholder")
    expect(blanks).to_have_count(2)
    page.keyboard.press("Tab")  # the first blank was selected: Tab goes to the second
    page.keyboard.type("10 am")
    expect(blanks).to_have_count(1)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Control+Enter")  # refused: a blank is left
    expect(page.locator("[data-placeholder-warning]")).to_contain_text("[Enter dates]")
    page.keyboard.type("Friday")
    page.keyboard.press("Control+Shift+Enter")  # send and stay
    expect(page.locator("[data-sent]")).to_contain_text(f"Reply on #{ticket.number} sent to maria@example.org")
    expect(page).to_have_url(f"{web}/tickets/{ticket.number}/")
    assert "Come on Friday at 10 am." in OutboundMessage.objects.get(ticket=ticket).text
    assert counted.loads == 0
