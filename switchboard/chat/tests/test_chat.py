"""SELF-04: a chat between a website visitor and an agent, over the sockets, through the intake
pipeline (the configured channel layer: in memory, or Redis when REDIS_URL is set)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from asgiref.sync import async_to_sync, sync_to_async
from django.db import close_old_connections, transaction
from django.utils import timezone

from switchboard.chat.actions import ChatError, do_accept_chat
from switchboard.chat.models import ChatSession
from switchboard.chat.tests.conftest import agent_socket, receive_until, visitor_socket
from switchboard.intake.models import RawMessage
from switchboard.testing.jobs import run_periodic_jobs
from switchboard.tickets.models import Activity, ActivityKind, CannedResponse, Membership, Ticket, TicketSource
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

pytestmark = [pytest.mark.spec("SELF-04"), pytest.mark.django_db(transaction=True)]


def chat_entries(ticket_id: int) -> list[tuple[str, str]]:
    entries = Activity.objects.filter(ticket_id=ticket_id, kind=ActivityKind.CHAT).select_related("actor")
    return [
        (entry.actor.username if entry.actor else entry.from_address, entry.body) for entry in entries.order_by("pk")
    ]


def test_each_message_is_on_the_ticket_before_the_other_side_sees_it(volunteers, alice_agent, maria_visit):
    CannedResponse.objects.create(group=volunteers, title="Hours", body_html="<p>We open at [hour].</p>")

    async def scenario() -> None:
        agent, visitor = agent_socket(alice_agent), visitor_socket(volunteers)
        assert (await agent.connect())[0]
        assert (await receive_until(agent, "chats")) == {"type": "chats", "waiting": [], "mine": []}
        assert (await visitor.connect())[0]
        assert (await visitor.receive_json_from(timeout=10)) == {"type": "hello", "available": True}

        await visitor.send_json_to(maria_visit)
        key = (await receive_until(visitor, "started"))["key"]
        session = await receive_until(visitor, "session")
        assert (session["state"], [line["text"] for line in session["lines"]]) == (
            "waiting",
            ["Is the pantry open today?"],
        )
        waiting = (await receive_until(agent, "chats"))["waiting"]
        assert [(chat["name"], chat["group"], chat["text"]) for chat in waiting] == [
            ("Maria Garcia", "Volunteers", "Is the pantry open today?")
        ]
        chat = await sync_to_async(ChatSession.objects.get)(pk=waiting[0]["id"])
        assert await sync_to_async(chat_entries)(chat.ticket_id) == [("maria@example.org", "Is the pantry open today?")]
        assert len(key) > 30 and chat.key_digest != key  # only a digest of the visitor's key is kept

        await agent.send_json_to({"type": "accept", "session": chat.pk})
        mine = (await receive_until(agent, "chats"))["mine"]
        assert [(c["name"], c["canned"]) for c in mine] == [
            ("Maria Garcia", [{"title": "Hours", "text": "We open at [hour]."}])
        ]
        joined = await receive_until(visitor, "chat.state")
        assert (joined["state"], joined["agent"]) == ("active", "Alice")

        await visitor.send_json_to({"type": "typing"})
        assert (await receive_until(agent, "chat.typing"))["by"] == "visitor"
        await visitor.send_json_to({"type": "message", "text": "I need rice for four people."})
        line = (await receive_until(agent, "chat.line"))["line"]
        # Stored, applied and on the ticket's timeline before the agent is shown it.
        assert (line["by"], line["text"]) == ("visitor", "I need rice for four people.")
        raw = await sync_to_async(lambda: RawMessage.objects.filter(channel="chat").order_by("pk").last())()
        assert (raw.state, raw.ticket_id) == (RawMessage.State.APPLIED, chat.ticket_id)
        assert (await sync_to_async(chat_entries)(chat.ticket_id))[-1] == (
            "maria@example.org",
            "I need rice for four people.",
        )

        await agent.send_json_to({"type": "message", "session": chat.pk, "text": "We open at [hour]."})
        refused = await receive_until(agent, "error")
        assert "[hour]" in refused["message"]  # the canned response's placeholder guard
        await agent.send_json_to({"type": "typing", "session": chat.pk})
        assert (await receive_until(visitor, "chat.typing"))["by"] == "agent"
        await agent.send_json_to({"type": "message", "session": chat.pk, "text": "We open at 10. Come by!"})
        answer = (await receive_until(visitor, "chat.line"))["line"]
        assert (answer["by"], answer["name"], answer["text"]) == ("agent", "Alice", "We open at 10. Come by!")
        assert (await sync_to_async(chat_entries)(chat.ticket_id))[-1] == ("alice", "We open at 10. Come by!")

        # The visitor's page comes back (a reload): the key opens the same chat with its lines.
        await visitor.disconnect()
        again = visitor_socket(volunteers)
        await again.connect()
        await again.send_json_to({"type": "resume", "key": key})
        resumed = await receive_until(again, "session")
        assert [(line["by"], line["text"]) for line in resumed["lines"]] == [
            ("visitor", "Is the pantry open today?"),
            ("visitor", "I need rice for four people."),
            ("agent", "We open at 10. Come by!"),
        ]
        await again.send_json_to({"type": "end"})
        assert (await receive_until(agent, "chat.state"))["state"] == "ended"
        await again.disconnect()
        await agent.disconnect()

    async_to_sync(scenario)()
    ticket = Ticket.objects.get()
    assert ticket.source == TicketSource.CHAT and ticket.contact.display_name == "Maria Garcia"
    assert ChatSession.objects.get().ending == ChatSession.Ending.VISITOR


def test_a_chat_goes_to_the_contacts_open_ticket_in_the_group_and_a_second_chat_too(
    volunteers, alice_agent, maria_visit
):
    maria = make_contact(email="maria@example.org")
    open_ticket = make_ticket(volunteers, contact=maria)

    async def scenario() -> None:
        for text in ("First chat", "Second chat"):
            visitor = visitor_socket(volunteers)
            await visitor.connect()
            await visitor.send_json_to({**maria_visit, "text": text})
            await receive_until(visitor, "session")
            await visitor.disconnect()

    async_to_sync(scenario)()
    assert list(ChatSession.objects.values_list("ticket_id", flat=True)) == [open_ticket.pk, open_ticket.pk]
    assert Ticket.objects.filter(contact=maria, group=volunteers).count() == 1
    assert [body for _who, body in chat_entries(open_ticket.pk)] == ["First chat", "Second chat"]


def test_a_wrong_key_opens_no_chat_and_hears_nothing_of_others(volunteers, alice_agent, maria_visit):
    async def scenario() -> None:
        maria, stranger = visitor_socket(volunteers), visitor_socket(volunteers)
        await maria.connect()
        await maria.send_json_to(maria_visit)
        key = (await receive_until(maria, "started"))["key"]
        await stranger.connect()
        await receive_until(stranger, "hello")
        for guess in ("", key[:-1] + ("A" if key[-1] != "A" else "B"), "x" * 43):
            await stranger.send_json_to({"type": "resume", "key": guess})
            assert (await stranger.receive_json_from(timeout=10)) == {"type": "unknown"}
        await stranger.send_json_to({"type": "message", "text": "Let me in"})
        assert (await stranger.receive_json_from(timeout=10)) == {"type": "unknown"}
        await maria.send_json_to({"type": "message", "text": "My address is 1 Main St."})
        await receive_until(maria, "chat.line")
        assert await stranger.receive_nothing(timeout=0.5)
        await maria.disconnect()
        await stranger.disconnect()

    async_to_sync(scenario)()
    assert [body for _who, body in chat_entries(Ticket.objects.get().pk)] == [
        "Is the pantry open today?",
        "My address is 1 Main St.",
    ]


def test_an_agent_of_another_group_neither_sees_nor_takes_nor_answers_the_chat(
    volunteers, bob_agent, alice_agent, maria_visit
):
    async def scenario() -> None:
        bob, visitor = agent_socket(bob_agent), visitor_socket(volunteers)
        await bob.connect()
        await receive_until(bob, "chats")
        await visitor.connect()
        await visitor.send_json_to(maria_visit)
        await receive_until(visitor, "session")
        chat = await sync_to_async(ChatSession.objects.get)()
        assert await bob.receive_nothing(timeout=0.5)  # Donations' agent hears nothing of Volunteers' queue
        await bob.send_json_to({"type": "accept", "session": chat.pk})
        assert (await receive_until(bob, "error"))["message"]
        await bob.send_json_to({"type": "message", "session": chat.pk, "text": "Hello from Bob"})
        assert (await receive_until(bob, "error"))["message"]
        await visitor.send_json_to({"type": "message", "text": "Anyone?"})
        await receive_until(visitor, "chat.line")
        assert await bob.receive_nothing(timeout=0.5)
        await bob.disconnect()
        await visitor.disconnect()

    async_to_sync(scenario)()
    chat = ChatSession.objects.get()
    assert (chat.state, chat.agent) == (ChatSession.State.WAITING, None)
    assert "Hello from Bob" not in [body for _who, body in chat_entries(chat.ticket_id)]


def test_an_unavailable_agent_sees_no_waiting_chat_and_with_nobody_available_the_visitor_is_told(
    volunteers, alice_agent, maria_visit
):
    Membership.objects.filter(user=alice_agent).update(available=False)

    async def scenario() -> None:
        visitor = visitor_socket(volunteers, language="pl")
        await visitor.connect()
        assert (await visitor.receive_json_from(timeout=10)) == {"type": "hello", "available": False}
        await visitor.send_json_to(maria_visit)
        refused = await receive_until(visitor, "error")
        assert refused["message"] == "Nikt nie może teraz czatować."
        await visitor.disconnect()

    async_to_sync(scenario)()
    assert not ChatSession.objects.exists() and not RawMessage.objects.exists()


def test_a_group_switched_off_for_the_website_takes_no_chat_though_its_agents_are_available(
    volunteers, alice_agent, maria_visit
):
    volunteers.website = False
    volunteers.save()

    async def scenario() -> None:
        visitor = visitor_socket(volunteers)
        await visitor.connect()
        assert (await visitor.receive_json_from(timeout=10)) == {"type": "hello", "available": False}
        await visitor.send_json_to(maria_visit)
        assert (await receive_until(visitor, "error"))["message"] == "No one is available to chat right now."
        await visitor.disconnect()

    async_to_sync(scenario)()
    assert not ChatSession.objects.exists() and not RawMessage.objects.exists()


def test_a_quiet_chat_ends_after_the_idle_minutes_and_the_visitor_gets_the_transcript(
    volunteers, alice_agent, maria_visit, settings, smtp_sink
):
    settings.CHAT_IDLE_MINUTES = 15
    start = timezone.now().replace(microsecond=0)

    async def chat() -> str:
        agent, visitor = agent_socket(alice_agent), visitor_socket(volunteers)
        await agent.connect()
        await visitor.connect()
        await visitor.send_json_to(maria_visit)
        key = (await receive_until(visitor, "started"))["key"]
        session = await sync_to_async(ChatSession.objects.get)()
        await agent.send_json_to({"type": "accept", "session": session.pk})
        await receive_until(visitor, "chat.state")
        await agent.send_json_to({"type": "message", "session": session.pk, "text": "Yes, until 6 pm."})
        await receive_until(visitor, "chat.line")
        await agent.disconnect()
        await visitor.disconnect()
        return key

    async def ask_for_transcript(key: str) -> tuple[dict, dict, dict]:
        visitor = visitor_socket(volunteers)
        await visitor.connect()
        await visitor.send_json_to({"type": "resume", "key": key})
        resumed = await receive_until(visitor, "session")
        await visitor.send_json_to({"type": "transcript"})
        sent = await receive_until(visitor, "transcript")
        await visitor.send_json_to({"type": "transcript"})
        again = await receive_until(visitor, "error")
        await visitor.send_json_to({"type": "message", "text": "Still there?"})
        late = await receive_until(visitor, "error")
        await visitor.disconnect()
        return resumed, sent, again | {"late": late["message"]}

    with time_machine.travel(start, tick=False) as clock:
        key = async_to_sync(chat)()
        clock.shift(14 * 60)
        run_periodic_jobs("end_idle_chats")
        assert ChatSession.objects.get().state == ChatSession.State.ACTIVE
        clock.shift(2 * 60)
        assert run_periodic_jobs("end_idle_chats") == ["end_idle_chats"]
        ended = ChatSession.objects.get()
        assert (ended.state, ended.ending) == (ChatSession.State.ENDED, ChatSession.Ending.IDLE)

        resumed, sent, again = async_to_sync(ask_for_transcript)(key)

    assert (resumed["state"], resumed["ending"]) == ("ended", "idle")
    assert sent["email"] == "maria@example.org"
    assert "has been sent" in again["message"] and again["late"] == "This chat has ended."
    [mail] = smtp_sink.messages
    assert mail["To"] == "maria@example.org"
    assert mail["Subject"] == "Your chat with Volunteers [Ticket#1]"
    body = mail.get_body(("plain",)).get_content()
    assert "Maria Garcia" in body and "Is the pantry open today?" in body
    assert "Alice" in body and "Yes, until 6 pm." in body


@pytest.mark.postgres_only
def test_of_two_agents_accepting_at_once_exactly_one_gets_the_chat(volunteers, alice_agent, maria_visit):
    from switchboard.chat.actions import do_start_chat
    from switchboard.testing.database import wait_for_blocked_connections

    anna = make_agent("anna", "AK", groups=[volunteers])
    session = do_start_chat(volunteers, name="Maria", email="maria@example.org", text="Hi", language="en").session
    outcomes: dict[str, str] = {}

    def accept(agent) -> None:
        try:
            do_accept_chat(session, acting_user=agent)
            outcomes[agent.username] = "took it"
        except ChatError:
            outcomes[agent.username] = "refused"
        finally:
            close_old_connections()

    threads = [threading.Thread(target=accept, args=(agent,)) for agent in (alice_agent, anna)]
    with transaction.atomic():  # both have read the chat as waiting; the row is held here until both wait
        ChatSession.objects.select_for_update().get(pk=session.pk)
        for thread in threads:
            thread.start()
        wait_for_blocked_connections(2)
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()) == ["refused", "took it"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "took it")
    assert ChatSession.objects.get().agent.username == winner


def test_only_the_agent_who_took_the_chat_answers_and_ends_it(volunteers, alice_agent, maria_visit):
    anna = make_agent("anna", "AK", groups=[volunteers])

    async def scenario() -> None:
        alice, annas, visitor = agent_socket(alice_agent), agent_socket(anna), visitor_socket(volunteers)
        await alice.connect()
        await annas.connect()
        await visitor.connect()
        await visitor.send_json_to(maria_visit)
        await receive_until(visitor, "session")
        chat = await sync_to_async(ChatSession.objects.get)()
        await alice.send_json_to({"type": "accept", "session": chat.pk})
        await receive_until(visitor, "chat.state")
        await annas.send_json_to({"type": "accept", "session": chat.pk})
        assert (await receive_until(annas, "error"))["message"] == "Someone else has taken this chat."
        await annas.send_json_to({"type": "message", "session": chat.pk, "text": "Anna here"})
        assert (await receive_until(annas, "error"))["message"] == "This chat is not yours to answer."
        await annas.send_json_to({"type": "end", "session": chat.pk})
        assert (await receive_until(annas, "error"))["message"] == "This chat is not yours to answer."
        await alice.send_json_to({"type": "end", "session": chat.pk})
        ended = await receive_until(visitor, "chat.state")
        assert (ended["state"], ended["ending"]) == ("ended", "agent")
        await visitor.send_json_to({"type": "message", "text": "Hello?"})
        assert (await receive_until(visitor, "error"))["message"] == "This chat has ended."
        for communicator in (alice, annas, visitor):
            await communicator.disconnect()

    async_to_sync(scenario)()
    assert "Anna here" not in [body for _who, body in chat_entries(ChatSession.objects.get().ticket_id)]


def test_the_owner_is_not_emailed_of_each_chat_line_they_read_live(volunteers, alice_agent):
    from switchboard.chat.actions import do_add_visitor_line, do_start_chat
    from switchboard.intake.models import OutboundMessage
    from switchboard.tickets.assignment import do_assign_ticket

    maria = make_contact(email="maria@example.org")
    ticket = do_assign_ticket(make_ticket(volunteers, contact=maria), owner=alice_agent, acting_user=None)
    told_before = OutboundMessage.objects.filter(to_address=alice_agent.email).count()  # "assigned to you"
    session = do_start_chat(volunteers, name="Maria", email="maria@example.org", text="Hi", language="en").session
    do_add_visitor_line(session, text="Are you there?")

    assert session.ticket == ticket
    assert OutboundMessage.objects.filter(to_address=alice_agent.email).count() == told_before


def test_an_address_or_an_ip_that_starts_chat_after_chat_is_sent_to_the_form(settings, volunteers, alice_agent):
    from switchboard.chat.actions import do_start_chat

    settings.CHAT_START_LIMIT_PER_HOUR = 2
    for n in range(2):
        do_start_chat(volunteers, name="Bot", email=f"bot{n}@example.org", text="Hi", language="en", ip="203.0.113.9")

    async def from_the_same_ip() -> dict:
        visitor = visitor_socket(volunteers)
        visitor.scope["client"] = ("203.0.113.9", 50000)
        assert (await visitor.connect())[0]
        await visitor.send_json_to({"type": "start", "name": "Bot", "email": "bot9@example.org", "text": "Hi again"})
        refused = await receive_until(visitor, "error")
        await visitor.disconnect()
        return refused

    refused = async_to_sync(from_the_same_ip)()
    assert "contact form" in refused["message"]
    do_start_chat(volunteers, name="Maria", email="maria@example.org", text="Hi", language="en", ip="198.51.100.7")
    do_start_chat(volunteers, name="Maria", email="maria@example.org", text="Hi", language="en", ip="198.51.100.8")
    with pytest.raises(ChatError, match="within the hour"):  # the same address from anywhere
        do_start_chat(volunteers, name="Maria", email="maria@example.org", text="Hi", language="en", ip="198.51.100.9")
    assert ChatSession.objects.count() == 4
    assert RawMessage.objects.filter(channel="chat").count() == 4  # the refused first message is not stored
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):  # an hour on, welcome again
        assert do_start_chat(volunteers, name="Maria", email="maria@example.org", text="Hi", language="en").session


def test_a_contact_signed_in_to_the_portal_chats_as_themselves_whatever_the_page_sends(client, volunteers, alice_agent):
    from django.contrib.sessions.backends.db import SessionStore

    from switchboard.contacts.sessions import SignIn, remember_sign_in

    maria = make_contact("Maria", "Garcia", email="maria@example.org")
    session = SessionStore()
    remember_sign_in(session, SignIn(maria, "maria@example.org"))
    session.save()
    client.cookies["sessionid"] = session.session_key
    page = client.get(f"/chat/{volunteers.slug}/").content.decode()
    assert "You are signed in as Maria Garcia (maria@example.org)." in page and 'id="chat-email"' not in page

    async def as_maria() -> None:
        visitor = visitor_socket(volunteers)
        visitor.scope["session"] = session
        assert (await visitor.connect())[0]
        await visitor.send_json_to({"type": "start", "name": "", "email": "someone@else.example", "text": "Hello!"})
        await receive_until(visitor, "started")
        await visitor.disconnect()

    async_to_sync(as_maria)()
    chat = ChatSession.objects.get()
    assert (chat.name, chat.email, chat.ticket.contact) == ("Maria Garcia", "maria@example.org", maria)
