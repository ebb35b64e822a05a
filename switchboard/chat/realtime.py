"""What the chat's sockets hear, through the channel layer (in memory, or Redis across the web
processes): a chat's own events go to its visitor and its agent; a change of a group's queue
tells that group's agents to read their chats again."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def session_channel_group(session_id: int) -> str:
    return f"chat.session.{session_id}"


def queue_channel_group(group_id: int) -> str:
    return f"chat.queue.{group_id}"


def publish_on_commit(name: str, event: dict[str, object]) -> None:
    transaction.on_commit(lambda: send(name, event))


def send(name: str, event: dict[str, object]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(name, event)


def publish_queue_changed_on_commit(group_id: int) -> None:
    publish_on_commit(queue_channel_group(group_id), {"type": "chat.queue", "group": group_id})
