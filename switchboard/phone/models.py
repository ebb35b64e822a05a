from __future__ import annotations

from django.conf import settings
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
        _("number"),
        max_length=16,
        unique=True,
        help_text=_(
            "E.g. +48221234567; a number without the country code is taken as one of this installation's country."
        ),
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
            self.number = normalise_phone(self.number, region=settings.PHONE_REGION)
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


class SmsDelivery(TimeStampedModel):
    """What the provider reports of a text we sent (PHONE-05): its id there, and how far the
    message got, with the provider's error code when it did not arrive."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued at the provider")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Not delivered")
        FAILED = "failed", _("Failed")

    outbound = models.OneToOneField(
        "intake.OutboundMessage", on_delete=models.CASCADE, related_name="sms_delivery", verbose_name=_("message")
    )
    sid = models.CharField(_("provider's id"), max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    error_code = models.CharField(_("error code"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("SMS delivery")
        verbose_name_plural = _("SMS deliveries")

    def __str__(self) -> str:
        return f"{self.sid}: {self.status}"

    @staticmethod
    def stage(status: str) -> int:
        """How far a message has got: a report of an earlier stage never undoes a later one."""
        order = {"queued": 0, "sending": 1, "sent": 2}
        return order.get(status, 3)

    @property
    def arrived(self) -> bool | None:
        """True once delivered, False when it failed, None while on its way."""
        if self.status == self.Status.DELIVERED:
            return True
        if self.status in {self.Status.UNDELIVERED, self.Status.FAILED}:
            return False
        return None

    @property
    def error_description(self) -> str:
        """The provider's error in words, where it is one of the common ones."""
        return str(SMS_ERRORS.get(self.error_code, ""))


# Twilio's documented delivery errors (www.twilio.com/docs/api/errors), the ones a contact's phone causes.
SMS_ERRORS = {
    "30003": _("the phone is switched off or out of reach"),
    "30004": _("the message was blocked by the recipient or their carrier"),
    "30005": _("the number is unknown or no longer exists"),
    "30006": _("the number is a landline or its carrier cannot be reached"),
    "30007": _("the carrier filtered the message"),
    "30008": _("the carrier reported an unknown error"),
}
