"""The live chat's WebSockets (SELF-04): the visitor's, on the group's chat page, and the agent's,
on every page of theirs.

The visitor proves their chat by its secret key, sent as a message (not in the address, which
servers log); nothing of any chat is sent to them before that. The agent's socket hears the
queue of the groups where they are available and their own chats; the membership is read from the
database again for every queue change, as the ticket sockets do (tickets/consumers.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from switchboard.chat import actions, selectors
from switchboard.chat.models import ChatSession
from switchboard.chat.realtime import queue_channel_group, session_channel_group
from switchboard.contacts.sessions import contact_signed_in
from switchboard.tickets.actions import TicketError
from switchboard.tickets.consumers import FORBIDDEN
from switchboard.tickets.models import Group

T = TypeVar("T")


class ChatConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    language: str = settings.LANGUAGE_CODE

    async def run(self, function: Callable[[], T]) -> T:
        """``function`` in a database thread, in the language of the person at this socket."""

        def call() -> T:
            with translation.override(self.language):
                return function()

        result: T = await database_sync_to_async(call)()
        return result

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            return
        try:
            await self.handle(content)
        except (TicketError, PermissionDenied) as error:
            # Made in the database thread, in this person's language.
            await self.send_json({"type": "error", "message": str(error), "session": content.get("session")})

    async def handle(self, content: dict[str, Any]) -> None:
        raise NotImplementedError


class VisitorConsumer(ChatConsumer):
    group: Group | None = None
    session: ChatSession | None = None

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        query = parse_qs(self.scope.get("query_string", b"").decode())
        language = query.get("lang", [""])[0]
        self.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        self.group = await database_sync_to_async(lambda: Group.objects.filter(slug=slug).first())()
        if self.group is None:
            await self.close(code=FORBIDDEN)
            return
        await self.accept()
        group = self.group
        await self.send_json({"type": "hello", "available": await self.run(lambda: selectors.is_chat_answered(group))})

    async def disconnect(self, code: int) -> None:
        if self.session is not None:
            await self.channel_layer.group_discard(session_channel_group(self.session.pk), self.channel_name)

    async def handle(self, content: dict[str, Any]) -> None:
        kind, group, session = content.get("type"), self.group, self.session
        assert group is not None
        if kind == "resume":
            found = await self.run(lambda: selectors.find_visitor_chat(group, str(content.get("key", ""))))
            await (self._join(found) if found else self.send_json({"type": "unknown"}))
        elif kind == "start" and session is None:
            await self._start(group, content)
        elif session is None:
            await self.send_json({"type": "unknown"})
        elif kind == "message":
            await self.run(lambda: actions.do_add_visitor_line(session, text=str(content.get("text", ""))))
        elif kind == "typing":
            event = {"type": "chat.typing", "session": session.pk, "by": "visitor"}
            await self.channel_layer.group_send(session_channel_group(session.pk), event)
        elif kind == "end":
            await self.run(lambda: actions.do_end_chat(session, ending=ChatSession.Ending.VISITOR))
        elif kind == "transcript":
            await self.run(lambda: actions.do_email_transcript(session))
            await self.send_json({"type": "transcript", "email": session.email})

    async def _start(self, group: Group, content: dict[str, Any]) -> None:
        """A new chat: as the contact signed in to the portal in this browser, if any (what the
        page sends is then ignored), else as the name and address the visitor typed."""
        name, email, text = (
            str(content.get("name", "")),
            str(content.get("email", "")).strip()[:254],
            str(content.get("text", "")),
        )
        known = await self.run(lambda: contact_signed_in(self.scope.get("session")))
        if known is not None:
            name, email = known.contact.display_name, known.address
        try:
            validate_email(email)
        except ValidationError:
            message = await self.run(lambda: _("Enter a valid email address."))
            await self.send_json({"type": "error", "field": "email", "message": message})
            return
        started = await self.run(
            lambda: actions.do_start_chat(
                group, name=name, email=email, text=text, language=self.language, ip=self._client_ip()
            )
        )
        await self.send_json({"type": "started", "key": started.key})
        await self._join(started.session)

    def _client_ip(self) -> str:
        client = self.scope.get("client")  # (host, port) as the server saw it; behind a proxy, the proxy's
        return str(client[0]) if client else ""

    async def _join(self, session: ChatSession) -> None:
        if self.session is not None and self.session.pk != session.pk:
            await self.channel_layer.group_discard(session_channel_group(self.session.pk), self.channel_name)
        self.session = session
        await self.channel_layer.group_add(session_channel_group(session.pk), self.channel_name)
        lines = await self.run(
            lambda: [selectors.line_data(line) for line in selectors.list_chat_lines([session])[session.pk]]
        )
        await self.send_json(
            {
                **actions.chat_state(session),
                "type": "session",
                "name": session.name,
                "lines": lines,
                "transcript_sent": session.transcript_sent_at is not None,
            }
        )

    async def chat_line(self, event: dict[str, Any]) -> None:
        await self.send_json(event)

    async def chat_state(self, event: dict[str, Any]) -> None:
        await self.send_json(event)

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event["by"] != "visitor":
            await self.send_json(event)


class AgentConsumer(ChatConsumer):
    """The signed-in agent's chats: the waiting ones of the groups where they are available (sent
    anew whenever a queue changes) and their own, with their lines as they come."""

    queue_groups: list[str]
    sessions: set[int]

    async def connect(self) -> None:
        user = self.scope["user"]
        if not user.is_authenticated:
            await self.close(code=FORBIDDEN)
            return
        self.language, group_ids = await database_sync_to_async(_agent_language_and_groups)(user)
        self.queue_groups, self.sessions = [queue_channel_group(pk) for pk in group_ids], set()
        for name in self.queue_groups:
            await self.channel_layer.group_add(name, self.channel_name)
        await self.accept()
        await self._send_chats()

    async def disconnect(self, code: int) -> None:
        for name in [*getattr(self, "queue_groups", []), *map(session_channel_group, getattr(self, "sessions", []))]:
            await self.channel_layer.group_discard(name, self.channel_name)

    async def handle(self, content: dict[str, Any]) -> None:
        user, kind = self.scope["user"], content.get("type")
        pk = content.get("session")
        if not isinstance(pk, int):
            return
        session = await self.run(lambda: ChatSession.objects.filter(pk=pk).first())
        if session is None:
            return
        if kind == "accept":
            await self.run(lambda: actions.do_accept_chat(session, acting_user=user))
            await self._send_chats()
        elif session.pk not in self.sessions:
            raise PermissionDenied(_("This chat is not yours to answer."))
        elif kind == "message":
            await self.run(
                lambda: actions.do_add_agent_line(session, text=str(content.get("text", "")), acting_user=user)
            )
        elif kind == "typing":
            event = {"type": "chat.typing", "session": session.pk, "by": "agent"}
            await self.channel_layer.group_send(session_channel_group(session.pk), event)
        elif kind == "end":
            await self.run(lambda: actions.do_end_chat(session, ending=ChatSession.Ending.AGENT, acting_user=user))

    async def _send_chats(self) -> None:
        """The waiting chats and the agent's own, read anew; joins the own chats' events."""
        user = self.scope["user"]
        chats = await self.run(lambda: selectors.agent_chats_data(user))
        mine = {cast(int, chat["id"]) for chat in chats["mine"]}
        for pk in mine - self.sessions:
            await self.channel_layer.group_add(session_channel_group(pk), self.channel_name)
        for pk in self.sessions - mine:
            await self.channel_layer.group_discard(session_channel_group(pk), self.channel_name)
        self.sessions = mine
        await self.send_json({"type": "chats", **chats})

    async def chat_queue(self, event: dict[str, Any]) -> None:
        await self._send_chats()

    async def chat_line(self, event: dict[str, Any]) -> None:
        if event["line"]["session"] in self.sessions:
            await self.send_json(event)

    async def chat_state(self, event: dict[str, Any]) -> None:
        if event["session"] in self.sessions:
            await self.send_json(event)

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event["by"] != "agent" and event["session"] in self.sessions:
            await self.send_json(event)


def _agent_language_and_groups(user: Any) -> tuple[str, list[int]]:
    profile = getattr(user, "agent_profile", None)
    language = getattr(profile, "language", "") or settings.LANGUAGE_CODE
    return language, list(user.memberships.values_list("group_id", flat=True))
