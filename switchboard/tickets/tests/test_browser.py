"""The agent's workflow of the Call Center guide (seed 000) in a real browser (Debian's Chromium)
against a real `switchboard web` process (uvicorn: HTTP and WebSockets) on the test database."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from switchboard.intake.inbound import Inbound, Person
from switchboard.testing.browser import open_ticket
from switchboard.tickets.actions import do_change_ticket_status, do_close_ticket
from switchboard.tickets.canned_responses import do_save_canned_response
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import Membership, StatusKind, Ticket
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    # Live updates come from the web process; this process's own pushes would reach nobody.
    settings.CHANNEL_LAYERS = {}


def signed_in(context: BrowserContext, base: str, user) -> Page:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    return page


@pytest.mark.spec("CORE-05", "CORE-06", "CORE-07", "CORE-04")
def test_an_agent_takes_a_yellow_phone_ticket_retitles_it_and_updates(web, browser, volunteers, alice_agent):
    waiting = make_ticket(volunteers, contact=make_contact("John", "Miller"))
    do_change_ticket_status(waiting, status=volunteers.statuses.get(kind=StatusKind.WAITING_CONTACT), acting_user=None)
    call = make_ticket(volunteers, contact=make_contact("Maria", "Garcia"))
    do_change_ticket_status(call, status=volunteers.statuses.get(kind=StatusKind.NEEDS_CONTACT), acting_user=None)
    page = signed_in(browser.new_context(), web, alice_agent)

    page.goto(f"{web}/")
    expect(page.locator('[data-group="volunteers"] [data-count="open"]')).to_have_text("2")
    page.click('[data-group="volunteers"]')
    page.click("th >> text=#")
    rows = page.locator("tbody tr")
    expect(rows.first).to_have_attribute("data-number", str(waiting.number))
    yellow = page.locator(f'tr[data-number="{call.number}"] .status-pill')
    expect(yellow).to_have_text("Call the contact")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{web}/tickets/{call.number}/")

    page.select_option("#id_owner", str(alice_agent.pk))
    page.fill("#id_title", "Volunteer tour dates")
    page.click("text=Update")
    expect(page.locator(".alert-success")).to_contain_text(f"#{call.number}")
    expect(page.locator("h1 #id_title")).to_have_value("Volunteer tour dates")
    page.goto(f"{web}/groups/volunteers/")
    expect(page.locator(f'tr[data-number="{call.number}"]')).to_contain_text("AL")


@pytest.mark.spec("CORE-13")
def test_a_second_agent_sees_who_is_viewing_sees_the_change_and_cannot_save_a_stale_copy(
    web, browser, volunteers, alice_agent
):
    anna = make_agent("anna", "AK", groups=[volunteers])
    ticket = make_ticket(volunteers)
    annas_page = signed_in(browser.new_context(), web, anna)
    open_ticket(annas_page, f"{web}/tickets/{ticket.number}/")
    alices_page = signed_in(browser.new_context(), web, alice_agent)
    open_ticket(alices_page, f"{web}/tickets/{ticket.number}/")

    expect(alices_page.locator("[data-viewers]")).to_have_text("Anna is viewing this ticket")
    expect(annas_page.locator("[data-viewers]")).to_have_text("Alice is viewing this ticket")

    annas_page.fill("#id_next_action", "Call after 5 pm")
    alices_page.fill("#id_title", "Alice was first")
    alices_page.click("text=Update")
    expect(annas_page.locator("[data-changed]")).to_be_visible()

    annas_page.get_by_role("button", name="Update").click()
    expect(annas_page.locator("#ticket-header .alert-danger")).to_contain_text("changed by someone else")
    expect(annas_page.locator("#id_next_action")).to_have_value("Call after 5 pm")
    ticket.refresh_from_db()
    assert (ticket.title, ticket.next_action) == ("Alice was first", "")


@pytest.mark.spec("CORE-08")
def test_assign_to_a_different_group_and_merge_into_another_ticket(web, browser, volunteers, donations, alice_agent):
    from switchboard.tickets.models import Membership

    Membership.objects.create(user=alice_agent, group=donations)
    maria = make_contact("Maria", "Garcia")
    moving, duplicate = make_ticket(volunteers), make_ticket(volunteers, contact=maria)
    survivor = make_ticket(donations, contact=maria)
    page = signed_in(browser.new_context(), web, alice_agent)

    open_ticket(page, f"{web}/tickets/{moving.number}/")
    page.select_option("#id_target", f"group:{donations.pk}")
    page.check("#id_reset")
    page.click("text=Assign >> nth=-1")
    expect(page.locator(".alert-success")).to_contain_text("Donations")

    open_ticket(page, f"{web}/tickets/{duplicate.number}/")
    page.select_option("#id_target", f"ticket:{survivor.number}")
    page.click("text=Assign >> nth=-1")
    expect(page).to_have_url(f"{web}/tickets/{survivor.number}/")
    expect(page.locator(".timeline")).to_contain_text(f"#{duplicate.number}")
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk
    assert Ticket.objects.get(pk=moving.pk).group_id == donations.pk


@pytest.mark.spec("CORE-05", "CORE-10")
def test_close_completed_tickets_then_find_them_among_the_closed(web, browser, volunteers, alice_agent):
    done = make_ticket(volunteers, contact=make_contact("Tom", "Becker"))
    do_change_ticket_status(done, status=volunteers.statuses.get(kind=StatusKind.COMPLETED), acting_user=None)
    earlier = make_ticket(volunteers, contact=make_contact("Lena", "Fischer"))
    do_close_ticket(earlier, acting_user=None)
    page = signed_in(browser.new_context(), web, alice_agent)

    page.goto(f"{web}/groups/volunteers/")
    page.click("text=Close completed tickets")
    expect(page.locator(".alert-success")).to_contain_text("1 completed ticket(s) closed.")
    expect(page.locator(f'tr[data-number="{done.number}"]')).to_have_count(0)

    page.get_by_role("searchbox", name="Find closed tickets").fill("becker")
    page.keyboard.press("Enter")
    expect(page.locator("tbody tr[data-number]")).to_have_count(1)
    expect(page.locator(f'tr[data-number="{done.number}"]')).to_be_visible()


@pytest.mark.spec("CORE-15")
def test_bulk_close_asks_first_and_closes_the_selected_tickets(web, browser, volunteers, alice_agent):
    first, second, kept = make_ticket(volunteers), make_ticket(volunteers), make_ticket(volunteers)
    context = browser.new_context()
    page = signed_in(context, web, alice_agent)
    questions: list[str] = []
    page.on("dialog", lambda dialog: questions.append(dialog.message))
    page.goto(f"{web}/groups/volunteers/")
    page.check(f'input[name=tickets][value="{first.number}"]')
    page.check(f'input[name=tickets][value="{second.number}"]')
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    page.select_option("#id_action", "close")
    page.click("text=Apply")
    expect(page.locator(".alert-success")).to_contain_text("2 ticket(s) changed.")
    assert questions and questions[0].startswith("Close 2 ticket(s)?")
    assert [Ticket.objects.get(pk=t.pk).is_open for t in (first, second, kept)] == [False, False, True]


@pytest.mark.spec("MAIL-05", "MAIL-07", "AGENT-06")
def test_a_reply_with_a_canned_response_waits_for_its_placeholder_then_reaches_the_contact(
    web, browser, volunteers, alice_agent, outbox_sink
):
    manager = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    do_save_canned_response(
        volunteers,
        title="Tour dates",
        body_html="<p>We would love to show you around on [Enter dates].</p>",
        acting_user=manager,
    )
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))
    do_change_ticket_status(ticket, status=volunteers.statuses.get(kind=StatusKind.NEEDS_CONTACT), acting_user=None)
    outbox_sink.messages.clear()
    page = signed_in(browser.new_context(), web, alice_agent)

    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.click("text=Reply to contact")
    expect(page.locator("#id_to_address")).to_have_value("maria@example.org")
    page.select_option("#canned-response", label="Tour dates")
    placeholder = page.locator("#reply mark.placeholder")
    expect(placeholder).to_have_text("[Enter dates]")
    expect(page.locator("#reply [data-send][data-then=stay]")).to_be_disabled()
    expect(page.locator("[data-placeholder-warning]")).to_contain_text("[Enter dates]")

    placeholder.click()  # selects the placeholder: typing replaces it
    page.keyboard.type("Friday, 10 May")
    expect(page.locator("#reply [data-send][data-then=stay]")).to_be_enabled()
    page.click("[data-email-view-toggle]")
    email_view = page.frame_locator("#email-view iframe")
    expect(email_view.locator("body")).to_contain_text("Hello Maria,")
    expect(email_view.locator("body")).to_contain_text("show you around on Friday, 10 May.")
    expect(email_view.locator("body")).to_contain_text("Alice (AL)")
    page.click("#reply [data-send][data-then=stay]")
    expect(page.locator("[data-sent]")).to_contain_text(f"Reply on #{ticket.number} sent to maria@example.org")

    (email,) = outbox_sink.wait_for(1)
    assert email["To"] == "maria@example.org"
    assert email["Subject"].endswith(f"[Ticket#{ticket.number}]")
    assert email["Message-ID"].endswith(f"@{settings.MESSAGE_ID_DOMAIN}>")
    assert "show you around on Friday, 10 May." in email.get_body(("plain",)).get_content()
    page.reload()
    expect(page.locator(".delivery-sent")).to_contain_text("Sent to maria@example.org")
    page.goto(f"{web}/groups/volunteers/")
    green_phone = page.locator(f'tr[data-number="{ticket.number}"] .bi-telephone-fill')
    expect(green_phone).to_have_css("color", "rgb(25, 135, 84)")  # #198754
    expect(page.locator(f'tr[data-number="{ticket.number}"] .status-pill')).to_have_text("Waiting for the contact")


@pytest.mark.spec("CORE-14")
def test_an_agent_opening_an_unowned_ticket_in_the_browser_becomes_its_owner(web, browser, volunteers, alice_agent):
    """The page says it was opened with a POST once shown (a GET alone changes nothing:
    test_pages.py), and shows the agent as the owner."""
    volunteers.owner_on_open = True
    volunteers.save()
    ticket = make_ticket(volunteers)
    page = signed_in(browser.new_context(), web, alice_agent)

    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    expect(page.locator("#id_owner")).to_have_value(str(alice_agent.pk))
    expect(page.locator("[data-changed]")).to_be_hidden()
    opened = Ticket.objects.get(pk=ticket.pk)
    assert opened.owner == alice_agent and opened.owner_opened_at is not None


@pytest.mark.spec("CORE-16")
def test_an_svg_with_a_script_from_a_stranger_is_downloaded_not_run(web, browser, volunteers, alice_agent, settings):
    from switchboard.tickets.files import do_attach_file
    from switchboard.tickets.models import Activity, ActivityKind

    settings.MEDIA_ROOT = settings.DATA_DIR / "media"  # where the web process keeps files
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert("ran")</script></svg>'
    ticket = make_ticket(volunteers)
    activity = Activity.objects.create(ticket=ticket, kind=ActivityKind.EMAIL_IN, body="A logo")
    logo = do_attach_file(activity, filename="logo.svg", content_type="image/svg+xml", content=svg)
    page = signed_in(browser.new_context(accept_downloads=True), web, alice_agent)
    alerts: list[str] = []
    page.on("dialog", lambda dialog: alerts.append(dialog.message))

    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    with page.expect_download() as download:
        page.locator(f'a[href="/attachments/{logo.pk}/"]').first.click()
    assert download.value.suggested_filename == "logo.svg"
    assert open(download.value.path(), "rb").read() == svg  # noqa: PTH123
    assert page.url == f"{web}/tickets/{ticket.number}/" and alerts == []


@pytest.mark.spec("MAIL-03", "MAIL-12")
def test_a_strangers_people_in_copy_join_a_ticket_only_when_the_agent_adds_them(web, browser, volunteers, alice_agent):
    """Mail trust: a token from a stranger opens a ticket linked both ways; their Cc is offered,
    not added; mail from an agent's address without proof is marked."""
    from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages

    maria = make_ticket(volunteers, contact=make_contact("Maria", "Garcia"))
    stranger = (
        "From: Eve <eve@example.com>\r\nTo: support@example.test\r\nCc: Mallory <m@evil.example>\r\n"
        f"Subject: Re: {maria.subject_token}\r\nMessage-ID: <eve@example.com>\r\n\r\nSend me the files\r\n"
    )
    forged = (
        "From: Alice <alice@example.test>\r\nTo: support@example.test\r\nSubject: Urgent\r\n"
        "Message-ID: <forged@example.com>\r\n\r\nPlease pay this invoice\r\n"
    )
    items = [RawItem("email", key, data.encode(), volunteers) for key, data in [("e", stranger), ("f", forged)]]
    do_apply_raw_messages(do_store_raw_messages(items))
    eves = Ticket.objects.get(named_ticket=maria)
    page = signed_in(browser.new_context(), web, alice_agent)

    open_ticket(page, f"{web}/tickets/{maria.number}/")
    page.click("[data-named-by] a")
    expect(page).to_have_url(f"{web}/tickets/{eves.number}/")
    expect(page.locator("[data-named-ticket] a")).to_have_text(f"#{maria.number} {maria.title}")
    expect(page.locator('#reply input[name="cc"]')).to_have_value("")
    expect(page.locator("[data-offered-cc]")).to_contain_text("m@evil.example")
    page.click("[data-offered-cc] button")
    expect(page.locator(".alert-success")).to_contain_text("m@evil.example")
    expect(page.locator("[data-offered-cc]")).to_have_count(0)
    expect(page.locator('#reply input[name="cc"]')).to_have_value("m@evil.example")

    open_ticket(page, f"{web}/tickets/{Ticket.objects.get(contact__points__value='alice@example.test').number}/")
    expect(page.locator("[data-unproven-sender]")).to_contain_text("nothing proves the agent sent it")


