"""The contact book's pages (AGENT-03): the entries an agent sees, searched as one types; adding,
changing and deleting one; and the addresses the reply composer suggests from it (htmx)."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from switchboard.core.http import AgentRequest
from switchboard.core.widgets import small_controls
from switchboard.tickets.contact_book import (
    can_edit_entry,
    do_delete_book_entry,
    do_save_book_entry,
    editable_entry_ids,
    search_book_entries,
    visible_book_entries,
)
from switchboard.tickets.models import BookEntry
from switchboard.tickets.permissions import visible_groups

MAX_QUERY_CHARS = 200
PAGE_SIZE = 200  # a contact book is a short list; a search narrows a longer one
SUGGESTIONS = 8
_SEPARATORS = re.compile(r"[\n,;]+")


def _query(request: AgentRequest) -> str:
    return request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]


class BookEntryForm(forms.Form):
    """What the entry's page edits; contact_book.do_save_book_entry checks and normalises it."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    organisation = forms.CharField(label=gettext_lazy("Organisation"), max_length=200, required=False)
    phones = forms.CharField(
        label=gettext_lazy("Phone numbers"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One per line, in any format."),
    )
    emails = forms.CharField(
        label=gettext_lazy("Email addresses"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One per line."),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    group = forms.TypedChoiceField(label=gettext_lazy("Who sees it"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: object, request: AgentRequest, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.groups = {group.pk: group for group in visible_groups(request.user).order_by("name")}
        sharing = self.fields["group"]
        assert isinstance(sharing, forms.TypedChoiceField)
        sharing.choices = [
            ("", _("Only me")),
            *((pk, _("Group %(name)s") % {"name": group.name}) for pk, group in self.groups.items()),
        ]
        small_controls(self.fields.values())

    @staticmethod
    def initial_of(entry: BookEntry) -> dict[str, object]:
        return {
            "name": entry.name,
            "organisation": entry.organisation,
            "phones": "\n".join(entry.phones),
            "emails": "\n".join(entry.emails),
            "notes": entry.notes,
            "group": entry.group_id or "",
        }

    def save(self, request: AgentRequest, entry: BookEntry | None) -> BookEntry | None:
        """The entry saved, or None with the errors by their fields (their boxes marked)."""
        if self.is_valid():
            data = self.cleaned_data
            try:
                return do_save_book_entry(
                    acting_user=request.user,
                    entry=entry,
                    name=data["name"],
                    organisation=data["organisation"],
                    phones=_SEPARATORS.split(data["phones"]),
                    emails=_SEPARATORS.split(data["emails"]),
                    notes=data["notes"],
                    group=self.groups.get(data["group"]) if data["group"] else None,
                )
            except ValidationError as problem:
                self.add_error(None, problem)
            except PermissionDenied as refusal:
                self.add_error(None, str(refusal))
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"
        return None


@login_required
@require_GET
def book(request: AgentRequest) -> HttpResponse:
    """The entries the agent sees (all, or those the search finds), by name; three queries."""
    text = _query(request)
    entries = search_book_entries(request.user, text, limit=PAGE_SIZE + 1)
    editable = editable_entry_ids(request.user, entries)
    for entry in entries:
        entry.editable = entry.pk in editable  # type: ignore[attr-defined]
    context = {"q": text, "entries": entries[:PAGE_SIZE], "more": len(entries) > PAGE_SIZE}
    return render(request, "tickets/book.html", context)


def _entry_page(request: AgentRequest, entry: BookEntry | None) -> HttpResponse:
    if request.method == "POST":
        form = BookEntryForm(request.POST, request=request)
        saved = form.save(request, entry)
        if saved is not None:
            messages.success(request, _("“%(name)s” saved in the contact book.") % {"name": saved.name})
            return redirect("book")
    else:
        form = BookEntryForm(initial=BookEntryForm.initial_of(entry) if entry else {}, request=request)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "tickets/book_entry.html", {"form": form, "entry": entry}, status=status)


def _editable_entry(request: AgentRequest, entry_id: int) -> BookEntry:
    entry = visible_book_entries(request.user).select_related("group").filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    if not can_edit_entry(request.user, entry):
        raise PermissionDenied(_("Only its owner and the group's managers change this entry."))
    return entry


@login_required
def new_entry(request: AgentRequest) -> HttpResponse:
    return _entry_page(request, None)


@login_required
def edit_entry(request: AgentRequest, entry_id: int) -> HttpResponse:
    return _entry_page(request, _editable_entry(request, entry_id))


@login_required
@require_POST
def delete_entry(request: AgentRequest, entry_id: int) -> HttpResponse:
    entry = _editable_entry(request, entry_id)
    do_delete_book_entry(entry, acting_user=request.user)
    messages.success(request, _("“%(name)s” deleted from the contact book.") % {"name": entry.name})
    return redirect("book")


@login_required
@require_GET
def book_suggestions(request: AgentRequest) -> HttpResponse:
    """The addresses of the entries the typed text finds, for the reply composer's To and Cc
    (suggest.js puts the one chosen into the field)."""
    text = _query(request)
    found = search_book_entries(request.user, text, limit=SUGGESTIONS, with_email=True) if text else []
    options = [(entry, email) for entry in found for email in entry.emails][:SUGGESTIONS]
    return render(request, "tickets/_book_suggestions.html", {"q": text, "options": options})
