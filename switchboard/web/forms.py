"""The fields of a group's web form and their checks (SELF-01); the group's own form fields
(CC-04) are checked beside them by ``clean_form_values``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from switchboard.contacts.points import normalise_phone
from switchboard.tickets.file_fields import FilesField
from switchboard.tickets.form_values import MAX_LONG_TEXT
from switchboard.tickets.models import Category, Group
from switchboard.web.spam import HONEYPOT, count_links


class WebForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("Email"), max_length=254)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    category = forms.ModelChoiceField(label=gettext_lazy("Topic"), queryset=Category.objects.none())
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200, required=False)
    message = forms.CharField(label=gettext_lazy("Message"), max_length=MAX_LONG_TEXT, widget=forms.Textarea)
    attachments = FilesField(label=gettext_lazy("Files"), total_limit=settings.MAX_INBOUND_MESSAGE_BYTES)
    token = forms.CharField(required=False)
    website = forms.CharField(required=False)  # HONEYPOT: hidden from people

    def __init__(self, *args: Any, group: Group, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = categories
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = group.categories.all()
        if not categories:
            del self.fields["category"]

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_phone(self) -> str:
        typed = str(self.cleaned_data["phone"]).strip()
        return normalise_phone(typed, region=settings.PHONE_REGION) if typed else ""

    def clean_message(self) -> str:
        text = str(self.cleaned_data["message"]).strip()
        if count_links(text) > settings.WEB_FORM_MAX_LINKS:
            raise ValidationError(
                _("Please write at most %(count)s links (web addresses) in the message.")
                % {"count": settings.WEB_FORM_MAX_LINKS},
                code="links",
            )
        return text
