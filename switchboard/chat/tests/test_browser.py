"""SELF-04 in real browsers: a visitor on a website page with the chat widget and an agent on
their pages chat live; the chat ends as the ticket's timeline and the transcript reaches the
visitor's mailbox. Once through one `switchboard web` (in-memory channel layer), once through
two of them on Redis, the visitor on one and the agent on the other."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from switchboard.chat.models import ChatSession
from switchboard.testing.smtp import SmtpSink
from switchboard.tickets.canned_responses import do_save_canned_response
from switchboard.tickets.models import ActivityKind, Group, TicketSource

pytestmark = [pytest.mark.spec("SELF-04"), pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_pushes_from_the_test_process(settings):
    # Live updates come from the web processes; this process's own pushes would reach nobody.
    settings.CHANNEL_LAYERS = {}


def new_page(browser: Browser, base: str, *, user=None, width: int = 1280, height: int = 800) -> Page:
    # Behind a proxy (REDIS_URL's production settings redirect plain HTTP): say it was HTTPS.
    context = browser.new_context(
        viewport={"width": width, "height": height}, extra_http_headers={"X-Forwarded-Proto": "https"}
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    page = context.new_page()
    page.on("console", lambda message: print("console:", message.text))
    return page


def chat_between(
    visitor: Page, agent: Page, *, visitor_base: str, agent_base: str, group: Group, sink: SmtpSink
) -> None:
    do_save_canned_response(
        group, title="Opening hours", body_html="<p>We are open from 9 to 5.</p>", acting_user=_manager(group)
    )
    agent.goto(f"{agent_base}/")
    expect(agent.locator("[data-chat-badge]")).to_be_hidden()

    visitor.goto(f"{visitor_base}/chat/{group.slug}/example/")
    visitor.click("[data-switchboard-chat-button]")
    chat = visitor.frame_locator("[data-switchboard-chat-frame]")
    chat.locator("#chat-name").fill("Maria Garcia")
    chat.locator("#chat-email").fill("maria@example.org")
    chat.locator("#chat-question").fill("When can I bring the coats?")
    chat.locator("[data-start] button[type=submit]").click()
    expect(chat.locator("[data-status]")).to_contain_text("Someone will be with you shortly")

    badge = agent.locator("[data-chat-badge]")
    expect(badge).to_have_text("1 waiting")  # live, without a reload
    agent.click("[data-chat-toggle]")
    waiting = agent.locator("[data-waiting-chat]", has_text="Maria Garcia")
    expect(waiting).to_contain_text("When can I bring the coats?")
    waiting.locator("[data-accept]").click()
    expect(chat.locator("[data-status]")).to_have_text("You are chatting with Alice.")
    expect(badge).to_be_hidden()

    chat.locator("#chat-message").press_sequentially("Tomorrow?")
    expect(agent.locator("[data-chat-typing]")).to_have_text("Maria Garcia is typing…")
    chat.locator("#chat-message").press("Enter")
    expect(agent.locator("[data-chat-lines] .chat-line.theirs").last).to_contain_text("Tomorrow?")

    agent.select_option("[data-chat-canned]", label="Opening hours")
    expect(agent.locator("[data-chat-input]")).to_have_value("We are open from 9 to 5.")
    expect(chat.locator("[data-typing-line]")).to_have_text("Alice is typing…")
    agent.locator("[data-chat-composer] button[type=submit]").click()
    expect(chat.locator(".chat-line.theirs")).to_contain_text("We are open from 9 to 5.")

    # The agent goes on working elsewhere: the panel and the chat stay with them.
    agent.goto(f"{agent_base}/contacts/")
    expect(agent.locator("[data-chat-lines] .chat-line")).to_have_count(3)
    # The visitor's page comes back after a reload, with the whole chat.
    visitor.reload()
    visitor.click("[data-switchboard-chat-button]")
    expect(chat.locator(".chat-line")).to_have_count(3)

    chat.locator("[data-end]").click()
    expect(agent.locator("[data-chat-error]")).to_have_text("The visitor has left the chat.")
    chat.locator("[data-transcript]").click()
    expect(chat.locator("[data-after-note]")).to_have_text("The transcript is on its way to maria@example.org.")

    session = ChatSession.objects.select_related("ticket").get()
    assert (session.state, session.ending) == (ChatSession.State.ENDED, ChatSession.Ending.VISITOR)
    assert session.ticket.source == TicketSource.CHAT
    entries = session.ticket.activities.filter(kind=ActivityKind.CHAT).order_by("pk")
    assert [(entry.actor.username if entry.actor else entry.from_address, entry.body) for entry in entries] == [
        ("maria@example.org", "When can I bring the coats?"),
        ("maria@example.org", "Tomorrow?"),
        ("alice", "We are open from 9 to 5."),
    ]
    agent.goto(f"{agent_base}/tickets/{session.ticket.number}/")
    expect(agent.locator("#activities .kind-chat")).to_have_count(3)
    (mail,) = sink.wait_for(1)
    assert mail["To"] == "maria@example.org"
    transcript = mail.get_body(("plain",)).get_content()
    assert "When can I bring the coats?" in transcript and "We are open from 9 to 5." in transcript


def _manager(group: Group):
    from switchboard.tickets.tests.factories import make_agent

    return make_agent("manager", "MG", groups=[group], role="manager")


def test_a_visitor_and_an_agent_chat_live_through_one_web_process(web, browser, volunteers, alice_agent, outbox_sink):
    outbox_sink.messages.clear()
    visitor, agent = new_page(browser, web), new_page(browser, web, user=alice_agent)
    chat_between(visitor, agent, visitor_base=web, agent_base=web, group=volunteers, sink=outbox_sink)


def test_the_visitor_chats_on_a_phone(web, browser, volunteers, alice_agent):
    visitor = new_page(browser, web, width=390, height=844)
    visitor.goto(f"{web}/chat/{volunteers.slug}/example/")
    visitor.click("[data-switchboard-chat-button]")
    frame = visitor.locator("[data-switchboard-chat-frame]")
    box = frame.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (390, 844)  # the whole screen
    chat = visitor.frame_locator("[data-switchboard-chat-frame]")
    expect(chat.locator("#chat-name")).to_be_visible()
    assert chat.locator("body").evaluate("body => body.scrollWidth <= body.clientWidth")


def test_with_nobody_available_the_widget_says_so_and_offers_the_form(web, browser, volunteers, alice_agent):
    volunteers.memberships.update(available=False)
    visitor = new_page(browser, web)
    visitor.goto(f"{web}/chat/{volunteers.slug}/?lang=pl")
    expect(visitor.locator("[data-unavailable] h1")).to_have_text("Nikt nie może teraz czatować.")
    expect(visitor.locator("[data-form-link]")).to_have_attribute("href", f"/f/{volunteers.slug}/?lang=pl")


def test_a_visitor_on_one_web_process_and_an_agent_on_another_chat_through_redis(
    web_on_redis, browser, volunteers, alice_agent, outbox_sink
):
    outbox_sink.messages.clear()
    visitor_base, agent_base = web_on_redis
    visitor, agent = new_page(browser, visitor_base), new_page(browser, agent_base, user=alice_agent)
    chat_between(visitor, agent, visitor_base=visitor_base, agent_base=agent_base, group=volunteers, sink=outbox_sink)
