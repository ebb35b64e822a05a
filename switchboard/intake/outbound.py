"""The outbound pipeline's first step: what a message to a contact says and which headers thread it.

It writes nothing. ``compose_reply`` is what both the "Email view" preview and Send use, so the
preview is exactly what the contact receives (MAIL-05): by default the greeting, the agent's
answer, and the sign-off with the agent's name, initials and signatures (MAIL-07, AGENT-06), in
the words of the group's templates (MAIL-08).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.utils import make_msgid

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from switchboard.intake.message_templates import MessageContext, render, render_subject
from switchboard.intake.models import MessageTemplate, TemplateKind
from switchboard.tickets.models import Group, Ticket

MAX_REFERENCES = 20
NOTIFICATION_EXCERPT = 1000  # characters of the contact's message in an agent's notification


@dataclass(frozen=True)
class Outbound:
    """A message ready for the outbox: what is sent is exactly this."""

    channel: str
    from_address: str
    to_address: str
    subject: str
    text: str
    html: str
    message_id: str
    in_reply_to: str
    references: list[str]
    cc: list[str] = field(default_factory=list)
    automatic: bool = False  # an autoresponse, marked so that other systems do not answer it
    reply_to: str = ""  # an agent's notification: their secret reply address for the ticket (mail trust)


def new_message_id(ticket: Ticket) -> str:
    """A Message-ID in our own domain, so that answers thread back and our mail is known as ours."""
    return make_msgid(idstring=f"ticket{ticket.number}", domain=settings.MESSAGE_ID_DOMAIN)


def compose_reply(  # noqa: PLR0913
    ticket: Ticket,
    *,
    agent: User,
    answer_html: str,
    to_address: str,
    thread: list[str],
    template: MessageTemplate,
    cc: list[str] | None = None,
) -> Outbound:
    """The email a contact receives when ``agent`` answers on ``ticket``, in the words of the
    group's reply ``template`` (MAIL-07, MAIL-08); ``thread`` holds the Message-IDs of the
    ticket's earlier mail, oldest first, for In-Reply-To and References; ``cc``: the people in
    copy (MAIL-12)."""
    text, markup = render(template.body, MessageContext(ticket, agent, answer_html=answer_html))
    prefix = "Re: " if thread else ""
    return Outbound(
        channel="email",
        from_address=ticket.sender,
        to_address=to_address,
        subject=f"{prefix}{ticket.title} {ticket.subject_token}",
        text=text,
        html=markup,
        message_id=new_message_id(ticket),
        in_reply_to=thread[-1] if thread else "",
        references=thread[-MAX_REFERENCES:],
        cc=cc or [],
    )


def compose_notice(
    ticket: Ticket, template: MessageTemplate, *, to_address: str, agent: User | None, answering: str = ""
) -> Outbound:
    """A message the group sends of its own accord (MAIL-08): the acknowledgement of a new ticket,
    answering the Message-ID ``answering`` and marked automatic (Auto-Submitted: auto-replied) so
    that other systems do not answer it; or an escalation or resolution notice."""
    context = MessageContext(ticket, agent)
    text, markup = render(template.body, context)
    return Outbound(
        channel="email",
        from_address=ticket.sender,
        to_address=to_address,
        subject=render_subject(template.subject, context),
        text=text,
        html=markup,
        message_id=new_message_id(ticket),
        in_reply_to=answering,
        references=[answering] if answering else [],
        automatic=template.kind == TemplateKind.AUTORESPONSE,
    )


def agent_link(ticket: Ticket) -> str:
    """The ticket's page for agents, as a full address for mail."""
    return settings.SITE_URL + reverse("ticket", args=[ticket.number])


def compose_agent_notification(
    ticket: Ticket, *, to: User, headline: str, excerpt: str = "", reply_to: str = ""
) -> Outbound:
    """An email telling an agent about a ticket (MAIL-09): ``headline`` says what happened; then
    the ticket's essentials, the latest words of the contact and the link. Answering it answers
    the contact (MAIL-06): the subject carries the ticket's token, and the answer goes to
    ``reply_to``, the agent's secret reply address, which proves it is theirs."""
    contact = ticket.contact.display_name if ticket.contact else _("no contact")
    lines = [
        headline,
        "",
        f"{_('Ticket')}: #{ticket.number} {ticket.title}",
        f"{_('Group')}: {ticket.group.name}",
        f"{_('Contact')}: {contact}",
        f"{_('Status')}: {ticket.status.display_name}",
    ]
    if ticket.category_id is not None:
        lines.append(f"{_('Category')}: {ticket.category}")
    if excerpt.strip():
        lines += ["", excerpt.strip()[:NOTIFICATION_EXCERPT]]
    lines += ["", agent_link(ticket)]
    return Outbound(
        channel="email",
        from_address=ticket.sender,
        to_address=to.email,
        subject=f"{headline} {ticket.subject_token}",
        text="\n".join(lines),
        html="",
        message_id=new_message_id(ticket),
        in_reply_to="",
        references=[],
        reply_to=reply_to,
    )


def compose_agent_email(group: Group, *, to: User, subject: str, text: str) -> Outbound:
    """An email to an agent about their group, not about a ticket (the shift's notices)."""
    return Outbound(
        channel="email",
        from_address=group.sender,
        to_address=to.email,
        subject=subject,
        text=text,
        html="",
        message_id=make_msgid(idstring=f"group{group.pk}", domain=settings.MESSAGE_ID_DOMAIN),
        in_reply_to="",
        references=[],
        automatic=True,
    )


def compose_owner_email(ticket: Ticket, *, owner: User, sender: User, message: str) -> Outbound:
    """ "Email ticket owner" (MAIL-09): a colleague's message about a ticket, with its link."""
    link = agent_link(ticket)
    name = sender.get_full_name() or sender.get_username()
    intro = _("%(name)s wrote about ticket #%(number)s (%(title)s):") % {
        "name": name,
        "number": ticket.number,
        "title": ticket.title,
    }
    text = f"{intro}\n\n{message.strip()}\n\n{link}"
    return Outbound(
        channel="email",
        from_address=ticket.sender,
        to_address=owner.email,
        subject=f"{ticket.title} {ticket.subject_token}",
        text=text,
        html="",
        message_id=new_message_id(ticket),
        in_reply_to="",
        references=[],
    )


def compose_refusal(ticket: Ticket, *, agent: User, subject: str) -> Outbound:
    """MAIL-06: why an agent's emailed answer did not reach the contact."""
    text = _(
        "Your email “%(subject)s” was not sent to the contact of ticket #%(number)s: you are not a member of "
        "the group %(group)s, which the ticket belongs to. Ask one of its managers to add you, or pass your "
        "answer to a member."
    ) % {"subject": subject, "number": ticket.number, "group": ticket.group.name}
    return Outbound(
        channel="email",
        from_address=ticket.sender,
        to_address=agent.email,
        subject=_("Not sent: %(subject)s") % {"subject": subject},
        text=text,
        html="",
        message_id=new_message_id(ticket),
        in_reply_to="",
        references=[],
        automatic=True,
    )
