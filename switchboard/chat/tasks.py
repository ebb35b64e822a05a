"""Background jobs of the live chat: thin wrappers that call one action."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from switchboard.chat.actions import do_end_idle_chats


@db_periodic_task(crontab(minute="*"))
def end_idle_chats() -> int:
    """Every minute: chats quiet for CHAT_IDLE_MINUTES end."""
    return do_end_idle_chats()
