"""Tickets, their statuses and sources, the ticket counter and who has read what."""

from __future__ import annotations

import re
import secrets
from email.utils import formataddr

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from switchboard.contacts.models import Contact
from switchboard.core.models import TimeStampedModel
from switchboard.tickets.models.groups import Group

# The ticket token in our mail's subject (Ticket.subject_token), as it comes back in answers.
SUBJECT_TOKEN = re.compile(r"\[Ticket#(\d{1,18})\]", re.IGNORECASE)


class StatusKind(models.TextChoices):
    """The fixed kinds of status (CORE-04). The kind, never the name, drives behaviour and icons."""

    NEW = "new", _("New (unused)")
    NEEDS_CONTACT = "needs_contact", _("Needs contact")
    WAITING_CONTACT = "waiting_contact", _("Waiting for the contact")
    SCHEDULED = "scheduled", _("Scheduled")
    PENDING = "pending", _("Pending")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    CLOSED_SUCCESS = "closed_success", _("Closed with success")
    SUCCESS_CANCELLED = "success_cancelled", _("Success cancelled and closed")

    @classmethod
    def closed_kinds(cls) -> frozenset[StatusKind]:
        return frozenset({cls.CLOSED, cls.CLOSED_SUCCESS, cls.SUCCESS_CANCELLED})

    @classmethod
    def needing_action(cls) -> frozenset[StatusKind]:
        """Kinds where the next move is the team's: the "messages needing action" count."""
        return frozenset({cls.NEW, cls.NEEDS_CONTACT})


# The name each kind's built-in status starts with (stored in English, shown in the reader's
# language until the group renames it). A group has one status of each kind to begin with.
BUILT_IN_STATUS_NAMES: dict[str, str] = {
    StatusKind.NEW: gettext_noop("New"),
    StatusKind.NEEDS_CONTACT: gettext_noop("Call the contact"),
    StatusKind.WAITING_CONTACT: gettext_noop("Waiting for the contact"),
    StatusKind.SCHEDULED: gettext_noop("Scheduled"),
    StatusKind.PENDING: gettext_noop("With another team"),
    StatusKind.COMPLETED: gettext_noop("Completed"),
    StatusKind.CLOSED: gettext_noop("Closed"),
    StatusKind.CLOSED_SUCCESS: gettext_noop("Closed with success"),
    StatusKind.SUCCESS_CANCELLED: gettext_noop("Success cancelled"),
}

_BUILT_IN_NAMES = frozenset(BUILT_IN_STATUS_NAMES.values())

# Icon (Bootstrap Icons name) and colour of each kind, as the seed describes them.
STATUS_KIND_LOOK: dict[str, tuple[str, str]] = {
    StatusKind.NEW: ("bi-circle", "#6c757d"),
    StatusKind.NEEDS_CONTACT: ("bi-telephone-fill", "#e0a800"),
    StatusKind.WAITING_CONTACT: ("bi-telephone-fill", "#198754"),
    StatusKind.SCHEDULED: ("bi-hourglass-split", "#0d6efd"),
    StatusKind.PENDING: ("bi-pause-circle", "#6f42c1"),
    StatusKind.COMPLETED: ("bi-check-circle-fill", "#198754"),
    StatusKind.CLOSED: ("bi-x-circle", "#6c757d"),
    StatusKind.CLOSED_SUCCESS: ("bi-trophy", "#198754"),
    StatusKind.SUCCESS_CANCELLED: ("bi-slash-circle", "#dc3545"),
}


class Status(models.Model):
    """A group's own status, named as the group likes, over one of the fixed kinds."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="statuses")
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_(
            "A built-in name (New, Closed…) is shown in each reader's language; a name of your own as written."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StatusKind.choices)
    colour = models.CharField(_("colour"), max_length=7, blank=True, help_text=_("Empty: the kind's colour."))
    icon = models.CharField(_("icon"), max_length=40, blank=True, help_text=_("Empty: the kind's icon."))
    is_initial = models.BooleanField(_("initial"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("status")
        verbose_name_plural = _("statuses")
        ordering = ["group", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="status_unique_name_per_group"),
            models.UniqueConstraint(
                fields=["group"], condition=models.Q(is_initial=True), name="status_one_initial_per_group"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_built_in(self) -> bool:
        """Still named as a built-in status: the name follows the reader's language. Any kind's
        built-in name counts, so that a status whose kind a manager changed, keeping its name,
        goes on being shown in each reader's language (the history shows names so too)."""
        return self.name in _BUILT_IN_NAMES

    @property
    def display_name(self) -> str:
        """The name to show: a built-in name in the reader's language, a group's own name as it is."""
        return gettext(self.name) if self.is_built_in else self.name

    @property
    def is_closed(self) -> bool:
        return self.kind in StatusKind.closed_kinds()

    @property
    def icon_name(self) -> str:
        return self.icon or STATUS_KIND_LOOK[self.kind][0]

    @property
    def colour_value(self) -> str:
        return self.colour or STATUS_KIND_LOOK[self.kind][1]


class TicketSource(models.TextChoices):
    """How a ticket came in (CC-02)."""

    OUTBOUND = "outbound", _("Outbound campaign")
    PHONE = "phone", _("Inbound call")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Live chat")
    WEB = "web", _("Web")
    SMS = "sms", _("SMS")
    AGENT = "agent", _("Agent")


