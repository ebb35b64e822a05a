"""The intake's side of the domain's messaging interface (``tickets/messaging.py``): messages
composed from the group's templates (MAIL-07, MAIL-08) and queued in the outbox; registered in
``IntakeConfig.ready``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.utils import translation

from switchboard.intake.actions import do_queue_outbound, do_withdraw_outbound
from switchboard.intake.models import TemplateKind
from switchboard.intake.notifications import notify_category_agents, notify_new_owner, notify_new_ticket
from switchboard.intake.outbound import (
    Outbound,
    compose_agent_email,
    compose_notice,
    compose_owner_email,
    compose_reply,
)
from switchboard.intake.selectors import get_message_template
from switchboard.tickets.messaging import Notice, OutgoingMessage
from switchboard.tickets.models import Activity, Attachment, Group, Ticket
from switchboard.tickets.selectors import list_thread_message_ids


class OutboxMessenger:
    def compose_reply(
        self, ticket: Ticket, *, to_address: str, body_html: str, agent: User, cc: list[str] | None
    ) -> Outbound:
        thread = list_thread_message_ids(ticket)
        with translation.override(ticket.contact_language):  # greeting and sign-off in the contact's language
            template = get_message_template(ticket.group, TemplateKind.REPLY)
            return compose_reply(
                ticket,
                agent=agent,
                answer_html=body_html,
                to_address=to_address,
                thread=thread,
                template=template,
                cc=cc,
            )

    def compose_notice(self, ticket: Ticket, notice: Notice, *, to_address: str, agent: User | None) -> Outbound:
        with translation.override(ticket.contact_language):
            template = get_message_template(ticket.group, TemplateKind(notice.value))
            return compose_notice(ticket, template, to_address=to_address, agent=agent)

    def compose_owner_email(self, ticket: Ticket, *, owner: User, sender: User, message: str) -> Outbound:
        return compose_owner_email(ticket, owner=owner, sender=sender, message=message)

    def queue(
        self,
        message: OutgoingMessage,
        *,
        ticket: Ticket,
        activity: Activity | None,
        hold_until: dt.datetime | None = None,
        attachments: Sequence[Attachment] = (),
    ) -> None:
        if not isinstance(message, Outbound):
            raise TypeError(f"Only a message composed by the intake can be queued, not {message!r}.")
        do_queue_outbound(message, ticket=ticket, activity=activity, not_before=hold_until, attachments=attachments)

    def withdraw(self, activity: Activity) -> bool:
        return do_withdraw_outbound(activity)

    def notify_new_ticket(self, ticket: Ticket, *, excerpt: str, acting_user: User | None) -> None:
        notify_new_ticket(ticket, excerpt=excerpt, acting_user=acting_user)

    def notify_category_agents(self, ticket: Ticket, *, acting_user: User | None) -> None:
        notify_category_agents(ticket, acting_user=acting_user)

    def notify_new_owner(self, ticket: Ticket, *, acting_user: User | None) -> None:
        notify_new_owner(ticket, acting_user=acting_user)

    def email_agent(self, to: User, *, group: Group, subject: str, text: str) -> None:
        do_queue_outbound(compose_agent_email(group, to=to, subject=subject, text=text), ticket=None, activity=None)
