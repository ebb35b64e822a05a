"""What a contact sees through a link in our mail: the conversation of one ticket and its files,
never notes, calls or history (SELF-03 grows from here)."""

from __future__ import annotations

from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from switchboard.portal.links import LinkExpiredError, ticket_id_from
from switchboard.tickets.downloads import file_response
from switchboard.tickets.models import Attachment, Ticket
from switchboard.tickets.selectors import CONVERSATION_KINDS, list_conversation


def _ticket_id(token: str) -> int:
    try:
        return ticket_id_from(token)
    except signing.BadSignature:
        raise Http404 from None


@require_GET
def ticket(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ticket_id = _ticket_id(token)
    except LinkExpiredError as expired:
        ticket = get_object_or_404(Ticket.objects.select_related("group"), pk=expired.ticket_id)
        return render(request, "portal/expired.html", {"ticket": ticket}, status=410)
    ticket = get_object_or_404(Ticket.objects.select_related("group", "status"), pk=ticket_id)
    context = {"ticket": ticket, "messages_": list_conversation(ticket), "token": token}
    response = render(request, "portal/ticket.html", context)
    response["Referrer-Policy"] = "no-referrer"  # the token stays out of other sites' logs
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def ticket_file(request: HttpRequest, token: str, attachment_id: int) -> FileResponse:
    try:
        ticket_id = _ticket_id(token)
    except LinkExpiredError:
        raise Http404 from None
    file = get_object_or_404(
        Attachment, pk=attachment_id, activity__ticket_id=ticket_id, activity__kind__in=CONVERSATION_KINDS
    )
    return file_response(file.file, filename=file.filename)
