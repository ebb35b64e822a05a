from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext_lazy
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
    # CC-01 merge: a contact merged into another keeps only this pointer (its page leads there).
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("merged into")
    )
    # CC-01 erasure (GDPR): the personal data is gone; the row stays for the tickets it anonymously holds.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    # The postal address (CC-01): simple fields, as the agent types them.
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    # The values of the installation's custom fields (ContactField), keyed by the field's id as a
    # string: text as typed, a number as a decimal string, a date as YYYY-MM-DD, a choice as its
    # words. A field switched off keeps its values here. Written only by contacts.actions.
    custom_values = models.JSONField(_("custom fields"), default=dict, blank=True)
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
        if self.erased_at is not None:
            return gettext("Erased contact #%(number)s") % {"number": self.pk}
        if self.kind == self.Kind.COMPANY:
            return self.company_name
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def greeting_name(self) -> str:
        """The name an email greets ("Hello John"): first name of a person, else the display name."""
        if self.kind == self.Kind.PERSON and self.first_name:
            return self.first_name
        return self.display_name

    @property
    def address_lines(self) -> list[str]:
        """The postal address as it is written on an envelope: street, then postcode and city,
        then country; empty parts left out."""
        town = f"{self.postcode} {self.city}".strip()
        return [line for line in (self.street, town, self.country) if line]


class ContactField(models.Model):
    """A field every contact has in this installation, defined by an administrator (CC-01):
    "Customer number", "Date of birth", "Segment"… Its values live on the contact."""

    class Kind(models.TextChoices):
        TEXT = "text", pgettext_lazy("kind of field", "Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For a choice: one choice a line, in the order offered.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Switched off, it is no longer shown; the values stay.")
    )

    class Meta:
        verbose_name = _("contact field")
        verbose_name_plural = _("contact fields")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class ContactPoint(models.Model):
    """An email address or E.164 phone number of a contact: the keys inbound matching uses."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")

    class Label(models.TextChoices):
        """Which of the contact's numbers or addresses it is (CC-01)."""

        WORK = "work", _("Work")
        HOME = "home", _("Home")
        MOBILE = "mobile", _("Mobile")
        OTHER = "other", _("Other")

    # Indexed with the kind below: a contact's emails are one index lookup.
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="points", db_index=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=254, help_text=_("Lower-case email or E.164 phone number."))
    label = models.CharField(_("label"), max_length=10, choices=Label.choices, blank=True)
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


class ConsentPurpose(models.Model):
    """What a contact may agree to (CC-01, GDPR): the list administrators keep in the admin."""

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("In English."))
    name_pl = models.CharField(_("name in Polish"), max_length=200, blank=True, help_text=_("Empty: the English name."))
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active purposes can be given; withdrawing is always possible.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("consent purpose")
        verbose_name_plural = _("consent purposes")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language."""
        if (get_language() or "").startswith("pl") and self.name_pl:
            return self.name_pl
        return self.name


class Consent(models.Model):
    """One record of a contact giving or withdrawing a consent. Append-only: the history of a
    purpose is its records in time order, and the latest one is the current state."""

    class Method(models.TextChoices):
        PHONE = "phone", _("By phone")
        EMAIL = "email", _("By email")
        WEB_FORM = "web_form", _("Web form")
        IN_PERSON = "in_person", _("In person")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consents", db_index=False)
    purpose = models.ForeignKey(ConsentPurpose, on_delete=models.PROTECT, related_name="+", verbose_name=_("purpose"))
    given = models.BooleanField(_("given"))
    recorded_at = models.DateTimeField(_("when"), default=timezone.now)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["contact", "purpose", "recorded_at"], name="consent_history")]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.purpose_id} {'given' if self.given else 'withdrawn'}"


class ContactEvent(models.Model):
    """The contact's own history (CC-01): merges and erasure; the consents keep theirs."""

    class Kind(models.TextChoices):
        MERGED = "merged", _("Merged")
        ERASED = "erased", _("Erased")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("contact history entry")
        verbose_name_plural = _("contact history")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.contact_id}"


class ErasureRecord(models.Model):
    """That a contact's personal data was erased (GDPR), by whom and how much: never the data itself."""

    contact_number = models.PositiveBigIntegerField(_("contact number"))
    erased_at = models.DateTimeField(_("erased"), default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    counts = models.JSONField(_("what was erased"), default=dict, help_text="{what: how many}")

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"#{self.contact_number} {self.erased_at:%Y-%m-%d}"
