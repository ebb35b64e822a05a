"""A group's (campaign's) form: its typed fields, in the order the manager chose (CC-04).

A ticket keeps its form's values in ``Ticket.form_data``, keyed by the field's id (as a string,
JSON's only key type), so that renaming a field changes nothing stored. A choice is stored by its
key, never its label, for the same reason; the field keeps its choices, in order, as a list of
``{"key", "label", "removed"}``. A removed choice stays on the list, so that the tickets that have
it still show what it said; it is only no longer offered.
"""

from __future__ import annotations

from typing import TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.tickets.models.groups import Group
from switchboard.tickets.models.tickets import Status


class FormChoice(TypedDict):
    key: str
    label: str
    removed: bool


class FormField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")
        MULTI_CHOICE = "multi_choice", _("Several choices")
        CHECKBOX = "checkbox", _("Checkbox")
        STATUS_BUTTON = "status_button", _("Button that sets a status")

        @classmethod
        def with_choices(cls) -> frozenset[str]:
            return frozenset({cls.CHOICE, cls.MULTI_CHOICE})

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="form_fields")
    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    status = models.ForeignKey(
        Status,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sets the status"),
    )

    class Meta:
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        ordering = ["group", "position", "id"]
        indexes = [models.Index(fields=["group", "position"], name="form_field_group_position")]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        """The key of this field's value in ``Ticket.form_data``."""
        return str(self.pk)

    @property
    def has_choices(self) -> bool:
        return self.kind in self.Kind.with_choices()

    @property
    def is_button(self) -> bool:
        return self.kind == self.Kind.STATUS_BUTTON

    @property
    def offered_choices(self) -> list[FormChoice]:
        """The choices an agent may pick, in order."""
        return [choice for choice in self.choices if not choice.get("removed")]

    @property
    def removed_choices(self) -> list[FormChoice]:
        return [choice for choice in self.choices if choice.get("removed")]

    def choice_label(self, key: str) -> str:
        """What a stored choice says now (a removed one too); an unknown key as it is."""
        return next((choice["label"] for choice in self.choices if choice["key"] == key), key)
