"""Pages of callbacks (CC-03) and a group's call list (CC-06): set, mark done or cancel a
ticket's callback; the call list and its "Next call"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import TicketError
from switchboard.tickets.callback_forms import CallbackForm
from switchboard.tickets.callback_records import find_pending_callback
from switchboard.tickets.callback_selectors import find_next_call, list_call_list
from switchboard.tickets.callbacks import do_cancel_callback, do_complete_callback, do_set_callback
from switchboard.tickets.forms import TicketHeaderForm
from switchboard.tickets.views import _render_ticket, _ticket_for, group_for

CALLS_PER_PAGE = 100


@login_required
@require_POST
def set_callback(request: AgentRequest, number: int) -> HttpResponse:
    """The ticket page's Callback form. Refused (not in the past, a closed ticket…) it is shown
    again, open, with what the agent chose and why."""
    ticket = _ticket_for(request, number)
    form = CallbackForm(request.POST)
    if form.is_valid():
        try:
            callback = do_set_callback(ticket, due_at=form.due_time, private=form.private, acting_user=request.user)
        except (TicketError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            due = formats.date_format(timezone.localtime(callback.due_at), "SHORT_DATETIME_FORMAT")
            messages.success(request, _("Callback set for %(time)s.") % {"time": due})
            return redirect("ticket", number=number)
    header = TicketHeaderForm(ticket=ticket)
    return _render_ticket(request, ticket, header, status=400, extra={"callback_form": form})


def _finish(request: AgentRequest, number: int, *, done: bool) -> HttpResponse:
    ticket = _ticket_for(request, number)
    callback = find_pending_callback(ticket)
    if callback is None:
        raise Http404
    try:
        if done:
            do_complete_callback(callback, acting_user=request.user)
        else:
            do_cancel_callback(callback, acting_user=request.user)
    except TicketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Callback done.") if done else _("Callback cancelled."))
    return redirect("ticket", number=number)


@login_required
@require_POST
def complete_callback(request: AgentRequest, number: int) -> HttpResponse:
    return _finish(request, number, done=True)


@login_required
@require_POST
def cancel_callback(request: AgentRequest, number: int) -> HttpResponse:
    return _finish(request, number, done=False)


@login_required
def call_list(request: AgentRequest, slug: str) -> HttpResponse:
    """A group's call list (CC-06): callbacks and next actions by due time, the overdue first."""
    group = group_for(request, slug)
    page = Paginator(list_call_list(group, user=request.user), CALLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tickets/call_list.html", {"group": group, "page": page, "now": timezone.now()})


@login_required
@require_POST
def next_call(request: AgentRequest, slug: str) -> HttpResponse:
    """ "Next call": open the first due ticket the agent may take. The ticket page dials the
    contact (click-to-call) where the group has the phone channel (``?dial=1``)."""
    group = group_for(request, slug)
    ticket = find_next_call(group, user=request.user)
    if ticket is None:
        messages.info(request, _("No call is due now."))
        return redirect("call_list", slug=group.slug)
    return redirect(reverse("ticket", args=[ticket.number]) + "?dial=1")
