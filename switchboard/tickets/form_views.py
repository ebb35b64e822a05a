"""Pages of group forms (CC-04): the manager's page that shapes a group's form, the ticket's Form
tab saving its values, and the export of every ticket's values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from switchboard.core.http import csv_download
from switchboard.core.widgets import small_controls
from switchboard.tickets.actions import StaleTicketError, TicketError
from switchboard.tickets.form_values import list_form_export, list_form_fields
from switchboard.tickets.forms import TicketHeaderForm
from switchboard.tickets.group_forms import (
    FormInvalidError,
    do_add_form_choice,
    do_add_form_field,
    do_move_form_choice,
    do_move_form_field,
    do_rename_form_choice,
    do_save_ticket_form,
    do_set_form_choice_removed,
    do_set_form_field_hidden,
    do_update_form_field,
)
from switchboard.tickets.manager_pages import managed_group
from switchboard.tickets.models import FormField, Group, Status
from switchboard.tickets.views import _render_ticket, _ticket_for


class AddFormFieldForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=FormField.Kind.choices)
    required = forms.BooleanField(label=gettext_lazy("Required"), required=False)
    choices = forms.CharField(
        label=gettext_lazy("Choices, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For a choice field."),
    )
    status: forms.ModelChoiceField[Status] = forms.ModelChoiceField(
        label=gettext_lazy("Sets the status"),
        queryset=Status.objects.none(),
        required=False,
        help_text=gettext_lazy("For a button."),
        empty_label="—",
    )

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].queryset = group.statuses.all()  # type: ignore[attr-defined]
        self.fields["status"].label_from_instance = lambda status: status.display_name  # type: ignore[attr-defined]
        small_controls(self.fields.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in FormField.Kind.with_choices() and not self.choice_labels():
            self.add_error("choices", _("Write at least one choice."))
        if kind == FormField.Kind.STATUS_BUTTON and not data.get("status"):
            self.add_error("status", _("Choose the status the button sets."))
        return data

    def choice_labels(self) -> list[str]:
        text = self.cleaned_data.get("choices", "")
        return [line.strip() for line in text.splitlines() if line.strip()]


def _status_of(group: Group, value: str | None) -> Status | None:
    if not value or not value.isdigit():
        return None
    return group.statuses.filter(pk=int(value)).first()


def _edit(request: Any, group: Group, form_field: FormField) -> str:
    """Do the one change a form of the manager's page asks for; returns what to say."""
    op = request.POST.get("op", "")
    post = request.POST
    user = request.user
    if op == "update":
        status = _status_of(group, post.get("status"))
        do_update_form_field(
            form_field, label=post.get("label", ""), required="required" in post, status=status, acting_user=user
        )
        return _("“%(label)s” saved.") % {"label": form_field.label}
    if op in {"up", "down"}:
        do_move_form_field(form_field, offset=-1 if op == "up" else 1, acting_user=user)
        return _("“%(label)s” moved.") % {"label": form_field.label}
    if op in {"hide", "show"}:
        do_set_form_field_hidden(form_field, hidden=op == "hide", acting_user=user)
        if op == "hide":
            return _("“%(label)s” is hidden: tickets keep its values.") % {"label": form_field.label}
        return _("“%(label)s” is on the form again.") % {"label": form_field.label}
    if op == "add_choice":
        do_add_form_choice(form_field, label=post.get("label", ""), acting_user=user)
        return _("Choice added to “%(label)s”.") % {"label": form_field.label}
    key = post.get("key", "")
    if op == "rename_choice":
        do_rename_form_choice(form_field, key=key, label=post.get("label", ""), acting_user=user)
        return _("Choice renamed: tickets that have it show the new name.")
    if op in {"choice_up", "choice_down"}:
        do_move_form_choice(form_field, key=key, offset=-1 if op == "choice_up" else 1, acting_user=user)
        return _("Choice moved.")
    if op in {"remove_choice", "restore_choice"}:
        do_set_form_choice_removed(form_field, key=key, removed=op == "remove_choice", acting_user=user)
        if op == "remove_choice":
            return _("Choice removed: tickets that have it keep it.")
        return _("Choice restored.")
    raise TicketError(_("Nothing to do."))


