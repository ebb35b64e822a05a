"""The contact's pages (CC-01): the contact page, its edit page, and "New contact".

Who may: every agent, that is every signed-in person who works in at least one group, and
administrators (``is_agent``), sees and edits every contact: a contact center calls and writes to
people before they have a ticket. The contact's tickets are listed only from the groups the agent
works in (all for an administrator); the others are neither shown nor counted.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from switchboard.contacts.actions import ContactDetailsError, do_add_contact, do_update_contact
from switchboard.contacts.fields import display_custom_value, list_contact_fields
from switchboard.contacts.forms import (
    BasePointFormSet,
    ContactForm,
    PointFormSet,
    initial_of,
    point_initial,
    show_errors,
)
from switchboard.contacts.models import Contact, ContactField
from switchboard.contacts.selectors import resolve_merged
from switchboard.core.http import AgentRequest
from switchboard.tickets.global_search import contact_tickets
from switchboard.tickets.permissions import is_agent

TICKETS_PER_PAGE = 50


def _ensure_agent(request: AgentRequest) -> None:
    if not is_agent(request.user):
        raise PermissionDenied(_("Only agents see contacts."))


@login_required
def contact_page(request: AgentRequest, pk: int) -> HttpResponse:
    """The contact: names, labelled phones and emails, address, custom fields, language, and
    their tickets (and those they are in copy on) in the agent's groups, open first, then the
    latest (see the module's rule)."""
    _ensure_agent(request)
    contact = get_object_or_404(Contact.objects.prefetch_related("points"), pk=pk)
    if contact.merged_into_id is not None:
        return redirect("contact", resolve_merged(contact).pk)
    tickets = Paginator(contact_tickets(request.user, contact), TICKETS_PER_PAGE)
    page = tickets.get_page(request.GET.get("page"))
    custom = [
        (field.name, display_custom_value(field, contact.custom_values.get(str(field.pk), "")))
        for field in list_contact_fields()
    ]
    points = sorted(contact.points.all(), key=lambda p: (p.kind != "phone", not p.is_primary, p.pk))
    # A call from this page is logged on the contact's open ticket shown first, if there is one.
    open_ticket = next((t for t in page if t.is_open and t.contact_id == contact.pk), None)
    context = {"contact": contact, "points": points, "custom": custom, "tickets": page, "call_ticket": open_ticket}
    return render(request, "contacts/contact.html", context)


@login_required
def edit_contact(request: AgentRequest, pk: int) -> HttpResponse:
    _ensure_agent(request)
    contact = get_object_or_404(Contact, pk=pk)
    if contact.merged_into_id is not None:
        return redirect("edit_contact", resolve_merged(contact).pk)
    custom_fields = list_contact_fields()
    if request.method != "POST":
        form = ContactForm(initial=initial_of(contact, custom_fields), kind=contact.kind, custom_fields=custom_fields)
        points = PointFormSet(initial=point_initial(contact), prefix="points")
        return _render_edit(request, contact, form, points)
    form, points = _bound(request.POST, contact.kind, custom_fields)
    if "add_point" not in request.POST and form.is_valid() and points.is_valid():
        inputs, sources = points.points()
        try:
            do_update_contact(contact, details=form.details(inputs), acting_user=request.user)
        except ContactDetailsError as error:
            show_errors(error, form, sources)
        else:
            messages.success(request, _("Contact saved."))
            return redirect("contact", pk=contact.pk)
    return _render_edit(request, contact, form, points, status=200 if "add_point" in request.POST else 400)


@login_required
def new_contact(request: AgentRequest) -> HttpResponse:
    """A new person or company (chosen first, fixed after)."""
    _ensure_agent(request)
    source = request.POST if request.method == "POST" else request.GET
    kind = Contact.Kind.COMPANY if source.get("kind") == Contact.Kind.COMPANY else Contact.Kind.PERSON
    custom_fields = list_contact_fields()
    if request.method != "POST":
        form = ContactForm(kind=kind, custom_fields=custom_fields)
        points = PointFormSet(initial=[{"kind": "phone"}], prefix="points")  # and an empty email row
        return _render_edit(request, None, form, points, kind=kind)
    form, points = _bound(request.POST, kind, custom_fields)
    if "add_point" not in request.POST and form.is_valid() and points.is_valid():
        inputs, sources = points.points()
        try:
            contact = do_add_contact(kind, details=form.details(inputs), acting_user=request.user)
        except ContactDetailsError as error:
            show_errors(error, form, sources)
        else:
            messages.success(request, _("Contact created."))
            return redirect("contact", pk=contact.pk)
    return _render_edit(request, None, form, points, kind=kind, status=200 if "add_point" in request.POST else 400)


def _bound(data: QueryDict, kind: str, custom_fields: list[ContactField]) -> tuple[ContactForm, BasePointFormSet]:
    """The forms as sent; "Add a phone or email" sends them back with one more empty row."""
    if "add_point" in data:
        data = data.copy()
        data["points-TOTAL_FORMS"] = str(int(data.get("points-TOTAL_FORMS") or 0) + 1)
    return ContactForm(data, kind=kind, custom_fields=custom_fields), PointFormSet(data, prefix="points")


def _render_edit(
    request: AgentRequest,
    contact: Contact | None,
    form: ContactForm,
    points: BasePointFormSet,
    *,
    kind: str = "",
    status: int = 200,
) -> HttpResponse:
    for each in [form, *points.forms]:  # a box with an error is outlined in red
        for name in each.errors:
            if name in each.fields:
                widget = each.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
    context = {"contact": contact, "form": form, "points": points, "kind": contact.kind if contact else kind}
    return render(request, "contacts/edit.html", context, status=status)
