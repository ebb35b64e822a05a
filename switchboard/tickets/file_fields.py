"""The form field for files people upload (CORE-16): an agent's reply, the web form, the
customer portal. One field, so every way in has the same limits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from switchboard.tickets.files import FileRefusedError, NewFile, check_upload, check_uploads, content_type_of


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files at once, none required: each within the upload limits, checked before it
    is read, then read into ``NewFile``s. ``total_limit``: the most all of them may weigh
    together (a message from outside must fit MAX_INBOUND_MESSAGE_BYTES)."""

    widget = MultipleFileInput

    def __init__(self, *, total_limit: int | None = None, **kwargs: Any) -> None:  # noqa: ANN401 - Django's field arguments
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.total_limit = total_limit

    def clean(self, data: Any, initial: Any = None) -> list[NewFile]:  # noqa: ANN401
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        try:
            for upload in uploads:
                check_upload(upload.name or "", upload.size or 0, upload.read(2))
                upload.seek(0)
            total = sum(upload.size or 0 for upload in uploads)
            if self.total_limit is not None and total > self.total_limit:
                raise FileRefusedError(
                    _("The files together are too large (%(size)s); at most %(limit)s.")
                    % {"size": filesizeformat(total), "limit": filesizeformat(self.total_limit)}
                )
            files = [
                NewFile(upload.name or "", content_type_of(upload.name or ""), upload.read()) for upload in uploads
            ]
            check_uploads(files)
        except FileRefusedError as error:
            raise forms.ValidationError(str(error), code="file") from None
        return files