@login_required
def group_form(request: Any, slug: str) -> HttpResponse:
    """A group's form, for its managers: add, rename, reorder, hide and show fields; add, rename,
    reorder and remove choices; required fields; the status each button sets (CC-04)."""
    group = managed_group(request, slug, refusal=_("Only the group's managers change its form."))
    add_form = AddFormFieldForm(group=group)
    if request.method == "POST":
        if request.POST.get("op") == "add":
            add_form = AddFormFieldForm(request.POST, group=group)
            if add_form.is_valid():
                data = add_form.cleaned_data
                try:
                    added = do_add_form_field(
                        group,
                        label=data["label"],
                        kind=FormField.Kind(data["kind"]),
                        required=data["required"],
                        choices=add_form.choice_labels(),
                        status=data["status"],
                        acting_user=request.user,
                    )
                except TicketError as error:
                    add_form.add_error("label", str(error))
                else:
                    messages.success(request, _("“%(label)s” added to the form.") % {"label": added.label})
                    return redirect(reverse("group_form", args=[group.slug]) + f"#field-{added.pk}")
        else:
            form_field = get_object_or_404(FormField, pk=request.POST.get("field") or 0, group=group)
            try:
                messages.success(request, _edit(request, group, form_field))
            except TicketError as error:
                messages.error(request, str(error))
            # Back to the same place: the button used (which the page focuses), else the field.
            focus = request.POST.get("focus", "")
            place = f"?focus={focus}" if focus.replace("-", "").isalnum() else f"#field-{form_field.pk}"
            return redirect(reverse("group_form", args=[group.slug]) + place)
    context = {
        "group": group,
        "fields": list_form_fields(group),
        "statuses": list(group.statuses.all()),
        "add_form": add_form,
        "focus": request.GET.get("focus", ""),
    }
    return render(request, "tickets/group_form.html", context, status=400 if add_form.is_bound else 200)


@login_required
@require_POST
def save_ticket_form(request: Any, number: int) -> HttpResponse:
    """The Form tab's Save, or one of its status buttons: the values are checked on the server;
    on an error nothing is saved and the tab shows what to correct."""
    ticket = _ticket_for(request, number)
    button = None
    if (button_id := request.POST.get("button", "")).isdigit():
        button = FormField.objects.select_related("status").filter(pk=int(button_id), group=ticket.group).first()
    version = request.POST.get("version", "")
    try:
        do_save_ticket_form(
            ticket,
            data=request.POST,
            expected_version=int(version) if version.isdigit() else -1,
            button=button,
            acting_user=request.user,
        )
    except FormInvalidError as error:
        extra = {
            "form_tab": "form",
            "form_errors": error.errors,
            "form_submitted": request.POST,
            "form_error": str(error),
        }
        return _render_ticket(request, ticket, TicketHeaderForm(ticket=ticket), status=400, extra=extra)
    except StaleTicketError as error:
        current = _ticket_for(request, number)
        extra = {"form_tab": "form", "form_submitted": request.POST, "form_error": str(error)}
        return _render_ticket(request, current, TicketHeaderForm(ticket=current), stale=True, status=409, extra=extra)
    except (TicketError, PermissionDenied) as error:
        messages.error(request, str(error))
        return redirect(reverse("ticket", args=[number]) + "?tab=form")
    messages.success(request, _("Form of ticket #%(number)s saved.") % {"number": number})
    return redirect(reverse("ticket", args=[number]) + "?tab=form")


@login_required
def export_form(request: Any, slug: str) -> StreamingHttpResponse:
    """Every ticket of the group with its form's values, hidden fields included, as CSV (CC-04)."""
    group = managed_group(request, slug, refusal=_("Only the group's managers change its form."))
    filename = f"{slugify(group.name) or group.slug}-form-{timezone.localdate().isoformat()}.csv"
    return csv_download(list_form_export(group), filename=filename)
