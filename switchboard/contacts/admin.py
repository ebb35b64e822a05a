from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from switchboard.contacts.actions import do_rename_contact, do_set_contact_appointment, do_set_contact_language
from switchboard.contacts.models import ConsentPurpose, Contact, ContactField, ContactPoint, ErasureRecord
from switchboard.contacts.points import normalise_point
from switchboard.contacts.search import reindex_contacts


class ContactPointForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ContactPoint
        fields = ["kind", "value", "label", "is_primary"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and data.get("value"):
            data["value"] = normalise_point(data["kind"], data["value"])
        return data


class ContactPointInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ContactPoint
    form = ContactPointForm
    extra = 0


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["__str__", "kind", "language", "created_at"]
    list_filter = ["kind", "language"]
    search_fields = ["first_name", "last_name", "company_name", "points__value"]
    inlines = [ContactPointInline]
    # The address and custom fields are edited on the contact's own page, through its action.
    exclude = ["street", "postcode", "city", "country", "custom_values"]

    def get_readonly_fields(self, request: HttpRequest, obj: Contact | None = None) -> list[str]:
        return ["kind"] if obj is not None else []  # the kind is fixed once created (CC-01)

    def save_model(self, request: HttpRequest, obj: Contact, form: ModelForm[Any], change: bool) -> None:
        if change:
            do_rename_contact(
                obj,
                first_name=obj.first_name,
                last_name=obj.last_name,
                company_name=obj.company_name,
                acting_user=request.user,  # type: ignore[arg-type]
            )
            if "has_appointment" in form.changed_data:
                do_set_contact_appointment(
                    obj,
                    has_appointment=obj.has_appointment,
                    acting_user=request.user,  # type: ignore[arg-type]
                )
            if "language" in form.changed_data:
                do_set_contact_language(obj, language=obj.language, acting_user=request.user)  # type: ignore[arg-type]
        else:
            super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        reindex_contacts([form.instance.pk])  # a new contact's names, and its points as they are now


@admin.register(ConsentPurpose)
class ConsentPurposeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The purposes contacts consent to (CC-01, GDPR). A purpose with records is never deleted:
    make it inactive instead."""

    list_display = ["name", "name_pl", "active", "position"]
    list_editable = ["active", "position"]


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The record of each erasure: read-only, like any audit trail."""

    list_display = ["contact_number", "erased_at", "erased_by"]
    readonly_fields = ["contact_number", "erased_at", "erased_by", "counts"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ContactFieldForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ContactField
        fields = ["name", "kind", "choices", "position", "active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ContactField.Kind.CHOICE and not (data.get("choices") or "").strip():
            self.add_error("choices", _("A choice field needs at least one choice."))
        return data


@admin.register(ContactField)
class ContactFieldAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The installation's own contact fields (CC-01): every contact has them, on its page."""

    form = ContactFieldForm
    list_display = ["name", "kind", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["kind", "active"]
