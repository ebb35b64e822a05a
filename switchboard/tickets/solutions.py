"""The solutions library (AGENT-04): a group's canned responses, by category, and answers saved
from sent replies.

Who does what. Any agent of the group may save one of the agents' sent replies as a solution: it
becomes a draft, prefilled with the answer (without the greeting and sign-off the outbound
pipeline added) in the ticket's category, with the contact's name, addresses and numbers turned
into [placeholders]. Its author may edit or delete their draft; the group's managers (and
administrators) edit every solution and alone publish one, or take it back to a draft. Only
published solutions are offered in the reply composer; each Send counts the ones the reply used
("most used", "last used")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.core.html import html_to_text, sanitise_html
from switchboard.tickets.actions import TicketError
from switchboard.tickets.messaging import ANSWER_END, ANSWER_START
from switchboard.tickets.models import Activity, ActivityKind, CannedResponse
from switchboard.tickets.permissions import can_manage, ensure_can_work_in

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_NUMBER = re.compile(r"\+?\d[\d ().-]{5,}\d")
PHONE_DIGITS = 9  # a number is the contact's when its last nine digits are one of theirs


def fold(text: str) -> str:
    """Lower case without accents, as the composer's search compares: "Żółć" → "zolc"
    (Polish "ł" has no accent to take off, so it is mapped by hand)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ł", "l"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def answer_of(reply: Activity) -> tuple[str, bool]:
    """The agent's own words of a sent reply, and whether they could be told apart from the
    greeting and sign-off (a reply template without {answer}: not)."""
    markup = reply.body_html
    start, end = markup.find(ANSWER_START), markup.rfind(ANSWER_END)
    if start >= 0 and end > start:
        return sanitise_html(markup[start + len(ANSWER_START) : end]), True
    return sanitise_html(markup) or sanitise_html(reply.body.replace("\n", "<br>")), False


def without_personal_data(markup: str, contact: Contact | None) -> tuple[str, list[str]]:
    """``markup`` with the contact's names, every email address and the contact's phone numbers
    replaced by [placeholders] (which block Send until an agent fills them in); and what was
    replaced, for the editor to say."""
    found: list[str] = []

    def replace(pattern: re.Pattern[str], placeholder: str, text: str, keep: object = None) -> str:
        def swap(match: re.Match[str]) -> str:
            if callable(keep) and keep(match.group(0)):
                return match.group(0)
            found.append(match.group(0))
            return placeholder

        return pattern.sub(swap, text)

    markup = replace(_EMAIL, _("[email address]"), markup)
    if contact is None:
        return markup, found
    phones = {
        re.sub(r"\D", "", point.value)[-PHONE_DIGITS:]
        for point in contact.points.all()
        if point.kind == ContactPoint.Kind.PHONE
    }
    markup = replace(
        _NUMBER,
        _("[phone number]"),
        markup,
        keep=lambda number: re.sub(r"\D", "", number)[-PHONE_DIGITS:] not in phones,
    )
    names = {name for name in (contact.display_name, contact.first_name, contact.last_name) if len(name) > 1}
    for name in sorted(names, key=len, reverse=True):
        markup = replace(re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE), _("[name]"), markup)
    return markup, found


def _free_title(reply: Activity) -> str:
    """The ticket's title, numbered if the group already has a solution of that name."""
    base = reply.ticket.title.strip()[:190] or _("Solution")
    taken = set(
        CannedResponse.objects.filter(group_id=reply.ticket.group_id, title__startswith=base).values_list(
            "title", flat=True
        )
    )
    title, number = base, 2
    while title in taken:
        title, number = f"{base} ({number})", number + 1
    return title


@transaction.atomic
def do_save_reply_as_solution(reply: Activity, *, acting_user: User) -> tuple[CannedResponse, list[str]]:
    """ "Save this answer as a solution": a draft of the group's, in the ticket's category,
    prefilled with what the agent wrote and none of the contact's personal data; returned with
    what was taken out (or a warning that the greeting and sign-off may still be in it)."""
    ticket = reply.ticket
    ensure_can_work_in(acting_user, ticket.group)
    if reply.kind != ActivityKind.EMAIL_OUT or reply.actor_id is None:
        raise TicketError(_("Only an agent's sent reply can be saved as a solution."))
    answer, separated = answer_of(reply)
    contact = Contact.objects.prefetch_related("points").filter(pk=ticket.contact_id or 0).first()
    markup, found = without_personal_data(answer, contact)
    if not html_to_text(markup):
        raise TicketError(_("This reply has no text to save."))
    solution = CannedResponse.objects.create(
        group_id=ticket.group_id,
        category_id=ticket.category_id,
        title=_free_title(reply),
        body_html=sanitise_html(markup),
        published=False,
        author=acting_user,
        saved_from=reply,
    )
    notes = [_("Check the greeting and sign-off: they may still be in the text.")] if not separated else []
    return solution, notes + found


def can_edit_solution(user: User, canned: CannedResponse) -> bool:
    """Managers edit every solution; an agent their own draft."""
    if can_manage(user, canned.group):
        return True
    return not canned.published and canned.author_id == user.pk and user.is_active


def ensure_can_edit(user: User, canned: CannedResponse, *, publish: bool) -> None:
    if not can_edit_solution(user, canned):
        raise PermissionDenied(_("Only the group's managers, or the author of a draft, edit it."))
    if publish and not can_manage(user, canned.group):
        raise PermissionDenied(_("Only the group's managers publish solutions."))


def record_solutions_used(canned: Sequence[CannedResponse]) -> None:
    """A reply that used these was sent: "most used" and "last used" in the composer."""
    if canned:
        CannedResponse.objects.filter(pk__in=[used.pk for used in canned]).update(
            use_count=F("use_count") + 1, last_used_at=timezone.now()
        )
