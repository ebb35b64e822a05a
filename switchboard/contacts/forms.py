"""The contact's edit and new pages (CC-01): what they send, read into ``ContactDetails``."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from switchboard.contacts.actions import ContactDetails, ContactDetailsError, PointInput
from switchboard.contacts.fields import display_custom_value
from switchboard.contacts.models import Contact, ContactField, ContactPoint
from switchboard.core.widgets import LocalDateInput

_SMALL = {"class": "form-control form-control-sm"}
_SMALL_SELECT = {"class": "form-select form-select-sm"}


def custom_key(field: ContactField) -> str:
    return f"custom_{field.pk}"


class ContactForm(forms.Form):
    """Names (never the kind), address, custom fields and language."""

    first_name = forms.CharField(label=_("First name"), max_length=100, required=False, widget=forms.TextInput(_SMALL))
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False, widget=forms.TextInput(_SMALL))
    company_name = forms.CharField(
        label=_("Company name"), max_length=200, required=False, widget=forms.TextInput(_SMALL)
    )
    street = forms.CharField(label=_("Street"), max_length=200, required=False, widget=forms.TextInput(_SMALL))
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False, widget=forms.TextInput(_SMALL))
    city = forms.CharField(label=_("City"), max_length=100, required=False, widget=forms.TextInput(_SMALL))
    country = forms.CharField(label=_("Country"), max_length=100, required=False, widget=forms.TextInput(_SMALL))
    language = forms.ChoiceField(
        label=_("Language of mail"),
        choices=[("", _("The group’s language")), *settings.LANGUAGES],
        required=False,
        widget=forms.Select(_SMALL_SELECT),
    )

    def __init__(self, *args: Any, kind: str, custom_fields: list[ContactField], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.custom_fields = kind, custom_fields
        if kind == Contact.Kind.COMPANY:
            del self.fields["first_name"], self.fields["last_name"]
        else:
            del self.fields["company_name"]
        for field in custom_fields:
            key = custom_key(field)
            self.fields[key] = _custom_form_field(field)
            current = str(self.data.get(key, "") if self.is_bound else self.initial.get(key, ""))
            if field.kind == ContactField.Kind.CHOICE and current and current not in field.choice_list:
                # A choice the field no longer offers stays the contact's until changed.
                self.fields[key].widget.choices = [*self.fields[key].widget.choices, (current, current)]

    def custom_bound_fields(self) -> list[forms.BoundField]:
        return [self[custom_key(field)] for field in self.custom_fields]

    def details(self, points: list[PointInput]) -> ContactDetails:
        data = self.cleaned_data
        return ContactDetails(
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            company_name=data.get("company_name", ""),
            points=points,
            street=data["street"],
            postcode=data["postcode"],
            city=data["city"],
            country=data["country"],
            custom_values={str(field.pk): data[custom_key(field)] for field in self.custom_fields},
            language=data["language"],
        )


def _custom_form_field(field: ContactField) -> forms.Field:
    """A text box of the right sort; the value itself is checked by the action (fields.py)."""
    if field.kind == ContactField.Kind.CHOICE:
        choices = [("", _("Not set")), *[(choice, choice) for choice in field.choice_list]]
        # Any text is taken here so that the action, the one rule, says what is wrong with it.
        return forms.CharField(label=field.name, required=False, widget=forms.Select(_SMALL_SELECT, choices=choices))
    attrs = dict(_SMALL)
    if field.kind == ContactField.Kind.NUMBER:
        attrs["inputmode"] = "decimal"
    if field.kind == ContactField.Kind.DATE:  # in the agent's language's format, not the browser's
        return forms.CharField(label=field.name, required=False, max_length=40, widget=LocalDateInput(attrs))
    return forms.CharField(label=field.name, required=False, max_length=1000, widget=forms.TextInput(attrs))


def initial_of(contact: Contact, custom_fields: list[ContactField]) -> dict[str, str]:
    initial = {
        name: getattr(contact, name)
        for name in ("first_name", "last_name", "company_name", "street", "postcode", "city", "country", "language")
    }
    for field in custom_fields:
        value = contact.custom_values.get(str(field.pk), "")
        if field.kind == ContactField.Kind.DATE and value:
            initial[custom_key(field)] = dt.date.fromisoformat(value)  # shown as the agent's language writes it
        elif field.kind == ContactField.Kind.NUMBER and value:
            initial[custom_key(field)] = display_custom_value(field, value)
        else:
            initial[custom_key(field)] = value
    return initial


class PointForm(forms.Form):
    """One phone number or email address; left empty, it is not kept."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactPoint.Kind.choices, widget=forms.Select(_SMALL_SELECT))
    value = forms.CharField(label=_("Phone or email"), max_length=254, required=False, widget=forms.TextInput(_SMALL))
    label = forms.ChoiceField(
        label=_("Label"),
        choices=[("", _("No label")), *ContactPoint.Label.choices],
        required=False,
        widget=forms.Select(_SMALL_SELECT),
    )
    is_primary = forms.BooleanField(label=_("Primary"), required=False)


class BasePointFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def points(self) -> tuple[list[PointInput], list[PointForm]]:
        """The points to keep, and the form each came from (for its error)."""
        points, sources = [], []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or not data.get("value", "").strip():
                continue
            points.append(
                PointInput(
                    data["kind"], data["value"], data.get("label", ""), data.get("is_primary", False), data["id"]
                )
            )
            sources.append(form)
        return points, sources


PointFormSet = cast(
    "type[BasePointFormSet]",
    forms.formset_factory(PointForm, formset=BasePointFormSet, extra=1, can_delete=True, max_num=50),
)


def point_initial(contact: Contact) -> list[dict[str, object]]:
    return [
        {"id": p.pk, "kind": p.kind, "value": p.value, "label": p.label, "is_primary": p.is_primary}
        for p in contact.points.order_by("kind", "-is_primary", "pk")
    ]


def show_errors(error: ContactDetailsError, form: ContactForm, sources: list[PointForm]) -> None:
    """The action's refusal, each message beside what it is about."""
    if error.name_error:
        form.add_error(None, error.name_error)
    for position, message in error.point_errors.items():
        sources[position].add_error("value", message) if sources else form.add_error(None, message)
    for key, message in error.custom_errors.items():
        form.add_error(f"custom_{key}", message)
