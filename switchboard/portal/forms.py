"""What a signed-in contact types in the customer portal (SELF-03): an answer on one of their
tickets, and a new ticket in a group, about one of its categories if it has any."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from switchboard.tickets.models import Category, Group
from switchboard.web.channel import WebFile

MAX_FILES = 10
MAX_TEXT = 20_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files at once, together within the size of one inbound message."""

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401 -- Django's field arguments
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(required=False, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:  # noqa: ANN401
        files = [super(FilesField, self).clean(one, initial) for one in (data or [])]
        files = [file for file in files if file]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Attach at most %(count)s files.") % {"count": MAX_FILES})
        if sum(file.size or 0 for file in files) > settings.MAX_INBOUND_MESSAGE_BYTES:
            raise forms.ValidationError(
                _("The files are too large together: at most %(size)s.")
                % {"size": filesizeformat(settings.MAX_INBOUND_MESSAGE_BYTES)}
            )
        return files


def web_files(files: list[UploadedFile]) -> list[WebFile]:
    return [
        WebFile(
            filename=file.name or _("attachment"),
            content_type=file.content_type or "application/octet-stream",
            content=file.read(),
        )
        for file in files
    ]


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your answer"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = FilesField(label=gettext_lazy("Files"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("attachments"):
            raise forms.ValidationError(_("Write something or attach a file."))
        return data


class NewTicketForm(AnswerForm):
    """A new ticket: the topic is a group, or one of its categories ("c<id>" / "g<id>")."""

    topic = forms.ChoiceField(label=gettext_lazy("What is it about?"))
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    text = forms.CharField(
        label=gettext_lazy("Your message"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )
    field_order = ["topic", "subject", "text", "attachments"]

    def __init__(self, *args: Any, groups: list[Group], **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, **kwargs)
        self.groups = {group.pk: group for group in groups}
        self.categories: dict[int, Category] = {}
        choices: list[Any] = [("", _("Choose…"))]
        for group in groups:
            categories = list(group.categories.all())
            if not categories:
                choices.append((f"g{group.pk}", group.name))
                continue
            self.categories.update({category.pk: category for category in categories})
            options = [(f"c{category.pk}", category.name) for category in categories]
            choices.append((group.name, [*options, (f"g{group.pk}", _("Something else"))]))
        cast(forms.ChoiceField, self.fields["topic"]).choices = choices
        for name in ("topic", "subject", "text"):
            invalid = " is-invalid" if self.is_bound and name in self.errors else ""
            self.fields[name].widget.attrs["class"] = ("form-select" if name == "topic" else "form-control") + invalid

    def chosen(self) -> tuple[Group, Category | None]:
        """The group and category of the valid form's topic."""
        topic = self.cleaned_data["topic"]
        if topic.startswith("c"):
            category = self.categories[int(topic[1:])]
            return self.groups[category.group_id], category
        return self.groups[int(topic[1:])], None
