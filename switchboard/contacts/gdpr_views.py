"""The contact's GDPR and merge pages (CC-01): recording consents, the export of everything held
(right of access), erasure, and merging two contacts.

Who may do what: every agent sees a contact (as on the contact page) and records its
consents. Merging, erasing and exporting change or reveal what every team holds about the person,
so they are for administrators and for managers of every group that has the contact's tickets
(``can_manage_contact``).

These are interface modules of the contacts app: they may import the tickets (pyproject's
import-linter lets ``gdpr_views`` and the template tags through), the contacts' domain may not.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.contacts.actions import do_record_consent
from switchboard.contacts.models import Consent, ConsentPurpose, Contact
from switchboard.contacts.selectors import resolve_merged
from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import TicketError
from switchboard.tickets.contact_erasure import check_can_erase, do_erase_contact
from switchboard.tickets.contact_export import export_contact
from switchboard.tickets.contact_merge import (
    check_can_merge,
    conflict_pairs,
    do_merge_contacts,
    list_merge_conflicts,
)
from switchboard.tickets.models import Ticket
from switchboard.tickets.permissions import can_manage_contact, is_agent
from switchboard.tickets.views import back_to

MAX_CANDIDATES = 20


def _contact_for(request: AgentRequest, pk: int) -> Contact:
    """The contact, for an agent (every agent sees every contact, as on the contact page); a
    merged one raises _Moved, to lead to the contact it was merged into."""
    if not is_agent(request.user):
        raise PermissionDenied(_("Only agents see contacts."))
    contact = get_object_or_404(Contact, pk=pk)
    if contact.merged_into_id is not None:
        raise _Moved(resolve_merged(contact))
    return contact


class _Moved(Exception):  # noqa: N818 (not an error: the contact lives on another page now)
    def __init__(self, contact: Contact) -> None:
        self.contact = contact


def _managed_contact(request: AgentRequest, pk: int) -> Contact:
    contact = _contact_for(request, pk)
    if not can_manage_contact(request.user, contact):
        raise PermissionDenied(
            _("Only administrators, and managers of every group the contact has tickets in, may do this.")
        )
    return contact


ContactView = Callable[..., HttpResponse]


def follows_merges(view: ContactView) -> ContactView:
    """A merged contact's pages lead to the contact it was merged into (same page, that contact)."""

    def wrapped(request: AgentRequest, pk: int, **kwargs: object) -> HttpResponse:
        try:
            return view(request, pk, **kwargs)
        except _Moved as moved:
            name = (request.resolver_match.url_name if request.resolver_match else None) or "contact"
            return redirect(reverse(name, kwargs={**kwargs, "pk": moved.contact.pk}))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_required
