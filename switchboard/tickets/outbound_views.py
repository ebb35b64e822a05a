"""Create tickets for the selected contacts (CC-06): the form is ``contacts/_create_tickets.html``,
whose contacts are the check boxes ``name="contact" form="create-tickets"`` of the page's list."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from switchboard.contacts.models import Contact
from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import TicketError
from switchboard.tickets.forms import validate_one_line
from switchboard.tickets.models import Group
from switchboard.tickets.outbound import do_create_outbound_tickets
from switchboard.tickets.permissions import visible_groups
from switchboard.tickets.titles import TITLE_LENGTH

# A selection is a page of a search or a list: well under this.
MAX_CONTACTS = 5_000


class CreateTicketsForm(forms.Form):
    group = forms.ModelChoiceField(label=gettext_lazy("Campaign"), queryset=Group.objects.none())
    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=TITLE_LENGTH, required=False, validators=[validate_one_line]
    )

    def __init__(self, *args: object, groups: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        """The checked contacts: ``contact`` check boxes anywhere on the page (``form=``)."""
        data = super().clean() or {}
        ids = [int(value) for value in self.data.getlist("contact") if value.isdigit()]  # type: ignore[attr-defined]
        if not ids:
            raise forms.ValidationError(_("Select the contacts to create tickets for."))
        if len(ids) > MAX_CONTACTS:
            raise forms.ValidationError(_("Select %(max)s contacts at most.") % {"max": MAX_CONTACTS})
        data["contact"] = ids
        return data


@login_required
@require_POST
def create_outbound_tickets(request: AgentRequest) -> HttpResponse:
    """ "Create tickets" for the selected contacts in one of the agent's groups, then the summary:
    created (with links) and skipped (with reasons)."""
    form = CreateTicketsForm(request.POST, groups=visible_groups(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(request.headers.get("Referer") or "home")
    group = form.cleaned_data["group"]
    contacts = list(Contact.objects.filter(pk__in=form.cleaned_data["contact"]).order_by())
    order = {pk: index for index, pk in enumerate(form.cleaned_data["contact"])}
    contacts.sort(key=lambda contact: order[contact.pk])
    try:
        summary = do_create_outbound_tickets(
            group, contacts, title=form.cleaned_data["title"], acting_user=request.user
        )
    except TicketError as error:
        messages.error(request, str(error))
        return redirect(request.headers.get("Referer") or "home")
    return render(request, "tickets/outbound_summary.html", {"summary": summary, "group": group})
