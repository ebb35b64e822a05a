"""The fields of a group's web form and their checks (SELF-01); the group's own form fields
(CC-04) are checked beside them by ``clean_form_values``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from switchboard.contacts.points import normalise_phone
from switchboard.tickets.files import FileRefusedError, NewFile, check_upload, check_uploads, content_type_of
from switchboard.tickets.form_values import MAX_LONG_TEXT
from switchboard.tickets.models import Category, Group
from switchboard.web.spam import HONEYPOT, count_links


class _FilesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _FilesField(forms.FileField):
    """Several files in one input; none is fine."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=_FilesInput, required=False, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(_FilesField, self).clean(upload, initial) for upload in uploads]


class WebForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("Email"), max_length=254)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    category = forms.ModelChoiceField(label=gettext_lazy("Topic"), queryset=Category.objects.none())
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200, required=False)
    message = forms.CharField(label=gettext_lazy("Message"), max_length=MAX_LONG_TEXT, widget=forms.Textarea)
    attachments = _FilesField(label=gettext_lazy("Files"))
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

    def clean_attachments(self) -> list[NewFile]:
        """The files, each within the size limit and of no refused type, all within the limit of
        one message, read only once their sizes are known."""
        uploads: list[UploadedFile] = self.cleaned_data["attachments"]
        try:
            for upload in uploads:
                check_upload(upload.name or "", upload.size or 0, upload.read(2))
                upload.seek(0)
            total = sum(upload.size or 0 for upload in uploads)
            if total > settings.MAX_INBOUND_MESSAGE_BYTES:
                raise FileRefusedError(
                    _("The files together are too large (%(size)s); at most %(limit)s.")
                    % {"size": filesizeformat(total), "limit": filesizeformat(settings.MAX_INBOUND_MESSAGE_BYTES)}
                )
            files = [
                NewFile(upload.name or "", content_type_of(upload.name or ""), upload.read()) for upload in uploads
            ]
            check_uploads(files)
        except FileRefusedError as error:
            raise ValidationError(str(error), code="file") from None
        return files
