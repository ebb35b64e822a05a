"""What anyone with a link from our mail sees: the conversation of one ticket and its files,
never notes, calls or history, in the customer portal's look (SELF-05: the resolution notice
leads here). The contact of the ticket, signed in to the portal, goes on to the ticket's page
there, where they can answer; anyone else is offered the sign-in for that."""

from __future__ import annotations

from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from switchboard.portal.links import LinkExpiredError, LinkRevokedError, ticket_from
from switchboard.portal.sessions import portal_sign_in_url, signed_in
from switchboard.tickets.downloads import file_response
from switchboard.tickets.models import Attachment, Ticket
from switchboard.tickets.selectors import CONVERSATION_KINDS, list_conversation


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"  # the token stays out of other sites' logs
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def ticket(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ticket = ticket_from(token)
    except signing.BadSignature:
        raise Http404 from None
    except LinkRevokedError:
        return _private(render(request, "portal/revoked.html", status=410))
    except LinkExpiredError as expired:
        ticket = get_object_or_404(Ticket.objects.select_related("group"), pk=expired.ticket_id)
        return _private(render(request, "portal/expired.html", {"ticket": ticket}, status=410))
    page = reverse("portal_contact_ticket", args=[ticket.number])
    current = signed_in(request)
    if current is not None and current.contact.pk == ticket.contact_id:
        return redirect(page)
    context = {
        "ticket": ticket,
        "messages_": list_conversation(ticket),
        "token": token,
        "sign_in_url": portal_sign_in_url(page) if ticket.contact_id else "",
    }
    return _private(render(request, "portal/ticket.html", context))


@require_GET
def ticket_file(request: HttpRequest, token: str, attachment_id: int) -> FileResponse:
    try:
        ticket = ticket_from(token)
    except (signing.BadSignature, LinkRevokedError, LinkExpiredError):
        raise Http404 from None
    file = get_object_or_404(
        Attachment, pk=attachment_id, activity__ticket=ticket, activity__kind__in=CONVERSATION_KINDS
    )
    return file_response(file.file, filename=file.filename)
