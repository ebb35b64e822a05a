from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from switchboard.tickets.actions import TicketHeader
from switchboard.tickets.models import Group, Status, StatusKind, Ticket
from switchboard.tickets.selectors import list_group_members


class AgentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        profile = getattr(obj, "agent_profile", None)
        name = obj.get_full_name() or obj.get_username()
        return f"{name} ({profile.initials})" if profile else name


class TicketHeaderForm(forms.Form):
    """The editable header of the ticket page (CORE-07), saved in one go with Update."""

    title = forms.CharField(label=_("Title"), max_length=300)
    status: forms.ModelChoiceField[Status] = forms.ModelChoiceField(
        label=_("Status"), queryset=Status.objects.none(), empty_label=None
    )
    owner = AgentChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("— nobody —")
    )
    next_action = forms.CharField(label=_("Next action"), max_length=300, required=False)
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": ticket.title,
                "status": ticket.status_id,
                "owner": ticket.owner_id,
                "next_action": ticket.next_action,
                "due_at": ticket.due_at,
                "version": ticket.version,
            },
        )
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault(
                "class", "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )
        self.fields["status"].queryset = ticket.group.statuses.exclude(kind__in=StatusKind.closed_kinds())  # type: ignore[attr-defined]
        self.fields["owner"].queryset = list_group_members(ticket.group)  # type: ignore[attr-defined]

    def header(self) -> TicketHeader:
        data = self.cleaned_data
        owner: User | None = data["owner"]
        return TicketHeader(
            title=data["title"],
            status=data["status"],
            owner=owner,
            next_action=data["next_action"],
            due_at=data["due_at"],
        )


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000)


class ReassignForm(forms.Form):
    """ "Assign to different group / ticket" (CORE-08): ``group:<id>`` moves, ``ticket:<number>`` merges."""

    target = forms.CharField(label=_("Assign to"))
    reset = forms.BooleanField(label=_("Reset status and form (campaign move)"), required=False)

    def target_group(self, groups: Any) -> Group | None:
        kind, _sep, value = self.cleaned_data["target"].partition(":")
        return groups.filter(pk=int(value)).first() if kind == "group" and value.isdigit() else None

    def target_number(self) -> int | None:
        kind, _sep, value = self.cleaned_data["target"].partition(":")
        return int(value) if kind == "ticket" and value.isdigit() else None


class ClosedSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "class": "form-control form-control-sm", "data-search-shortcut": ""}
        ),
    )
    closed_from = forms.DateField(
        label=_("Closed from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    closed_to = forms.DateField(
        label=_("to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
