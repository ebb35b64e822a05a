"""The wording of the mail a contact receives from a group (MAIL-08): the acknowledgement of a new
ticket, the agent's reply, and the escalation and resolution notices.

A template is plain text with tags in braces, such as ``{greeting}`` or ``{ticket_link}``. It is a
safe language with nothing to run: a tag is one of ``TAGS`` or it is reported when the template is
saved. The values are never read as templates themselves, so braces an agent or a contact types
stay as they are. One template gives both parts of the email: the plain text, and HTML where the
tags that stand for whole messages or lists (``{answer}``, ``{thread}``) keep their formatting.
Values that need the conversation are read only when the template uses them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import User
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from switchboard.core.html import html_to_text, sanitise_html
from switchboard.intake.models import TemplateKind
from switchboard.portal.links import file_url, ticket_token, ticket_url
from switchboard.tickets.messaging import ANSWER_END, ANSWER_START
from switchboard.tickets.models import Activity, ActivityKind, AgentProfile, Ticket
from switchboard.tickets.selectors import list_conversation

TAG = re.compile(r"\{\s*([^{}\s]+)\s*\}")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Fragment:
    """A tag's value as plain text and as HTML; a block (a message, a list) is not put in a <p>."""

    text: str
    html: str
    block: bool = False

    @classmethod
    def of_text(cls, text: str) -> Fragment:
        return cls(text, html.escape(text).replace("\n", "<br>"))


@dataclass
class MessageContext:
    """What a template is filled in with: the ticket, the agent who acts (if any) and, for a
    reply, the agent's answer."""

    ticket: Ticket
    agent: User | None
    answer_html: str = ""

    @cached_property
    def conversation(self) -> list[Activity]:
        return list(list_conversation(self.ticket)) if self.ticket.pk else []

    @cached_property
    def link_token(self) -> str:
        return ticket_token(self.ticket)

    def fragment(self, tag: str) -> Fragment:
        return TAGS[tag].value(self) if tag in TAGS else Fragment.of_text(f"{{{tag}}}")


# Languages whose greeting goes without the name: a Polish name would have to be declined
# ("Dzień dobry, Mario"), which cannot be done reliably, so Polish mail opens "Dzień dobry,".
GREETING_WITHOUT_NAME = frozenset({"pl"})


def _greeting(context: MessageContext) -> Fragment:
    """In the language active when the mail is composed: the contact's (intake/messenger.py)."""
    contact = context.ticket.contact
    name = contact.greeting_name if contact else ""
    if not name or translation.get_language() in GREETING_WITHOUT_NAME:
        return Fragment.of_text(_("Hello,"))
    return Fragment.of_text(_("Hello %(name)s,") % {"name": name})


def _agent_name(context: MessageContext) -> str:
    agent = context.agent or context.ticket.owner
    return (agent.get_full_name() or agent.get_username()) if agent else ""


def _sign_off(context: MessageContext) -> Fragment:
    agent = context.agent
    if agent is None:
        return Fragment.of_text("\n".join([_("Kind regards,"), context.ticket.group.name]))
    try:
        profile: AgentProfile | None = agent.agent_profile
    except AgentProfile.DoesNotExist:
        profile = None
    name = _agent_name(context)
    lines = [_("Kind regards,"), f"{name} ({profile.initials})" if profile else name]
    if profile and profile.signature.strip():
        lines.append(profile.signature.strip())
    return Fragment.of_text("\n".join(lines))


def _answer(context: MessageContext) -> Fragment:
    markup = sanitise_html(context.answer_html)
    return Fragment(html_to_text(markup), f"{ANSWER_START}{markup}{ANSWER_END}", block=True)


def _group_signature(context: MessageContext) -> Fragment:
    signature = context.ticket.group.signature.strip()
    return Fragment.of_text(f"-- \n{signature}") if signature else Fragment("", "")


def _ticket_link(context: MessageContext) -> Fragment:
    url = ticket_url(context.ticket)
    return Fragment(url, f'<a href="{html.escape(url)}">{html.escape(url)}</a>')


def _file_list(context: MessageContext) -> Fragment:
    files = [file for message in context.conversation for file in message.attachments.all()]
    if not files:
        return Fragment("", "")
    lines, items = [], []
    for file in files:
        url = file_url(file, token=context.link_token)
        size = filesizeformat(file.size)
        lines.append(f"- {file.filename} ({size}): {url}")
        items.append(f'<li><a href="{html.escape(url)}">{html.escape(file.filename)}</a> ({size})</li>')
    return Fragment("\n".join(lines), "<ul>" + "".join(items) + "</ul>", block=True)


def _message(context: MessageContext, message: Activity) -> Fragment:
    """One message of the conversation: who wrote it and when, and what it says (without the
    earlier mail an email quotes). A quote as mail programs make it, styled by the reader's
    program: no inline style, which the email view's Content-Security-Policy would refuse."""
    ticket = context.ticket
    if message.kind in ActivityKind.answer_kinds():
        author = ticket.group.name
    else:
        author = ticket.contact.display_name if ticket.contact else message.from_address
    when = formats.date_format(timezone.localtime(message.created_at), "DATETIME_FORMAT")
    heading = _("%(author)s on %(when)s:") % {"author": author, "when": when}
    text = message.new_and_quoted_text[0].strip()
    markup = (
        f'<blockquote type="cite"><p>{html.escape(heading)}</p>'
        f"<p>{html.escape(text).replace(chr(10), '<br>')}</p></blockquote>"
    )
    return Fragment(f"{heading}\n{text}", markup, block=True)