# Reports each Content-Security-Policy violation of the page and of its frames to the console.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
                " in " + event.documentURI + " " + (event.sample || ""));
});
"""


def watched(page: Page) -> list[str]:
    """The CSP violations ``page`` reports from now on (Chromium logs each one to the console,
    and the listener above reports those of the page's own scripts)."""
    violations: list[str] = []
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or message.text.startswith("CSP violation")
            else None
        ),
    )
    return violations


def test_the_main_pages_work_under_the_content_security_policy_without_a_violation(
    web, browser, volunteers, dave_admin
):
    manager = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))
    do_change_ticket_status(ticket, status=volunteers.statuses.get(kind=StatusKind.NEEDS_CONTACT), acting_user=None)
    maria = Person(address="maria@example.org", name="Maria Garcia")
    do_add_inbound_message(
        ticket, inbound=Inbound(channel="email", sender=maria, text="Can I join on Saturday?"), cc=[]
    )

    visitor = browser.new_context().new_page()
    violations = watched(visitor)
    visitor.goto(f"{web}/login/")
    expect(visitor.get_by_role("button", name="Sign in")).to_be_visible()

    page = signed_in(browser.new_context(), web, manager)
    violations += watched(page)
    page.goto(f"{web}/")
    expect(page.locator('[data-group="volunteers"] [data-count="open"]')).to_have_text("1")

    page.goto(f"{web}/groups/volunteers/")
    yellow_phone = page.locator(f'tr[data-number="{ticket.number}"] .status-pill .bi')
    expect(yellow_phone).to_have_css("color", "rgb(224, 168, 0)")  # #e0a800, the status's colour, set by the script
    pill = page.locator(f'tr[data-number="{ticket.number}"] .status-pill')
    expect(pill).to_have_css("border-color", "rgb(224, 168, 0)")
    page.keyboard.press("j")  # the list's keyboard shortcut, a script's
    expect(page.locator(f'tr[data-number="{ticket.number}"]')).to_have_class(re.compile(r"\btable-active\b"))

    open_ticket(page, f"{web}/tickets/{ticket.number}/")
    page.click("text=Reply to contact")
    page.wait_for_selector("#composer.collapse.show")  # the opening animation has ended
    page.locator("#reply [data-editor-area]").fill("We would love to show you around.")
    with page.expect_response(lambda response: "/reply/preview/" in response.url):
        page.click("[data-email-view-toggle]")
    email_view = page.frame_locator("#email-view iframe")
    expect(email_view.locator("body")).to_contain_text("show you around.")
    expect(email_view.locator("body")).to_have_css("font-family", "sans-serif")

    page.goto(f"{web}/groups/volunteers/settings/")
    expect(page.locator("form").last).to_be_visible()

    page.goto(f"{web}/groups/volunteers/templates/reply/")
    page.locator("[data-template-body]").fill("{greeting}\n\n{answer}\n\n{thread}\n\n")
    page.click('[data-insert-tag="sign_off"]')  # the tag goes in at the cursor and the preview follows
    preview = page.frame_locator("#template-preview iframe")
    expect(preview.locator("body")).to_contain_text("Maria Garcia on")  # {thread}: the conversation
    # The email view is a frame without scripts, which reports nothing: its styles must come from
    # the stylesheet, since the page's policy, which it inherits, refuses inline ones.
    expect(preview.locator("body")).to_have_css("font-family", "sans-serif")
    expect(preview.locator("blockquote")).to_have_css("border-left-width", "3px")
    assert page.frames[1].locator("[style], style").count() == 0
    expect(page.locator("[data-template-body]")).to_have_value("{greeting}\n\n{answer}\n\n{thread}\n\n{sign_off}")

    admin = signed_in(browser.new_context(), web, dave_admin)
    violations += watched(admin)
    admin.goto(f"{web}/admin/")
    expect(admin.locator("#site-name")).to_be_visible()
    admin.goto(f"{web}/admin/tickets/ticket/{ticket.pk}/change/")
    expect(admin.locator("#content")).to_be_visible()
    admin.goto(f"{web}/admin/mail/mailbox/add/")
    expect(admin.locator("#mailbox_form")).to_be_visible()
    admin.goto(f"{web}/admin/axes/accessattempt/")
    expect(admin.locator("#content")).to_be_visible()

    assert violations == []
