"""WebSocket routes of the live chat."""

from __future__ import annotations

from django.urls import path

from switchboard.chat.consumers import AgentConsumer, VisitorConsumer

websocket_urlpatterns = [
    path("ws/chat/agent/", AgentConsumer.as_asgi()),
    path("ws/chat/visit/<slug:slug>/", VisitorConsumer.as_asgi()),
]
