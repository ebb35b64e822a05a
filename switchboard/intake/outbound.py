"""The outbound pipeline's first step: what a message to a contact says and which headers thread it.

It writes nothing. ``compose_reply`` is what both the "Email view" preview and Send use, so the
preview is exactly what the contact receives (MAIL-05): the greeting, the agent's answer, and the
sign-off with the agent's name, initials and signatures (MAIL-07, AGENT-06).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from email.utils import make_msgid

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from switchboard.core.html import html_to_text, sanitise_html
from switchboard.tickets.models import AgentProfile, Ticket

# "[Enter dates]": square brackets around text that starts with a letter. Ticket tokens such as
# "[Ticket#12]" and references such as "[1]" are not placeholders.
PLACEHOLDER = re.compile(r"\[[^\W\d_][^\[\]#\n]{0,79}\]")
# The same rule for the browser's RegExp (with the "u" flag), which highlights them as one types.
PLACEHOLDER_JS = r"\[\p{L}[^\[\]#\n]{0,79}\]"
MAX_REFERENCES = 20


def find_placeholders(text: str) -> list[str]:
    """The placeholders still in ``text``, each once, in order."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


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


def new_message_id(ticket: Ticket) -> str:
    """A Message-ID in our own domain, so that answers thread back and our mail is known as ours."""
    return make_msgid(idstring=f"ticket{ticket.number}", domain=settings.MESSAGE_ID_DOMAIN)


def _greeting(ticket: Ticket) -> str:
    """ "Hello Maria," — or "Hello," when the ticket's contact has no name to use."""
    contact_name = ticket.contact.greeting_name if ticket.contact else ""
    return _("Hello %(name)s,") % {"name": contact_name} if contact_name else _("Hello,")


def compose_reply(  # noqa: PLR0913
    ticket: Ticket,
    *,
    agent: User,
    answer_html: str,
    to_address: str,
    thread: list[str],
    cc: list[str] | None = None,
) -> Outbound:
    """The email a contact receives when ``agent`` answers on ``ticket``; ``thread`` holds the
    Message-IDs of the ticket's earlier mail, oldest first, for In-Reply-To and References;
    ``cc``: the people in copy (MAIL-12)."""
    answer_html = sanitise_html(answer_html)
    greeting = _greeting(ticket)
    try:
        profile: AgentProfile | None = agent.agent_profile
    except AgentProfile.DoesNotExist:
        profile = None
    name = agent.get_full_name() or agent.get_username()
    sign_off = [_("Kind regards,"), f"{name} ({profile.initials})" if profile else name]
    if profile and profile.signature.strip():
        sign_off.append(profile.signature.strip())
    text_parts = [greeting, html_to_text(answer_html), "\n".join(sign_off)]
    html_parts = [
        f"<p>{html.escape(greeting)}</p>",
        answer_html,
        "<p>" + "<br>".join(html.escape(line).replace("\n", "<br>") for line in sign_off) + "</p>",
    ]
    if group_signature := ticket.group.signature.strip():
        text_parts.append(f"-- \n{group_signature}")
        html_parts.append("<p>-- <br>" + html.escape(group_signature).replace("\n", "<br>") + "</p>")
    prefix = "Re: " if thread else ""
    return Outbound(
        channel="email",
        from_address=ticket.sender,
        to_address=to_address,
        subject=f"{prefix}{ticket.title} {ticket.subject_token}",
        text="\n\n".join(text_parts),
        html="\n".join(html_parts),
        message_id=new_message_id(ticket),
        in_reply_to=thread[-1] if thread else "",
        references=thread[-MAX_REFERENCES:],
        cc=cc or [],
    )


def compose_owner_email(ticket: Ticket, *, owner: User, sender: User, message: str) -> Outbound:
    """ "Email ticket owner" (MAIL-09): a colleague's message about a ticket, with its link."""
    link = f"{settings.SITE_URL}/tickets/{ticket.number}/"
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


def compose_autoresponse(ticket: Ticket, *, to_address: str, answering: str) -> Outbound:
    """The acknowledgement of a new ticket a person receives when the group sends one; marked
    automatic (Auto-Submitted: auto-replied) so that other systems do not answer it."""
    greeting = _greeting(ticket)
    body = _(
        "Thank you for your message. It is ticket %(token)s with our %(group)s team, and we will answer as "
        "soon as we can. When you write to us about it again, please keep %(token)s in the subject."
    ) % {"token": ticket.subject_token, "group": ticket.group.name}
    text_parts = [greeting, body]
    if group_signature := ticket.group.signature.strip():
        text_parts.append(f"-- \n{group_signature}")
    return Outbound(
        channel="email",
        from_address=ticket.sender,
        to_address=to_address,
        subject=_("We received your message: %(title)s %(token)s")
        % {"title": ticket.title, "token": ticket.subject_token},
        text="\n\n".join(text_parts),
        html="",
        message_id=new_message_id(ticket),
        in_reply_to=answering,
        references=[answering] if answering else [],
        automatic=True,
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
