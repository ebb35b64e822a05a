from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from switchboard.audit.selectors import (
    AuditFilter,
    csv_rows,
    kind_choices,
    kind_name,
    list_audit_entries,
    object_name,
    shown_changes,
)
from switchboard.core.http import csv_download
from switchboard.core.widgets import LocalDateInput

ENTRIES_PER_PAGE = 50


class AuditFilterForm(forms.Form):
    who = forms.CharField(label=gettext_lazy("Who"), required=False, max_length=150)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    text = forms.CharField(label=gettext_lazy("Text"), required=False, max_length=200)
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=LocalDateInput())
    until = forms.DateField(label=gettext_lazy("To"), required=False, widget=LocalDateInput())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [("", gettext_lazy("Everything")), *kind_choices()]  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault(
                "class", f"{css} form-control-sm" if css == "form-control" else "form-select form-select-sm"
            )

    def filters(self) -> AuditFilter:
        if not self.is_valid():
            return AuditFilter()
        data = self.cleaned_data
        return AuditFilter(
            who=data["who"].strip(),
            kind=data["kind"],
            text=data["text"].strip(),
            since=data["since"],
            until=data["until"],
        )


def _for_administrators(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log (ADMIN-03): administrators search every recorded change, a page at a time."""
    _for_administrators(request)
    form = AuditFilterForm(request.GET or None)
    entries = list_audit_entries(form.filters())
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"entry": entry, "kind": kind_name(entry), "name": object_name(entry), "changes": list(shown_changes(entry))}
        for entry in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "audit/log.html", context)


@login_required
@require_GET
def audit_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    _for_administrators(request)
    entries = list_audit_entries(AuditFilterForm(request.GET or None).filters())
    return csv_download(csv_rows(entries), filename=f"audit-log-{timezone.localdate():%Y-%m-%d}.csv")
