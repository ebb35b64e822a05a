"""The live chat's pages and reads: the widget script, the framable visitor page, the agents'
panel on their pages, and the panel's data in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from switchboard.chat.actions import do_accept_chat, do_add_visitor_line, do_start_chat
from switchboard.chat.selectors import agent_chats_data
from switchboard.tickets.models import CannedResponse

pytestmark = [pytest.mark.spec("SELF-04"), pytest.mark.django_db]


def test_the_widget_script_and_the_chat_page_may_be_put_on_any_website(client, volunteers):
    script = client.get(f"/chat/{volunteers.slug}/widget.js")
    assert script.status_code == 200 and script["Content-Type"].startswith("text/javascript")
    assert "data-switchboard-chat-button" in script.content.decode()

    page = client.get(f"/chat/{volunteers.slug}/?lang=pl")
    assert page.status_code == 200 and "X-Frame-Options" not in page
    assert "frame-ancestors *" in page["Content-Security-Policy"]
    assert 'lang="pl"' in page.content.decode() and "Rozpocznij czat" in page.content.decode()
    assert client.get("/chat/no-such-group/").status_code == 404
    assert client.get("/chat/no-such-group/widget.js").status_code == 404


def test_agents_pages_carry_the_chats_panel_and_the_menu_button(client, alice_agent):
    client.force_login(alice_agent)
    html = client.get("/").content.decode()
    assert "data-chat-panel" in html and "data-chat-toggle" in html
    assert client.get("/").headers["X-Frame-Options"] == "DENY"  # the agents' pages are never framed


def test_the_panel_reads_its_chats_in_a_fixed_number_of_queries(volunteers, alice_agent):
    CannedResponse.objects.create(group=volunteers, title="Hi", body_html="<p>Hello!</p>")

    def chats(count: int) -> None:
        for n in range(count):
            session = do_start_chat(
                volunteers, name=f"Visitor {n}", email=f"v{n}@example.org", text="Hello", language="en"
            ).session
            if n % 2:
                do_accept_chat(session, acting_user=alice_agent)
                do_add_visitor_line(session, text="Are you there?")

    chats(2)
    with CaptureQueriesContext(connection) as few:
        small = agent_chats_data(alice_agent)
    chats(8)
    with CaptureQueriesContext(connection) as many:
        large = agent_chats_data(alice_agent)
    assert (len(small["waiting"]), len(large["waiting"]), len(large["mine"])) == (1, 5, 5)
    assert len(many) == len(few)


def test_the_contacts_page_of_the_ticket_shows_the_chat_with_who_said_what(client, volunteers, alice_agent):
    from switchboard.chat.actions import do_add_agent_line
    from switchboard.portal.links import ticket_url

    session = do_start_chat(
        volunteers, name="Maria Garcia", email="maria@example.org", text="Is the pantry open?", language="en"
    ).session
    do_accept_chat(session, acting_user=alice_agent)
    do_add_agent_line(session, text="Yes, until six.", acting_user=alice_agent)

    html = client.get(ticket_url(session.ticket)).content.decode()
    said = [part.split("</strong>")[0].rsplit(">", 1)[-1] for part in html.split('<strong class="text-body">')[1:]]
    assert said == ["You", "Volunteers"]
    assert "Is the pantry open?" in html and "Yes, until six." in html


def test_administrators_look_the_chats_up_without_their_keys(client, dave_admin, volunteers, alice_agent):
    session = do_start_chat(
        volunteers, name="Maria Garcia", email="maria@example.org", text="Hi", language="en"
    ).session
    client.force_login(dave_admin)
    assert "maria@example.org" in client.get("/admin/chat/chatsession/").content.decode()
    page = client.get(f"/admin/chat/chatsession/{session.pk}/change/").content.decode()
    assert "Maria Garcia" in page and session.key_digest not in page
