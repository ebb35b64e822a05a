"""The customer portal of a signed-in contact (SELF-03): all their own tickets in every group,
each one's conversation (never notes, calls or history) and files, an answer with files, and a
new ticket. Anyone else's ticket or file is not found. Answers and new requests go through the
intake pipeline as the "web" channel, from the address the contact signed in with."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from switchboard.intake.models import RawMessage
from switchboard.portal.forms import AnswerForm, NewTicketForm
from switchboard.portal.sessions import PortalRequest, contact_required
from switchboard.tickets.downloads import file_response
from switchboard.tickets.models import Attachment, Group, Ticket
from switchboard.tickets.selectors import (
    CONVERSATION_KINDS,
    find_ticket_of_contact,
    follow_merges,
    list_conversation,
    list_tickets_of_contact,
)
from switchboard.web.channel import WebMessage, receive_web_message


def _own_ticket(request: PortalRequest, number: int) -> Ticket:
    ticket = find_ticket_of_contact(request.contact, number=number)
    if ticket is None:
        raise Http404
    return ticket


def _sent(request: PortalRequest, raw: RawMessage) -> HttpResponse:
    """After the pipeline: to the ticket the message went to, or back with what went wrong."""
    if raw.state != RawMessage.State.APPLIED or raw.ticket is None:
        messages.error(request, _("Your message could not be received. Please write to us by email."))
        return redirect("portal_home")
    messages.success(request, _("Thank you: your message is on ticket #%(number)s.") % {"number": raw.ticket.number})
    return redirect("portal_contact_ticket", raw.ticket.number)


@require_GET
@contact_required
def home(request: PortalRequest) -> HttpResponse:
    tickets = list(list_tickets_of_contact(request.contact))
    return render(request, "portal/home.html", {"tickets": tickets})


@require_http_methods(["GET", "POST"])
@contact_required
def ticket_page(request: PortalRequest, number: int) -> HttpResponse:
    ticket = _own_ticket(request, number)
    if ticket.merged_into_id is not None:
        survivor = follow_merges(ticket)
        if survivor is not None and survivor.contact_id == request.contact.pk:
            return redirect("portal_contact_ticket", survivor.number)
        return render(request, "portal/merged.html", {"ticket": ticket})
    form = AnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        message = WebMessage(
            email=request.contact_address,
            name=request.contact.display_name,
            text=form.cleaned_data["text"].strip(),
            files=form.cleaned_data["attachments"],
            ticket_id=ticket.pk,  # proven: the signed-in contact's own ticket
        )
        return _sent(request, receive_web_message(ticket.group, message))
    context = {"ticket": ticket, "messages_": list_conversation(ticket), "form": form}
    return render(request, "portal/contact_ticket.html", context, status=400 if form.errors else 200)


@require_GET
@contact_required
def ticket_file(request: PortalRequest, number: int, attachment_id: int) -> FileResponse:
    ticket = _own_ticket(request, number)
    file = get_object_or_404(
        Attachment, pk=attachment_id, activity__ticket=ticket, activity__kind__in=CONVERSATION_KINDS
    )
    return file_response(file.file, filename=file.filename)


@require_http_methods(["GET", "POST"])
@contact_required
def new_ticket(request: PortalRequest) -> HttpResponse:
    groups = list(Group.objects.filter(website=True).prefetch_related("categories").order_by("name"))
    form = NewTicketForm(request.POST or None, request.FILES or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        group, category = form.chosen()
        message = WebMessage(
            email=request.contact_address,
            name=request.contact.display_name,
            subject=form.cleaned_data["subject"].strip(),
            text=form.cleaned_data["text"].strip(),
            files=form.cleaned_data["attachments"],
            category_id=category.pk if category else None,
        )
        return _sent(request, receive_web_message(group, message))
    return render(request, "portal/new_ticket.html", {"form": form}, status=400 if form.errors else 200)
