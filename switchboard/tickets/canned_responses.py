"""A group's canned responses (MAIL-05), edited by its managers; with the solutions library
(AGENT-04, solutions.py) an agent also edits their own draft, and only managers publish."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from switchboard.core.html import html_to_text, sanitise_html
from switchboard.tickets.actions import TicketError
from switchboard.tickets.models import (
    CannedResponse,
    Category,
    Group,
    Status,
)
from switchboard.tickets.permissions import can_manage
from switchboard.tickets.solutions import can_edit_solution, ensure_can_edit


@transaction.atomic
def do_save_canned_response(  # noqa: PLR0913
    group: Group,
    *,
    title: str,
    body_html: str,
    acting_user: User,
    canned: CannedResponse | None = None,
    set_status: Status | None = None,
    take_ticket: bool = False,
    set_next_action: str = "",
    category: Category | None = None,
    published: bool | None = None,
) -> CannedResponse:
    """Add (or, given ``canned``, change) one of a group's canned responses: managers add and
    publish them, the author of a draft solution edits it (AGENT-04). Like a macro, it may also
    set the ticket's status, owner (the sender) and next action on Send; ``category``: the
    group's category it answers, offered first on that category's tickets; ``published``:
    offered in the composer (None: as it was; a new one is)."""
    if canned is None:
        if not can_manage(acting_user, group):
            raise PermissionDenied(_("Only the group's managers edit its canned responses."))
        canned = CannedResponse(group=group, author=acting_user)
    else:
        ensure_can_edit(acting_user, canned, publish=bool(published) and not canned.published)
    published = canned.published if published is None else published
    if canned.group_id != group.pk or (set_status is not None and set_status.group_id != group.pk):
        raise TicketError(_("That canned response belongs to another group."))
    if category is not None and category.group_id != group.pk:
        raise TicketError(_("That category belongs to another group."))
    if set_status is not None and set_status.is_closed:
        raise TicketError(_("Use Close to close a ticket."))
    canned.set_status, canned.take_ticket, canned.set_next_action = set_status, take_ticket, set_next_action.strip()
    canned.title, canned.body_html = title.strip(), sanitise_html(body_html)
    canned.category, canned.published = category, published
    if not canned.title or not html_to_text(canned.body_html):
        raise TicketError(_("A canned response needs a title and a text."))
    try:
        with transaction.atomic():
            canned.save()
    except IntegrityError:
        raise TicketError(_("The group already has a canned response with that title.")) from None
    return canned


@transaction.atomic
def do_delete_canned_response(canned: CannedResponse, *, acting_user: User) -> None:
    """Managers delete any; an agent their own draft solution."""
    if not can_edit_solution(acting_user, canned):
        raise PermissionDenied(_("Only the group's managers edit its canned responses."))
    canned.delete()
