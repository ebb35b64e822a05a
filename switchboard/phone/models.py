from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.contacts.points import normalise_phone
from switchboard.core import secrets
from switchboard.core.models import TimeStampedModel
from switchboard.tickets.models import Group


class PhoneNumber(TimeStampedModel):
    """One of our numbers at the provider: calls to it hear its menu (PHONE-01), texts to it
    become tickets. The auth token signs the provider's webhooks and opens its REST API."""

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        POLISH = "pl", _("Polish")

    number = models.CharField(
        _("number"), max_length=16, unique=True, help_text=_("In international form, e.g. +48221234567.")
    )
    account_sid = models.CharField(
        _("account SID"), max_length=64, help_text=_("The provider's account ID, starting with AC.")
    )
    auth_token_encrypted = models.TextField(blank=True, editable=False)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text=_("The language callers hear the menu in."),
    )
    default_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("default group"),
        help_text=_("Where a call goes when the caller presses no digit or a wrong one twice."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        try:
            self.number = normalise_phone(self.number)
        except ValidationError as error:
            raise ValidationError({"number": error.messages}) from None

    @property
    def auth_token(self) -> str:
        return secrets.decrypt(self.auth_token_encrypted)

    @auth_token.setter
    def auth_token(self, value: str) -> None:
        self.auth_token_encrypted = secrets.encrypt(value)


class MenuEntry(models.Model):
    """A digit of a number's voice menu and the group it leads to (PHONE-01)."""

    class Digit(models.TextChoices):
        ONE = "1", "1"
        TWO = "2", "2"
        THREE = "3", "3"
        FOUR = "4", "4"
        FIVE = "5", "5"
        SIX = "6", "6"
        SEVEN = "7", "7"
        EIGHT = "8", "8"
        NINE = "9", "9"
        ZERO = "0", "0"

    number = models.ForeignKey(PhoneNumber, on_delete=models.CASCADE, related_name="menu", verbose_name=_("number"))
    digit = models.CharField(_("digit"), max_length=1, choices=Digit.choices)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+", verbose_name=_("group"))

    class Meta:
        verbose_name = _("menu entry")
        verbose_name_plural = _("menu entries")
        ordering = ["number", "digit"]
        constraints = [models.UniqueConstraint(fields=["number", "digit"], name="menu_entry_unique_digit")]

    def __str__(self) -> str:
        return f"{self.digit}: {self.group}"
