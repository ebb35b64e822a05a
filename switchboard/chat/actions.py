"""The live chat's writes (SELF-04).

A visitor's message goes through the intake pipeline as the "chat" channel (stored and committed,
then applied to the ticket) before anyone is shown it. An agent's message is a domain action,
``tickets.messages.do_add_chat_answer``: a chat timeline entry with the agent as its actor, then
pushed to the visitor over the channel layer after the commit. It is not an outbox row with a
chat sender, as email's and SMS's answers are, because the outbox is there to deliver later to a
server that may be away, with retries and Undo; a chat has no later: the visitor is at the socket
now, or reads the line from the timeline when their page comes back (``list_chat_lines``). The
entry is the record; the push is a side effect on commit, like every live update.
"""

from __future__ import annotations

import datetime as dt
import html
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from switchboard.chat.channel import ChatMessage, receive_chat_message
from switchboard.chat.models import ChatLine, ChatSession, key_digest
from switchboard.chat.realtime import publish_on_commit, publish_queue_changed_on_commit, session_channel_group
from switchboard.chat.selectors import agent_name, is_chat_answered, line_data
from switchboard.core.secrets import keyed_hash
from switchboard.intake.actions import do_queue_outbound
from switchboard.intake.models import RawMessage
from switchboard.intake.outbound import Outbound, new_message_id
from switchboard.tickets.actions import TicketError
from switchboard.tickets.messages import do_add_chat_answer
from switchboard.tickets.models import Activity, Group, Ticket
from switchboard.tickets.permissions import ensure_can_work_in

MAX_TEXT = 5000  # characters of one chat message


class ChatError(TicketError):
    """What the person is told when a chat cannot do what they asked."""


@dataclass(frozen=True)
class StartedChat:
    session: ChatSession
    key: str  # the visitor's secret: only its digest is stored


def _text_of(text: str) -> str:
    text = text.strip()
    if not text:
        raise ChatError(_("Write a message first."))
    if len(text) > MAX_TEXT:
        raise ChatError(_("A message may have at most %(n)s characters.") % {"n": MAX_TEXT})
    return text


def _received(group: Group, message: ChatMessage) -> tuple[Ticket, Activity]:
    """The message stored and applied by the intake pipeline: its ticket and timeline entry."""
    raw = receive_chat_message(group, message)
    if raw.state != RawMessage.State.APPLIED or raw.ticket is None or raw.activity is None:
        raise ChatError(_("Your message could not be taken. Please use the contact form."))
    return raw.ticket, raw.activity


def _too_many_chats(email: str, ip_hash: str) -> bool:
    """Whether this address or IP started CHAT_START_LIMIT_PER_HOUR chats within the hour (in
    any group): a script opening chat after chat makes no contacts and tickets without end."""
    hour = ChatSession.objects.filter(started_at__gte=timezone.now() - dt.timedelta(hours=1))
    limit = settings.CHAT_START_LIMIT_PER_HOUR
    return hour.filter(email=email).count() >= limit or bool(ip_hash and hour.filter(ip_hash=ip_hash).count() >= limit)


def do_start_chat(  # noqa: PLR0913 - what the visitor gave, and where from
    group: Group, *, name: str, email: str, text: str, language: str, ip: str = ""
) -> StartedChat:
    """A visitor's first message: it finds or opens their ticket in the group through the
    pipeline (one open ticket per contact and group), then the chat waits for an agent.
    Refused when the address or ``ip`` has started too many chats within the hour."""
    name, email = name.strip()[:200], email.strip().lower()
    if not name or not email:
        raise ChatError(_("Give your name and email address."))
    if not is_chat_answered(group):
        raise ChatError(_("No one is available to chat right now."))
    ip_hash = keyed_hash(ip, purpose="switchboard.chat.ip") if ip else ""
    if _too_many_chats(email, ip_hash):
        raise ChatError(_("You have started several chats within the hour. Please write to us with the contact form."))
    ticket, activity = _received(group, ChatMessage(email=email, name=name, text=_text_of(text)))
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        session = ChatSession.objects.create(
            group=group,
            ticket=ticket,
            name=name,
            email=email,
            key_digest=key_digest(key),
            ip_hash=ip_hash,
            language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
            started_at=now,
            last_activity_at=now,
        )
        line = ChatLine.objects.create(session=session, activity=activity)
        _publish_line(line)
        publish_queue_changed_on_commit(group.pk)
    return StartedChat(session, key)


def do_add_visitor_line(session: ChatSession, *, text: str) -> ChatLine:
    """A visitor's message, stored and on the chat's ticket before it is shown to anyone."""
    session.refresh_from_db(fields=["state", "ticket"])  # the visitor's socket may hold it from before the end
    if session.is_ended:
        raise ChatError(_("This chat has ended."))
    ticket, activity = _received(
        session.group,
        ChatMessage(email=session.email, name=session.name, text=_text_of(text), ticket_id=session.ticket_id),
    )
    with transaction.atomic():
        line = ChatLine.objects.create(session=session, activity=activity)
        session.ticket, session.last_activity_at = ticket, timezone.now()  # a merged ticket's target
        session.save(update_fields=["ticket", "last_activity_at"])
        _publish_line(line)
    return line


