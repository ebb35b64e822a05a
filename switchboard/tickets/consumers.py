"""WebSocket for one ticket: live change notices and who else is viewing it (CORE-13)."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from switchboard.tickets.models import Ticket
from switchboard.tickets.permissions import can_work_in, visible_groups
from switchboard.tickets.realtime import group_channel_group, ticket_channel_group


def _viewer_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


class TicketConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    """Joins the ticket's channel group; announces this viewer to the others on connect (asking
    them to announce themselves in return) and on disconnect; forwards every ``ticket.changed``."""

    ticket_group: str = ""

    async def connect(self) -> None:
        user = self.scope["user"]
        ticket_id = int(self.scope["url_route"]["kwargs"]["ticket_id"])
        if not await database_sync_to_async(self._may_view)(user, ticket_id):
            await self.close(code=4403)
            return
        self.ticket_group = ticket_channel_group(ticket_id)
        await self.channel_layer.group_add(self.ticket_group, self.channel_name)
        await self.accept()
        await self._announce("viewing", ask=True)

    async def disconnect(self, code: int) -> None:
        if self.ticket_group:
            await self._announce("left")
            await self.channel_layer.group_discard(self.ticket_group, self.channel_name)

    async def ticket_changed(self, event: dict[str, Any]) -> None:
        await self.send_json(event)

    async def ticket_viewer(self, event: dict[str, Any]) -> None:
        if event["channel"] == self.channel_name:
            return
        await self.send_json({key: event[key] for key in ("type", "state", "user", "name")})
        if event["ask"]:  # a newcomer: tell them we are here too
            await self._announce("viewing", ask=False)

    async def _announce(self, state: str, *, ask: bool = False) -> None:
        user = self.scope["user"]
        await self.channel_layer.group_send(
            self.ticket_group,
            {
                "type": "ticket.viewer",
                "state": state,
                "user": user.pk,
                "name": _viewer_name(user),
                "channel": self.channel_name,
                "ask": ask,
            },
        )

    @staticmethod
    def _may_view(user: Any, ticket_id: int) -> bool:
        group_id = Ticket.objects.filter(pk=ticket_id).values_list("group_id", flat=True).first()
        return group_id is not None and can_work_in(user, group_id)


class GroupsConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    """Every ticket change in the signed-in agent's groups: home counts and lists stay current."""

    channel_groups: list[str]

    async def connect(self) -> None:
        user = self.scope["user"]
        group_ids = await database_sync_to_async(lambda: list(visible_groups(user).values_list("pk", flat=True)))()
        if not user.is_authenticated:
            await self.close(code=4403)
            return
        self.channel_groups = [group_channel_group(group_id) for group_id in group_ids]
        for name in self.channel_groups:
            await self.channel_layer.group_add(name, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for name in getattr(self, "channel_groups", []):
            await self.channel_layer.group_discard(name, self.channel_name)

    async def ticket_changed(self, event: dict[str, Any]) -> None:
        await self.send_json(event)
