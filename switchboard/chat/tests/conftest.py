"""Sockets of the live chat, as a visitor's page and an agent's pages open them."""

from __future__ import annotations

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from switchboard.chat.routing import websocket_urlpatterns

application = URLRouter(websocket_urlpatterns)


def visitor_socket(group, *, language: str = "en") -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/chat/visit/{group.slug}/?lang={language}")


def agent_socket(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/chat/agent/")
    communicator.scope["user"] = user
    return communicator


async def receive_until(communicator: WebsocketCommunicator, kind: str, *, timeout: float = 10) -> dict:
    """The next message of type ``kind``; the others before it are skipped."""
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        if message["type"] == kind:
            return message


@pytest.fixture
def maria_visit():
    return {"type": "start", "name": "Maria Garcia", "email": "Maria@Example.org", "text": "Is the pantry open today?"}