def do_accept_chat(session: ChatSession, *, acting_user: User) -> ChatSession:
    """An agent of the group takes a waiting chat; of two at once, one gets it (the row is locked)."""
    with transaction.atomic():
        current = ChatSession.objects.select_for_update().get(pk=session.pk)
        ensure_can_work_in(acting_user, current.group_id)
        if current.state != ChatSession.State.WAITING:
            raise ChatError(
                _("Someone else has taken this chat.") if not current.is_ended else _("This chat has ended.")
            )
        current.state, current.agent = ChatSession.State.ACTIVE, acting_user
        current.accepted_at = current.last_activity_at = timezone.now()
        current.save(update_fields=["state", "agent", "accepted_at", "last_activity_at"])
        _publish_state(current)
        publish_queue_changed_on_commit(current.group_id)
    return current


def do_add_agent_line(session: ChatSession, *, text: str, acting_user: User) -> ChatLine:
    """The chat's agent answers: a chat entry on the ticket's timeline, shown to the visitor."""
    with transaction.atomic():
        current = ChatSession.objects.select_for_update().get(pk=session.pk)
        if current.state != ChatSession.State.ACTIVE or current.agent_id != acting_user.pk:
            raise ChatError(_("This chat is not yours to answer."))
        activity = do_add_chat_answer(current.ticket, text=_text_of(text), acting_user=acting_user)
        line = ChatLine.objects.create(session=current, activity=activity)
        current.last_activity_at = timezone.now()
        current.save(update_fields=["last_activity_at"])
        _publish_line(line)
    return line


def do_end_chat(session: ChatSession, *, ending: ChatSession.Ending, acting_user: User | None = None) -> ChatSession:
    """The visitor, the chat's agent, or the idle timer ends the chat; the ticket stays as it is."""
    with transaction.atomic():
        current = ChatSession.objects.select_for_update().get(pk=session.pk)
        if ending == ChatSession.Ending.AGENT and (acting_user is None or current.agent_id != acting_user.pk):
            raise ChatError(_("This chat is not yours to end."))
        if current.is_ended:
            return current
        current.state, current.ending, current.ended_at = ChatSession.State.ENDED, ending, timezone.now()
        current.save(update_fields=["state", "ending", "ended_at"])
        _publish_state(current)
        publish_queue_changed_on_commit(current.group_id)
    return current


def do_end_idle_chats() -> int:
    """Every chat with no message for CHAT_IDLE_MINUTES ends; returns how many."""
    since = timezone.now() - dt.timedelta(minutes=settings.CHAT_IDLE_MINUTES)
    idle = ChatSession.objects.exclude(state=ChatSession.State.ENDED).filter(last_activity_at__lt=since)
    ended = 0
    for session in idle.order_by("pk"):
        do_end_chat(session, ending=ChatSession.Ending.IDLE)
        ended += 1
    return ended


def do_email_transcript(session: ChatSession) -> None:
    """The chat's lines, emailed through the outbox to the address the visitor gave; once a chat."""
    with transaction.atomic():
        current = ChatSession.objects.select_for_update().select_related("ticket", "group").get(pk=session.pk)
        if current.transcript_sent_at is not None:
            raise ChatError(_("The transcript has been sent to %(email)s.") % {"email": current.email})
        lines = list(current.lines.select_related("activity__actor"))
        with translation.override(current.language):
            outbound = _transcript(current, lines)
        do_queue_outbound(outbound, ticket=current.ticket, activity=None)
        current.transcript_sent_at = timezone.now()
        current.save(update_fields=["transcript_sent_at"])


def _transcript(session: ChatSession, lines: list[ChatLine]) -> Outbound:
    ticket = session.ticket
    said = [
        (agent_name(line.activity.actor) if line.activity.actor_id else session.name, line.activity) for line in lines
    ]
    local = timezone.localtime
    text = "\n\n".join(f"{who} ({local(a.created_at):%Y-%m-%d %H:%M}):\n{a.body}" for who, a in said)
    rows = "".join(
        f"<p><strong>{html.escape(who)}</strong> <small>{local(a.created_at):%H:%M}</small><br>"
        f"{html.escape(a.body).replace(chr(10), '<br>')}</p>"
        for who, a in said
    )
    heading = _("Your chat with %(group)s") % {"group": session.group.name}
    return Outbound(
        channel="email",
        from_address=ticket.sender,
        to_address=session.email,
        subject=f"{heading} {ticket.subject_token}",
        text=f"{heading}\n\n{text}\n",
        html=f"<h1>{html.escape(heading)}</h1>{rows}",
        message_id=new_message_id(ticket),
        in_reply_to="",
        references=[],
    )


def chat_state(session: ChatSession) -> dict[str, object]:
    return {
        "type": "chat.state",
        "session": session.pk,
        "state": session.state,
        "agent": agent_name(session.agent),
        "ending": session.ending,
    }


def _publish_state(session: ChatSession) -> None:
    publish_on_commit(session_channel_group(session.pk), chat_state(session))


def _publish_line(line: ChatLine) -> None:
    publish_on_commit(session_channel_group(line.session_id), {"type": "chat.line", "line": line_data(line)})
