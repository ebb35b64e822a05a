"""What agents do from a ticket by phone (PHONE-05): send a text message, call the contact."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.core.http import AgentRequest
from switchboard.phone.click_to_call import CallError, do_call_contact
from switchboard.phone.sms import SmsError, do_send_sms_to_contact
from switchboard.tickets.models import Ticket
from switchboard.tickets.selectors import get_ticket_for


def _ticket_for(request: AgentRequest, number: int) -> Ticket:
    try:
        return get_ticket_for(request.user, number=number)
    except Ticket.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def send_sms(request: AgentRequest, number: int) -> HttpResponse:
    ticket = _ticket_for(request, number)
    try:
        do_send_sms_to_contact(
            ticket,
            to_number=request.POST.get("to_number", ""),
            text=request.POST.get("text", ""),
            acting_user=request.user,
        )
    except (SmsError, PermissionDenied) as error:
        messages.error(request, _("SMS not sent: %(reason)s") % {"reason": error})
        return redirect(reverse("ticket", args=[number]) + "#composer")
    messages.success(request, _("SMS queued for sending."))
    return redirect("ticket", number=number)


@login_required
@require_POST
def call_contact(request: AgentRequest, number: int) -> HttpResponse:
    ticket = _ticket_for(request, number)
    try:
        do_call_contact(ticket, to_number=request.POST.get("to_number", ""), acting_user=request.user)
    except (CallError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your phone is ringing: answer it to be connected to the contact."))
    return redirect("ticket", number=number)