def _thread(context: MessageContext) -> Fragment:
    messages = [_message(context, message) for message in reversed(context.conversation)]
    return Fragment(
        "\n\n".join(message.text for message in messages), "".join(message.html for message in messages), block=True
    )


def _last_message(context: MessageContext) -> Fragment:
    return _message(context, context.conversation[-1]) if context.conversation else Fragment("", "")


ALL_KINDS = frozenset(TemplateKind)


@dataclass(frozen=True)
class Tag:
    description: str | Promise
    value: Callable[[MessageContext], Fragment]
    kinds: frozenset[str] = field(default=ALL_KINDS)


TAGS: dict[str, Tag] = {
    "greeting": Tag(gettext_lazy("“Hello Maria,” — or “Hello,” when there is no name"), _greeting),
    "contact_name": Tag(
        gettext_lazy("The contact's name"),
        lambda context: Fragment.of_text(context.ticket.contact.display_name if context.ticket.contact else ""),
    ),
    "agent_name": Tag(
        gettext_lazy("The agent who answers, escalates or closes; in the acknowledgement, the ticket's owner"),
        lambda context: Fragment.of_text(_agent_name(context)),
    ),
    "sign_off": Tag(gettext_lazy("“Kind regards,” with the agent's name, initials and signature"), _sign_off),
    "answer": Tag(gettext_lazy("What the agent wrote"), _answer, frozenset({TemplateKind.REPLY})),
    "group_name": Tag(gettext_lazy("The group's name"), lambda context: Fragment.of_text(context.ticket.group.name)),
    "group_signature": Tag(gettext_lazy("The group's signature under a “-- ” line, if it has one"), _group_signature),
    "ticket_number": Tag(
        gettext_lazy("The ticket's number"), lambda context: Fragment.of_text(str(context.ticket.number))
    ),
    "ticket_title": Tag(gettext_lazy("The ticket's title"), lambda context: Fragment.of_text(context.ticket.title)),
    "ticket_token": Tag(
        gettext_lazy("[Ticket#12]: what keeps answers on the ticket"),
        lambda context: Fragment.of_text(context.ticket.subject_token),
    ),
    "ticket_link": Tag(
        gettext_lazy(
            "A link to the ticket in the customer portal: the contact reads the whole conversation, downloads its "
            "files and, signed in, answers"
        ),
        _ticket_link,
    ),
    "file_list": Tag(gettext_lazy("The files of the conversation, each with a download link"), _file_list),
    "thread_count": Tag(
        gettext_lazy("How many messages the conversation has"),
        lambda context: Fragment.of_text(str(len(context.conversation))),
    ),
    "thread": Tag(gettext_lazy("The whole conversation, newest first"), _thread),
    "last_message": Tag(gettext_lazy("The latest message of the conversation"), _last_message),
}


def tags_for(kind: str) -> dict[str, Tag]:
    return {name: tag for name, tag in TAGS.items() if kind in tag.kinds}


def unknown_tags(template: str, kind: str) -> list[str]:
    """The tags in ``template`` that a template of ``kind`` cannot fill in, each once."""
    usable = tags_for(kind)
    return list(dict.fromkeys(f"{{{name}}}" for name in TAG.findall(template) if name not in usable))


def render(template: str, context: MessageContext) -> tuple[str, str]:
    """The plain text and the HTML of ``template`` filled in. A blank line starts a paragraph;
    paragraphs whose tags are all empty (no group signature, no files) are left out."""
    texts: list[str] = []
    markups: list[str] = []
    for paragraph in PARAGRAPH_BREAK.split(template.strip()):
        text_parts: list[str] = []
        html_parts: list[str] = []
        block = False
        for index, piece in enumerate(TAG.split(paragraph)):
            if index % 2:  # a tag's name
                fragment = context.fragment(piece)
                block = block or fragment.block
            else:
                fragment = Fragment.of_text(piece)
            text_parts.append(fragment.text)
            html_parts.append(fragment.html)
        text = "".join(text_parts).strip()
        if text:
            texts.append(text)
            markup = "".join(html_parts).strip()
            markups.append(f"<div>{markup}</div>" if block else f"<p>{markup}</p>")
    return "\n\n".join(texts), "\n".join(markups)


def render_subject(template: str, context: MessageContext) -> str:
    """One line, always with the ticket's token so that answers find the ticket."""
    subject = " ".join(render(template, context)[0].split())
    token = context.ticket.subject_token
    return subject if token in subject else f"{subject} {token}".strip()


def default_wording(kind: str) -> tuple[str, str]:
    """The built-in subject and text of ``kind``, in the active language."""
    signature = "{sign_off}\n\n{group_signature}"
    if kind == TemplateKind.AUTORESPONSE:
        return _("We received your message: {ticket_title}"), _(
            "{greeting}\n\nThank you for your message. It is ticket {ticket_token} with our {group_name} team, and "
            "we will answer as soon as we can. When you write to us about it again, please keep {ticket_token} "
            "in the subject."
        ) + "\n\n{group_signature}"
    if kind == TemplateKind.REPLY:
        return "", "{greeting}\n\n{answer}\n\n" + signature
    if kind == TemplateKind.ESCALATION:
        return _("Your message has been passed on: {ticket_title}"), _(
            "{greeting}\n\nWe have passed your message on to a colleague who specialises in it. Please allow one "
            "or two working days for an answer; you do not need to write again."
        ) + "\n\n" + signature
    return _("Resolved: {ticket_title}"), _(
        "{greeting}\n\nWe consider your request resolved and have closed ticket {ticket_token}. The whole "
        "conversation stays in our customer portal: {ticket_link}\n\nIf anything is still missing, simply answer "
        "this email or write there."
    ) + "\n\n" + signature