@require_POST
@follows_merges
def record_consent(request: AgentRequest, pk: int) -> HttpResponse:
    contact = _contact_for(request, pk)
    purpose = get_object_or_404(ConsentPurpose, pk=request.POST.get("purpose") or 0)
    method = request.POST.get("method", "")
    if method not in Consent.Method.values:
        messages.error(request, _("Choose how the contact told you."))
    else:
        given = request.POST.get("given") == "1"
        try:
            do_record_consent(
                contact,
                purpose=purpose,
                given=given,
                method=Consent.Method(method),
                note=request.POST.get("note", ""),
                acting_user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            text = _("Consent “%(purpose)s” given.") if given else _("Consent “%(purpose)s” withdrawn.")
            messages.success(request, text % {"purpose": purpose.display_name})
    return redirect(back_to(request, reverse("contact", kwargs={"pk": contact.pk})))


@login_required
@follows_merges
def export_page(request: AgentRequest, pk: int) -> HttpResponse:
    """The right of access, readable: everything held about the contact on one page."""
    contact = _managed_contact(request, pk)
    return render(request, "contacts/gdpr_export.html", {"contact": contact, "data": export_contact(contact)})


@login_required
@follows_merges
def export_json(request: AgentRequest, pk: int) -> HttpResponse:
    """The right of access, as a file to hand over."""
    contact = _managed_contact(request, pk)
    body = json.dumps(export_contact(contact), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
    return response


@login_required
@follows_merges
def erase(request: AgentRequest, pk: int) -> HttpResponse:
    """Erasure: a page that says what will go, a box to tick, then the erasure."""
    contact = _managed_contact(request, pk)
    error = ""
    try:
        check_can_erase(request.user, contact)
    except TicketError as refusal:
        error = str(refusal)
    if request.method == "POST" and not error:
        if request.POST.get("confirm") != "yes":
            error = _("Tick the box to confirm that this contact's personal data is to be erased.")
        else:
            record = do_erase_contact(contact, acting_user=request.user)
            messages.success(
                request, _("Personal data of contact #%(number)s erased.") % {"number": record.contact_number}
            )
            return redirect("contact", pk=contact.pk)
    context = {
        "contact": contact,
        "error": error,
        "tickets": Ticket.objects.filter(contact=contact).count(),
        "in_copy": Ticket.objects.filter(cc_contacts=contact).count(),
        "points": contact.points.count(),
        "consents": contact.consents.count(),
    }
    return render(
        request, "contacts/gdpr_erase.html", context, status=400 if error and request.method == "POST" else 200
    )


@login_required
@follows_merges
def merge_pick(request: AgentRequest, pk: int) -> HttpResponse:
    """Merge, step one: find the other contact (by name, email or phone)."""
    contact = _managed_contact(request, pk)
    query = request.GET.get("q", "").strip()
    candidates: list[Contact] = []
    if query:
        words = Q()
        for word in query.split()[:4]:
            words &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(company_name__icontains=word)
                | Q(points__value__icontains=word.lstrip("0").replace(" ", ""))
            )
        found = (
            Contact.objects.filter(words, merged_into__isnull=True, erased_at__isnull=True, kind=contact.kind)
            .exclude(pk=contact.pk)
            .distinct()
            .prefetch_related("points")
            .order_by("last_name", "first_name", "company_name", "pk")
        )
        candidates = list(found[:MAX_CANDIDATES])
    return render(
        request, "contacts/gdpr_merge_pick.html", {"contact": contact, "query": query, "candidates": candidates}
    )


@login_required
@follows_merges
def merge_confirm(request: AgentRequest, pk: int, other_pk: int) -> HttpResponse:
    """Merge, step two: what moves, and exactly which open tickets will be merged into which; then the merge."""
    contact = _managed_contact(request, pk)
    other = get_object_or_404(Contact, pk=other_pk)
    error = ""
    try:
        check_can_merge(request.user, other, contact)
    except (TicketError, PermissionDenied) as refusal:
        error = str(refusal)
    if request.method == "POST" and not error:
        confirmed = [_pair(value) for value in request.POST.getlist("pair")]
        try:
            do_merge_contacts(other, into=contact, confirmed=confirmed, acting_user=request.user)
        except TicketError as refusal:
            error = str(refusal)
        else:
            messages.success(request, _("Contacts merged."))
            return redirect("contact", pk=contact.pk)
    conflicts = [] if error and other.merged_into_id else list_merge_conflicts(other, into=contact)
    context = {
        "contact": contact,
        "other": other,
        "error": error,
        "conflicts": conflicts,
        "pairs": [f"{a}:{b}" for a, b in conflict_pairs(conflicts)],
        "other_tickets": Ticket.objects.filter(contact=other).count(),
        "other_in_copy": Ticket.objects.filter(cc_contacts=other).count(),
        "other_consents": other.consents.count(),
    }
    return render(
        request, "contacts/gdpr_merge_confirm.html", context, status=400 if error and request.method == "POST" else 200
    )


def _pair(value: str) -> tuple[int, int]:
    ticket, _colon, into = value.partition(":")
    try:
        return int(ticket), int(into)
    except ValueError:
        raise Http404 from None
