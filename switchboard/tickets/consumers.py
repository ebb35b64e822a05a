"""WebSockets of the agents' pages: one ticket's live change notices and who else is viewing it
(CORE-13), and every ticket change in the agent's groups for home and the lists (CORE-06).

Membership is checked on connect and again before every event is passed on, against the
database: an agent removed from a group (or switched off) hears nothing more of it from the next
event on, whichever way the membership went (the admin, a future team page, a script). The
check is one indexed query per event and socket. The other way, a "removed" event sent by every
path that removes a membership, would be cheaper but is easily forgotten by the next such path.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from switchboard.tickets.agent_states import team_channel_group
from switchboard.tickets.callbacks import agent_channel_group
from switchboard.tickets.models import Ticket
from switchboard.tickets.permissions import can_still_see_ticket, can_still_work_in, visible_groups
from switchboard.tickets.realtime import group_channel_group, ticket_channel_group

# The close code that tells switchboard.js not to reconnect.
FORBIDDEN = 4403


def _viewer_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


class TicketConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    """Joins the ticket's channel group; announces this viewer to the others on connect (asking
    them to announce themselves in return) and on disconnect; forwards every ``ticket.changed``.
    A viewer who may no longer see the ticket (removed from its group, or the ticket moved to
    another group) is disconnected at the next event, with FORBIDDEN."""

    ticket_id: int = 0
    ticket_group: str = ""

    async def connect(self) -> None:
        self.ticket_id = int(self.scope["url_route"]["kwargs"]["ticket_id"])
        if not await self._may_view():
            await self.close(code=FORBIDDEN)
            return
        self.ticket_group = ticket_channel_group(self.ticket_id)
        await self.channel_layer.group_add(self.ticket_group, self.channel_name)
        await self.accept()
        await self._announce("viewing", ask=True)

    async def disconnect(self, code: int) -> None:
        if self.ticket_group:
            await self._announce("left")
            await self.channel_layer.group_discard(self.ticket_group, self.channel_name)
            self.ticket_group = ""

    async def ticket_changed(self, event: dict[str, Any]) -> None:
        if await self._may_view(event):
            await self.send_json(event)

    async def ticket_viewer(self, event: dict[str, Any]) -> None:
        if event["channel"] == self.channel_name or not await self._may_view():
            return
        await self.send_json({key: event[key] for key in ("type", "state", "user", "name")})
        if event["ask"]:  # a newcomer: tell them we are here too
            await self._announce("viewing", ask=False)

    async def _may_view(self, event: dict[str, Any] | None = None) -> bool:
        """Whether this viewer may still see the ticket (in the group and with the owner an
        event names, else as it is now); if not, the socket is closed."""
        user = self.scope["user"]

        def check() -> bool:
            if event is not None:
                return can_still_see_ticket(user, group_id=event["group"], owner_id=event.get("owner"))
            row = Ticket.objects.filter(pk=self.ticket_id).values_list("group_id", "owner_id").first()
            return row is not None and can_still_see_ticket(user, group_id=row[0], owner_id=row[1])

        allowed: bool = await database_sync_to_async(check)()
        if not allowed and self.ticket_group:
            await self.disconnect(FORBIDDEN)
            await self.close(code=FORBIDDEN)
        return allowed

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


class GroupsConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    """Every ticket change in the signed-in agent's groups: home counts and lists stay current.
    A change in a group the agent has left since is not passed on, and that group's changes
    stop coming to this socket."""

    channel_groups: list[str]

    async def connect(self) -> None:
        user = self.scope["user"]
        group_ids = await database_sync_to_async(lambda: list(visible_groups(user).values_list("pk", flat=True)))()
        if not user.is_authenticated:
            await self.close(code=FORBIDDEN)
            return
        self.channel_groups = [group_channel_group(group_id) for group_id in group_ids]
        for name in self.channel_groups:
            await self.channel_layer.group_add(name, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for name in getattr(self, "channel_groups", []):
            await self.channel_layer.group_discard(name, self.channel_name)

    async def ticket_changed(self, event: dict[str, Any]) -> None:
        user = self.scope["user"]
        owner = event.get("owner")
        if await database_sync_to_async(can_still_see_ticket)(user, group_id=event["group"], owner_id=owner):
            await self.send_json(event)
            return
        if await database_sync_to_async(can_still_work_in)(user, event["group"]):
            return  # another agent's ticket where this one sees only their own (ADMIN-01)
        left = group_channel_group(event["group"])
        await self.channel_layer.group_discard(left, self.channel_name)
        self.channel_groups = [name for name in self.channel_groups if name != left]


class NoticesConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    """The signed-in agent's own notices, on every page: a callback of theirs has come due
    (CC-03, callbacks.do_notify_due_callbacks); a queue report is due, filed or missed
    (PHONE-08). A notice about a group the agent has left since it was sent is not passed on."""

    agent_group: str = ""

    async def connect(self) -> None:
        user = self.scope["user"]
        if not user.is_authenticated:
            await self.close(code=FORBIDDEN)
            return
        self.agent_group = agent_channel_group(user.pk)
        await self.channel_layer.group_add(self.agent_group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.agent_group:
            await self.channel_layer.group_discard(self.agent_group, self.channel_name)
            self.agent_group = ""

    async def callback_due(self, event: dict[str, Any]) -> None:
        if await database_sync_to_async(can_still_work_in)(self.scope["user"], event["group"]):
            await self.send_json(event)

    # The queue report (PHONE-08, shift/queue_reports.py): due (the dialog opens), filed (in
    # another tab: the dialog closes) and, to the group's managers, missed.
    queue_report_due = callback_due
    queue_report_filed = callback_due
    queue_report_missed = callback_due


class TeamConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    """A group's Team page: its members' phone states as they switch (PHONE-09). Only for those
    who may see the group, checked on connect and before every event (one query); one who may
    no longer is disconnected with FORBIDDEN."""

    team_group: str = ""
    group_id: int = 0

    async def connect(self) -> None:
        self.group_id = int(self.scope["url_route"]["kwargs"]["group_id"])
        if not await database_sync_to_async(can_still_work_in)(self.scope["user"], self.group_id):
            await self.close(code=FORBIDDEN)
            return
        self.team_group = team_channel_group(self.group_id)
        await self.channel_layer.group_add(self.team_group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.team_group:
            await self.channel_layer.group_discard(self.team_group, self.channel_name)
            self.team_group = ""

    async def agent_state(self, event: dict[str, Any]) -> None:
        if await database_sync_to_async(can_still_work_in)(self.scope["user"], self.group_id):
            await self.send_json(event)
            return
        await self.disconnect(FORBIDDEN)
        await self.close(code=FORBIDDEN)
