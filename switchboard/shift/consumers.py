"""The banner's WebSocket (ADMIN-05): every signed-in agent's pages join one channel group and
hear each banner posted or cleared; one meant for groups the agent is not in is not passed on."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from switchboard.shift.broadcasts import BROADCASTS_CHANNEL_GROUP, active_banner_events, reaches

# The close code that tells switchboard.js not to reconnect.
FORBIDDEN = 4403


class BroadcastsConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    """On opening, the banners on the agent's pages now (``broadcast.snapshot``); then each
    banner posted or cleared (``broadcast.changed``) that is meant for them."""

    joined: bool = False

    async def connect(self) -> None:
        if not self.scope["user"].is_authenticated:
            await self.close(code=FORBIDDEN)
            return
        await self.channel_layer.group_add(BROADCASTS_CHANNEL_GROUP, self.channel_name)
        self.joined = True
        await self.accept()
        banners = await database_sync_to_async(active_banner_events)(self.scope["user"])
        await self.send_json({"type": "broadcast.snapshot", "banners": banners})

    async def disconnect(self, code: int) -> None:
        if self.joined:
            await self.channel_layer.group_discard(BROADCASTS_CHANNEL_GROUP, self.channel_name)
            self.joined = False

    async def broadcast_changed(self, event: dict[str, Any]) -> None:
        if await database_sync_to_async(reaches)(self.scope["user"], event["groups"]):
            await self.send_json(event)
