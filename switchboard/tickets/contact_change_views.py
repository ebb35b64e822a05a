"""The ticket page's contact card (CC-01): change the ticket's contact to one picked from the
suggestions, or to a contact created in place."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import TicketError
from switchboard.tickets.contact_change import do_change_ticket_contact
from switchboard.tickets.forms import NewContactForm, TicketHeaderForm
from switchboard.tickets.views import _render_ticket, _ticket_for


@login_required
@require_POST
def change_ticket_contact(request: AgentRequest, number: int) -> HttpResponse:
    """ "Change contact": the contact picked from the suggestions becomes the ticket's."""
    ticket = _ticket_for(request, number)
    contact_id = request.POST.get("contact", "")
    contact = Contact.objects.filter(pk=int(contact_id)).first() if contact_id.isdigit() else None
    version = request.POST.get("version", "")
    if contact is None:
        messages.error(request, _("Pick a contact from the suggestions."))
        return redirect("ticket", number=number)
    try:
        do_change_ticket_contact(
            ticket,
            contact,
            acting_user=request.user,
            expected_version=int(version) if version.isdigit() else None,
        )
    except (TicketError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is now this ticket’s contact.") % {"name": contact.display_name})
    return redirect("ticket", number=number)


@login_required
@require_POST
def create_ticket_contact(request: AgentRequest, number: int) -> HttpResponse:
    """ "Create a new contact": made, and made the ticket's contact, in one go. A refused form
    shows the ticket page again with the form open and its errors."""
    ticket = _ticket_for(request, number)
    form = NewContactForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        company = data["kind"] == Contact.Kind.COMPANY
        try:
            with transaction.atomic():
                contact = do_create_contact(
                    kind=Contact.Kind(data["kind"]),
                    first_name="" if company else data["first_name"],
                    last_name="" if company else data["last_name"],
                    company_name=data["company_name"] if company else "",
                    emails=[data["email"]] if data["email"] else [],
                    phones=[data["phone"]] if data["phone"] else [],
                    acting_user=request.user,
                )
                do_change_ticket_contact(ticket, contact, acting_user=request.user)
        except (TicketError, PermissionDenied) as error:
            form.add_error(None, str(error))
        except IntegrityError:  # the address or number was given to someone else a moment ago
            form.add_error(None, _("That email address or phone number belongs to another contact now."))
        else:
            messages.success(request, _("%(name)s is now this ticket’s contact.") % {"name": contact.display_name})
            return redirect("ticket", number=number)
    ticket = _ticket_for(request, number)
    return _render_ticket(request, ticket, TicketHeaderForm(ticket=ticket), status=400, extra={"new_contact": form})
