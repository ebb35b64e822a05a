from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.core.models import TimeStampedModel


class Contact(TimeStampedModel):
    """A person or a company that reaches the organisation. The kind is fixed once created."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        COMPANY = "company", _("Company")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the mail the contact gets. Empty: the group's language."),
    )
    has_appointment = models.BooleanField(
        _("has an appointment"),
        default=False,
        help_text=_("May leave a voicemail where a group takes them only from callers with an appointment."),
    )
    # What finds the contact (CC-01): its names' and points' words, folded (contacts/search.py).
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["last_name", "first_name"]), models.Index(fields=["company_name"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.COMPANY:
            return self.company_name
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def greeting_name(self) -> str:
        """The name an email greets ("Hello John"): first name of a person, else the display name."""
        if self.kind == self.Kind.PERSON and self.first_name:
            return self.first_name
        return self.display_name


class ContactPoint(models.Model):
    """An email address or E.164 phone number of a contact: the keys inbound matching uses."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")

    # Indexed with the kind below: a contact's emails are one index lookup.
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="points", db_index=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=254, help_text=_("Lower-case email or E.164 phone number."))
    is_primary = models.BooleanField(_("primary"), default=False)
    # PHONE-04: the number answered STOP; nothing is sent to it by SMS until it answers START.
    sms_opted_out_at = models.DateTimeField(
        _("SMS opt-out"), null=True, blank=True, help_text=_("When the number asked for no more text messages.")
    )

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="contact_point_unique_per_kind")]
        # A contact's emails (or phones): "contact_id IN (…) AND kind = ?" on both columns. With the
        # contact alone indexed, SQLite took the unique index's first column, kind, and read every
        # email address of every contact to find a ticket's people in copy.
        indexes = [models.Index(fields=["contact", "kind"], name="contact_point_by_contact")]

    def __str__(self) -> str:
        return self.value

    @property
    def sms_opted_out(self) -> bool:
        return self.sms_opted_out_at is not None