SOURCE_ICONS: dict[str, str] = {
    TicketSource.OUTBOUND: "bi-megaphone",
    TicketSource.PHONE: "bi-telephone-inbound",
    TicketSource.EMAIL: "bi-envelope",
    TicketSource.CHAT: "bi-chat-dots",
    TicketSource.WEB: "bi-globe",
    TicketSource.SMS: "bi-phone",
    TicketSource.AGENT: "bi-person-badge",
}


# How much of the contact's latest message a ticket keeps for the lists (Ticket.last_contact_excerpt).
EXCERPT_LENGTH = 200


def new_portal_key() -> str:
    """A fresh key for a ticket's links (Ticket.portal_key)."""
    return secrets.token_urlsafe(12)


class Counter(models.Model):
    """Monotonic counters; ``ticket`` hands out ticket numbers, never reused after deletion."""

    name = models.CharField(max_length=50, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Ticket(TimeStampedModel):
    number = models.PositiveBigIntegerField(_("number"), unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("group"))
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("contact")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_tickets",
        verbose_name=_("owner"),
    )
    title = models.CharField(_("title"), max_length=300)
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("status"))
    next_action = models.CharField(_("next action"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=TicketSource.choices, default=TicketSource.AGENT)
    form_data = models.JSONField(_("form data"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every change; stale saves are refused.")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    first_replied_at = models.DateTimeField(
        _("first answered"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("An agent's first answer to the contact."),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True, editable=False)
    owner_opened_at = models.DateTimeField(
        _("opened by its owner"), null=True, blank=True, editable=False, help_text=_("Since it was assigned.")
    )
    cc_contacts = models.ManyToManyField(
        Contact, blank=True, related_name="cc_tickets", verbose_name=_("in copy"), help_text="MAIL-12"
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follows"),
        help_text=_("The closed ticket this one continues."),
    )
    named_ticket = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="named_by",
        verbose_name=_("names ticket"),
        help_text=_("The ticket that the message which opened this one named, from a sender who is not on it."),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
        db_index=False,  # indexed where set (Meta): "not merged" matches nearly every ticket
    )
    category = models.ForeignKey(
        "Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("category"),
    )
    # Inside every link to the ticket in our mail (portal/links.py): a new key, given when the
    # ticket is merged or its contact changes, makes the earlier links stop working. Tickets
    # older than the key have "" until then, so that the links already sent keep working (and so
    # have rows written in SQL, such as the benchmark's).
    portal_key = models.CharField(max_length=24, blank=True, default=new_portal_key, db_default="", editable=False)
    # The start of the contact's latest message, one line: the grey line under the title in lists.
    last_contact_excerpt = models.CharField(
        _("latest from the contact"), max_length=EXCERPT_LENGTH, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            # CORE-03: anything new from a contact joins their open ticket in the group.
            models.UniqueConstraint(
                fields=["contact", "group"],
                condition=models.Q(closed_at__isnull=True),
                name="ticket_one_open_per_contact_and_group",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "closed_at", "updated_at"], name="ticket_group_open_updated"),
            # The open-tickets list's default order, read straight off the index (CORE-05).
            models.Index(
                fields=["group", "updated_at", "number"],
                condition=models.Q(closed_at__isnull=True),
                name="ticket_open_by_updated",
            ),
            # What the counts of open tickets filter on (the list's count, the views' counts, home's
            # figures and the oldest ticket needing a reply), so that PostgreSQL reads them from the
            # index alone instead of every open ticket's row ("id": what COUNT counts; a key column,
            # not INCLUDE, which SQLite lacks and Django warns of at every command).
            models.Index(
                fields=["group", "status", "owner", "source", "due_at", "created_at", "number", "id"],
                condition=models.Q(closed_at__isnull=True),
                name="ticket_open_counts",
            ),
            models.Index(fields=["owner", "closed_at"], name="ticket_owner_open"),
            # The reports' periods (ADMIN-02): tickets created between two moments in some groups
            # (those closed between two: ticket_group_open_updated).
            models.Index(fields=["group", "created_at"], name="ticket_group_created"),
            # Only the few merged tickets: an index of every ticket's empty "merged into" drew
            # SQLite (no statistics) away from the indexes above, to read the whole table.
            models.Index(fields=["merged_into"], condition=models.Q(merged_into__isnull=False), name="ticket_merged"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def source_icon(self) -> str:
        return SOURCE_ICONS[self.source]

    @property
    def contact_language(self) -> str:
        """The language the contact is written to in: their own, else the group's."""
        return (self.contact.language if self.contact else "") or self.group.language

    @property
    def subject_token(self) -> str:
        """The mark in the subject of our mail that threads the answers back to this ticket (MAIL-03)."""
        return f"[Ticket#{self.number}]"

    @property
    def sender(self) -> str:
        """The From header of mail about this ticket: the group's, with the per-ticket address
        "volunteers+t12@example.org" where the group uses plus-addressing (MAIL-03)."""
        address = self.group.from_address
        if self.group.plus_addressing:
            local, _at, domain = address.partition("@")
            address = f"{local}+t{self.number}@{domain}"
        return formataddr((self.group.name, address))


class TicketRead(models.Model):
    """When an agent last opened a ticket: anything newer on it shows the ticket as unread to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "ticket"], name="ticket_read_unique_user_ticket")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.ticket_id} at {self.read_at}"
