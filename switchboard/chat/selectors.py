"""Reads of the live chat: who may take chats, the chats an agent sees, a chat's lines."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import reverse

from switchboard.chat.models import ChatLine, ChatSession, key_digest
from switchboard.core.html import html_to_text
from switchboard.tickets.models import CannedResponse, Group, Membership

LINES_SHOWN = 200  # the latest lines a chat shows; the ticket's timeline keeps them all


def is_chat_answered(group: Group) -> bool:
    """Whether the group takes chats (its website switch) and an agent of it is available
    (ROUTE-02's switch) to take one."""
    return group.website and Membership.objects.filter(group=group, available=True, user__is_active=True).exists()


def find_visitor_chat(group: Group, key: str) -> ChatSession | None:
    """The group's chat whose visitor holds ``key``, or None."""
    if not key:
        return None
    return ChatSession.objects.select_related("group", "agent").filter(group=group, key_digest=key_digest(key)).first()


def list_waiting_chats(agent: User) -> QuerySet[ChatSession]:
    """Chats waiting in the groups where ``agent`` is available, oldest first."""
    groups = Membership.objects.filter(user=agent, available=True, user__is_active=True).values("group_id")
    return (
        ChatSession.objects.filter(state=ChatSession.State.WAITING, group_id__in=groups)
        .select_related("group")
        .order_by("started_at")
    )


def list_agents_chats(agent: User) -> QuerySet[ChatSession]:
    """The chats ``agent`` is answering, in a group they are still in, oldest first."""
    return (
        ChatSession.objects.filter(state=ChatSession.State.ACTIVE, agent=agent, group__memberships__user=agent)
        .select_related("group", "ticket")
        .order_by("accepted_at")
    )


def list_chat_lines(sessions: list[ChatSession]) -> dict[int, list[ChatLine]]:
    """The latest lines of each chat, oldest first, in one query."""
    lines: dict[int, list[ChatLine]] = {session.pk: [] for session in sessions}
    query = ChatLine.objects.filter(session__in=sessions).select_related("activity__actor").order_by("-pk")
    for line in query[: LINES_SHOWN * max(len(sessions), 1)]:
        if len(lines[line.session_id]) < LINES_SHOWN:
            lines[line.session_id].insert(0, line)
    return lines


def agent_name(user: User | None) -> str:
    return "" if user is None else str(user.first_name or user.get_full_name() or user.get_username())


def line_data(line: ChatLine) -> dict[str, object]:
    """A line as the chat's pages show it."""
    activity = line.activity
    return {
        "id": line.pk,
        "session": line.session_id,
        "by": "agent" if activity.actor_id else "visitor",
        "name": agent_name(activity.actor) if activity.actor_id else "",
        "text": activity.body,
        "at": activity.created_at.isoformat(),
    }


def agent_chats_data(agent: User) -> dict[str, list[dict[str, object]]]:
    """What the agent's chat panel shows: the waiting chats with their first line, and the
    agent's own chats with their lines and their groups' canned responses (a fixed number of
    queries)."""
    waiting = list(list_waiting_chats(agent))
    mine = list(list_agents_chats(agent))
    lines = list_chat_lines(waiting + mine)
    canned: dict[int, list[dict[str, str]]] = {}
    for response in CannedResponse.objects.filter(group_id__in={chat.group_id for chat in mine}).order_by("title"):
        canned.setdefault(response.group_id, []).append(
            {"title": response.title, "text": html_to_text(response.body_html)}
        )
    return {
        "waiting": [
            {
                "id": chat.pk,
                "group": chat.group.name,
                "name": chat.name,
                "started": chat.started_at.isoformat(),
                "text": lines[chat.pk][0].activity.body if lines[chat.pk] else "",
            }
            for chat in waiting
        ],
        "mine": [
            {
                "id": chat.pk,
                "group": chat.group.name,
                "name": chat.name,
                "email": chat.email,
                "ticket": chat.ticket.number,
                "ticket_url": reverse("ticket", args=[chat.ticket.number]),
                "lines": [line_data(line) for line in lines[chat.pk]],
                "canned": canned.get(chat.group_id, []),
            }
            for chat in mine
        ],
    }
