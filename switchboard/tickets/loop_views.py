"""The reply loop on the ticket page, swapped in place by htmx (no full page load): open the next
ticket that needs a reply ("n"), let go of it ("u"), retitle in place, Send (then the next
ticket, or stay) and Undo while the outbox still holds the reply."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import TicketError
from switchboard.tickets.assignment import do_open_ticket
from switchboard.tickets.forms import ReplyForm, TicketHeaderForm
from switchboard.tickets.models import Activity, ActivityKind, Ticket
from switchboard.tickets.permissions import visible_ticket_q, visible_tickets
from switchboard.tickets.reply_loop import do_release_ticket, do_retitle_ticket, do_send_reply, do_undo_reply
from switchboard.tickets.selectors import find_next_ticket_needing_reply, list_composer_solutions
from switchboard.tickets.views import _render_ticket, _ticket_for


def _show(request: AgentRequest, ticket: Ticket, **extra: object) -> HttpResponse:
    """The ticket page, as a swap in place that puts its address in the browser's history. The
    page has been opened already (the loop's request did it), so it does not say so again.
    A plain form (a Next button elsewhere, no script) is sent on to the ticket's own address."""
    if not request.headers.get("HX-Request"):
        return redirect("ticket", number=ticket.number)
    ticket = _ticket_for(request, ticket.number)
    response = _render_ticket(request, ticket, TicketHeaderForm(ticket=ticket), extra={"opened": True, **extra})
    response["HX-Push-Url"] = reverse("ticket", args=[ticket.number])
    return response


def _open_next(request: AgentRequest, after: Ticket | None, **extra: object) -> HttpResponse | None:
    """Open (and, where the group says so, take) the next ticket that needs a reply."""
    following = find_next_ticket_needing_reply(request.user, after=after)
    if following is None:
        return None
    try:
        do_open_ticket(following, acting_user=request.user)
    except PermissionDenied:
        return None
    return _show(request, following, focus_title=True, **extra)


@login_required
@require_POST
def next_ticket(request: AgentRequest) -> HttpResponse:
    """ "n" or Next: the oldest ticket that needs a reply, after the one the agent is on."""
    after = request.POST.get("after", "")
    visible = visible_tickets(request.user)
    current = visible.filter(number=int(after)).first() if after.isdigit() else None
    if (response := _open_next(request, current)) is not None:
        return response
    messages.info(request, _("No other ticket needs a reply now."))
    if current is not None:
        return _show(request, current)
    response = redirect("home")
    response["HX-Redirect"] = reverse("home")
    return response


@login_required
@require_POST
def release_ticket(request: AgentRequest, number: int) -> HttpResponse:
    """ "u": let go of a ticket taken by opening it."""
    ticket = _ticket_for(request, number)
    try:
        do_release_ticket(ticket, acting_user=request.user)
    except TicketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Ticket #%(number)s is nobody's now.") % {"number": number})
    return _show(request, ticket)


@login_required
@require_POST
def retitle_ticket(request: AgentRequest, number: int) -> JsonResponse:
    """The title typed in place: Enter saves it, and nothing else on the page changes."""
    ticket = _ticket_for(request, number)
    version = request.POST.get("version", "")
    try:
        ticket = do_retitle_ticket(
            ticket,
            title=request.POST.get("title", ""),
            expected_version=int(version) if version.isdigit() else 0,
            acting_user=request.user,
        )
    except (TicketError, PermissionDenied) as error:
        return JsonResponse({"error": str(error)}, status=409)
    return JsonResponse({"title": ticket.title, "version": ticket.version})


@login_required
@require_POST
def send_reply(request: AgentRequest, number: int) -> HttpResponse:
    """Send from the page: the reply waits REPLY_UNDO_SECONDS in the outbox (Undo); then the next
    ticket that needs a reply ("Send and next", the default) or this one again ("then=stay")."""
    ticket = _ticket_for(request, number)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            used = [int(pk) for pk in request.POST.getlist("canned") if pk.isdigit()]
            reply = do_send_reply(
                ticket,
                **form.cleaned_data,
                canned=list(list_composer_solutions(ticket).filter(pk__in=used).select_related("set_status")),
                hold=dt.timedelta(seconds=settings.REPLY_UNDO_SECONDS),
                acting_user=request.user,
            )
        except TicketError as error:
            form.add_error(None, str(error))
        else:
            sent = {"sent": reply, "sent_ticket": ticket, "undo_seconds": settings.REPLY_UNDO_SECONDS}
            if request.POST.get("then") != "stay" and (response := _open_next(request, ticket, **sent)):
                return response
            return _show(request, ticket, **sent)
    response = _render_ticket(request, ticket, TicketHeaderForm(ticket=ticket), reply_form=form, extra={"opened": True})
    response["HX-Push-Url"] = reverse("ticket", args=[ticket.number])
    return response


@login_required
@require_POST
def undo_reply(request: AgentRequest, activity_id: int) -> HttpResponse:
    """Undo: the reply is not sent, and its ticket is shown with the reply back in the editor."""
    reply = get_object_or_404(
        Activity.objects.select_related("ticket").filter(visible_ticket_q(request.user, "ticket__")),
        pk=activity_id,
        kind=ActivityKind.EMAIL_OUT,
    )
    try:
        do_undo_reply(reply, acting_user=request.user)
    except (TicketError, PermissionDenied) as error:
        messages.error(request, str(error))
        return _show(request, reply.ticket)
    messages.success(request, _("Not sent: your reply is back in the editor."))
    return _show(request, reply.ticket, restore_draft=True)
