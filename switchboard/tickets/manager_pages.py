"""What a group's settings pages for its managers share (statuses, categories, the form): the
group, refused to anyone who does not manage it, and the POST buttons on one row of a page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import Promise
from django.views.decorators.http import require_POST

from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import TicketError
from switchboard.tickets.models import Group
from switchboard.tickets.permissions import can_manage
from switchboard.tickets.views import group_for

Row = TypeVar("Row", bound=Model)
StrOrPromise = str | Promise


def managed_group(request: AgentRequest, slug: str, *, refusal: StrOrPromise) -> Group:
    """The group of ``slug`` if the user manages it; ``refusal`` says why not otherwise."""
    group = group_for(request, slug)
    if not can_manage(request.user, group):
        raise PermissionDenied(refusal)
    return group


def row_action(
    run: Callable[[AgentRequest, Row], str],
    *,
    rows: Callable[[Group], QuerySet[Row]],
    name_of: Callable[[Row], str],
    page: str,
    refusal: StrOrPromise,
) -> Callable[..., HttpResponse]:
    """A POST on one row of the page ``page`` (a URL name taking the group's slug): run the
    action, say how it went (an error begins with the row's name), back to the page."""

    @login_required
    @require_POST
    def view(request: AgentRequest, slug: str, **row_id: Any) -> HttpResponse:  # noqa: ANN401 - the URL's one id
        group = managed_group(request, slug, refusal=refusal)
        row = get_object_or_404(rows(group), pk=next(iter(row_id.values())))
        try:
            done = run(request, row)
        except TicketError as error:
            messages.error(request, f"{name_of(row)}: {error}")
        else:
            if done:
                messages.success(request, done)
        return redirect(page, slug=group.slug)

    view.__doc__ = run.__doc__
    return view
