from __future__ import annotations

from django.urls import path

from switchboard.shift.consumers import BroadcastsConsumer

websocket_urlpatterns = [
    path("ws/broadcasts/", BroadcastsConsumer.as_asgi()),
]
