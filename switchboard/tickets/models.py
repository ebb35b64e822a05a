from __future__ import annotations

import re
from email.utils import formataddr

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from switchboard.contacts.models import Contact
from switchboard.core.models import TimeStampedModel
from switchboard.core.quotes import split_quoted

# The ticket token in our mail's subject (Ticket.subject_token), as it comes back in answers.
SUBJECT_TOKEN = re.compile(r"\[Ticket#(\d{1,18})\]", re.IGNORECASE)


class Group(TimeStampedModel):
    """A queue, team or campaign: owns its statuses, members and settings (CORE-01)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    signature = models.TextField(
        _("signature"), blank=True, help_text=_("Added under every reply sent from this group.")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the mail contacts get, unless a contact has their own."),
    )
    purge_photos_on_close = models.BooleanField(
        _("delete photos on close"), default=False, help_text=_("Closing a ticket deletes its photos.")
    )
    contact_titles = models.BooleanField(
        _("title new tickets “Contact (Group)”"),
        default=False,
        help_text=_(
            "For campaigns: a new ticket is named after its contact and this group, not after the "
            "message’s subject or the call."
        ),
    )
    owner_on_open = models.BooleanField(
        _("take ownership on open"),
        default=False,
        help_text=_("An agent who opens an unowned ticket becomes its owner."),
    )
    reply_address = models.EmailField(
        _("reply address"),
        blank=True,
        help_text=_("The From address of replies to contacts. Empty: the system's address (DEFAULT_FROM_EMAIL)."),
    )

    class ReplyToClosed(models.TextChoices):
        REOPEN = "reopen", _("Reopen the ticket")
        NEW_TICKET = "new", _("Open a new ticket that refers to it")

    reply_to_closed = models.CharField(
        _("a reply to a closed ticket"), max_length=10, choices=ReplyToClosed.choices, default=ReplyToClosed.REOPEN
    )
    autoresponder = models.BooleanField(
        _("acknowledge new tickets"),
        default=False,
        help_text=_("A person who writes in gets an automatic answer with the ticket number (never machines)."),
    )
    resolution_notice = models.BooleanField(
        _("tell the contact when a ticket is closed"),
        default=False,
        help_text=_("The contact gets the resolution notice, with a link to the conversation."),
    )
    plus_addressing = models.BooleanField(
        _("per-ticket reply addresses"),
        default=False,
        help_text=_("Replies go out from name+t<number>@…, so answers find their ticket even without the subject."),
    )

    class AssignmentRule(models.TextChoices):
        NONE = "none", _("Do not assign")
        LIMIT = "limit", _("The next available agent under the limit")
        RANDOM = "random", _("A random available agent")
        LEAST_LOAD = "least_load", _("The available agent with the fewest open tickets")
        WORKFLOW = "workflow", _("Nobody: tell the workflow's people")

    assignment_rule = models.CharField(
        _("assign new tickets to"),
        max_length=12,
        choices=AssignmentRule.choices,
        default=AssignmentRule.NONE,
        help_text=_("Only available 1st-level agents are chosen."),
    )
    assignment_limit = models.PositiveSmallIntegerField(
        _("open tickets per agent"),
        default=5,
        help_text=_("With “under the limit”: an agent with this many open tickets gets no more; tickets wait."),
    )
    reassign_unopened_minutes = models.PositiveIntegerField(
        _("reassign unopened tickets after (minutes)"),
        null=True,
        blank=True,
        help_text=_("A ticket its new owner has not opened by then goes to the next agent by the rule. Empty: never."),
    )
    workflow_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="workflow_groups",
        verbose_name=_("workflow people"),
        help_text=_("With “Nobody: tell the workflow's people”: who is told of each new ticket."),
    )
    retention_days = models.PositiveIntegerField(
        _("keep closed tickets (days)"),
        null=True,
        blank=True,
        help_text=_("Closed tickets older than this are deleted with their history. Empty: keep forever."),
    )

    class Voicemail(models.TextChoices):
        ALLOWED = "allowed", _("Anyone may leave a voicemail")
        NOT_ALLOWED = "not_allowed", _("Nobody may leave a voicemail")
        APPOINTMENT = "appointment", _("Only callers with an appointment")

    voicemail = models.CharField(
        _("voicemail"),
        max_length=12,
        choices=Voicemail.choices,
        default=Voicemail.ALLOWED,
        help_text=_(
            "A caller has an appointment when they have an open ticket in this group that is scheduled or has a "
            "due time, or when their contact is marked as having one."
        ),
    )
    voicemail_refusal = models.CharField(
        _("message to callers who may not leave a voicemail"),
        max_length=500,
        blank=True,
        help_text=_("Spoken before the call ends. Empty: “Please use the form on our website. Goodbye.”"),
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def from_address(self) -> str:
        """The address the group's mail comes from: its reply address, else the system's."""
        return self.reply_address or settings.DEFAULT_FROM_EMAIL

    @property
    def sender(self) -> str:
        """The From header of the group's mail: "Volunteers <volunteers@example.org>"."""
        return formataddr((self.name, self.from_address))


class CannedResponse(TimeStampedModel):
    """A titled answer a group's agents insert into replies (MAIL-05). Text in [square brackets]
    is a placeholder that must be replaced before the reply can be sent."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="canned_responses")
    title = models.CharField(_("title"), max_length=200)
    body_html = models.TextField(_("text"), help_text="Sanitised before it is stored.")
    # Like a macro, a canned response may also change the ticket when the reply is sent.
    set_status = models.ForeignKey(
        "Status",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("then the status"),
        help_text=_("Empty: Send sets “waiting for the contact”."),
    )
    take_ticket = models.BooleanField(_("the sender becomes the owner"), default=False)
    set_next_action = models.CharField(_("then the next action"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["group", "title"], name="canned_response_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    """An agent's place in a group: role, level, availability and notification days."""

    class Role(models.TextChoices):
        AGENT = "agent", _("Agent")
        HOME_AGENT = "home_agent", _("Home agent")
        MANAGER = "manager", _("Manager")
        ADMINISTRATOR = "administrator", _("Administrator")

    class Level(models.IntegerChoices):
        FIRST = 1, _("1st level")
        SECOND = 2, _("2nd level")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.FIRST)
    available = models.BooleanField(_("available"), default=True)
    notify_weekdays = models.JSONField(
        _("new-ticket emails on"), default=list, blank=True, help_text=_("Weekdays 0 (Monday) to 6 (Sunday).")
    )
    last_assigned_at = models.DateTimeField(
        _("last assigned a ticket"), null=True, blank=True, help_text=_("Ties go to who waited longest.")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="membership_unique_user_group")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.group}"

    @property
    def can_manage(self) -> bool:
        return self.role in {self.Role.MANAGER, self.Role.ADMINISTRATOR}


class SavedView(TimeStampedModel):
    """An agent's own view of the tickets in their groups: a built-in view (``base``) narrowed by
    filters (group, owner, status kind, source), under a name of their choosing."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(_("name"), max_length=100)
    base = models.CharField(max_length=40, help_text="The key of a built-in view (ticket_views.py).")
    filters = models.JSONField(default=dict, blank=True, help_text="{group, owner, status, source}")

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_view_unique_name_per_owner")]

    def __str__(self) -> str:
        return self.name


class AgentProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile")
    initials = models.CharField(_("initials"), max_length=4)
    signature = models.TextField(_("signature"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the browser's language."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # PHONE-05: click-to-call rings this phone first, then connects the contact.
    phone = models.CharField(_("phone"), max_length=16, blank=True, help_text=_("E.164, e.g. +48601234567."))

    class Meta:
        verbose_name = _("agent profile")
        verbose_name_plural = _("agent profiles")

    def __str__(self) -> str:
        return self.initials


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
    StatusKind.SUCCESS_CANCELLED: gettext_noop("Cancelled"),
}

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
        """Still named as the kind's built-in status: the name follows the reader's language."""
        return self.name == BUILT_IN_STATUS_NAMES.get(self.kind)

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
    )
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
            models.Index(fields=["owner", "closed_at"], name="ticket_owner_open"),
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


class ActivityKind(models.TextChoices):
    EMAIL_IN = "email_in", _("Email from contact")
    EMAIL_OUT = "email_out", _("Email to contact")
    NOTE = "note", _("Note")
    ESCALATION = "escalation", _("Escalation note")
    CALL_IN = "call_in", _("Inbound call")
    CALL_OUT = "call_out", _("Outbound call")
    VOICEMAIL = "voicemail", _("Voicemail")
    SMS_IN = "sms_in", _("SMS from contact")
    SMS_OUT = "sms_out", _("SMS to contact")
    CHAT = "chat", _("Chat")
    # History (CORE-09): changes recorded by the actions.
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    MERGED = "merged", _("Merged")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")

    @classmethod
    def history_kinds(cls) -> frozenset[ActivityKind]:
        return frozenset({cls.CREATED, cls.CHANGED, cls.MERGED, cls.CLOSED, cls.REOPENED})


class FileFetch(models.TextChoices):
    """Files a timeline entry waits for from a provider (a voicemail's recording, an MMS's photos)."""

    NONE = "", _("nothing to fetch")
    PENDING = "pending", _("being fetched")
    FAILED = "failed", _("could not be fetched")


class Activity(models.Model):
    """One entry of a ticket's timeline: a message, note or call, or a recorded change.

    Append-only: nothing updates or deletes an activity except moving it with its ticket's
    merge (or to another ticket, CC-07) and the photo purge of its attachments.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True, help_text="Sanitised before it is stored.")
    changes = models.JSONField(default=list, blank=True, help_text="[{field, old, new}] for history entries.")
    # Channel fields
    message_id = models.CharField(max_length=998, blank=True)
    from_address = models.CharField(max_length=254, blank=True)
    to_address = models.CharField(max_length=1000, blank=True)
    duration = models.PositiveIntegerField(null=True, blank=True, help_text="Seconds, for calls and voicemail.")
    provider_id = models.CharField(max_length=200, blank=True)
    # Mail trust: a message from an agent's address that did not prove it is the agent's.
    sender_unproven = models.BooleanField(default=False, db_default=False)
    # People in copy of a message from someone not on the ticket: an agent may add them, nothing else does.
    offered_cc = models.CharField(max_length=1000, blank=True, default="", db_default="")
    # A voicemail's recording or an MMS's photos at the provider: pending until a job has fetched
    # them, failed when it gave up (the timeline says which).
    file_fetch = models.CharField(max_length=10, choices=FileFetch.choices, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="activity_ticket_time"),
            models.Index(fields=["message_id"], name="activity_message_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.ticket_id}"

    @property
    def offered_cc_addresses(self) -> list[str]:
        return [address.strip() for address in self.offered_cc.split(",") if address.strip()]

    @property
    def new_and_quoted_text(self) -> tuple[str, str]:
        """An incoming message's own words, and the earlier mail it quotes (folded away on the
        timeline, MAIL-04); other entries quote nothing."""
        if self.kind != ActivityKind.EMAIL_IN:
            return self.body, ""
        return split_quoted(self.body)


# Recordings played on the timeline (voicemail, PHONE-03).
AUDIO_TYPES = frozenset({"audio/wav", "audio/x-wav", "audio/mpeg"})


def attachment_path(instance: Attachment, filename: str) -> str:
    """Files of a ticket together; the name made safe for any file system (the shown name is
    ``Attachment.filename``)."""
    safe = re.sub(r"[^\w.-]+", "_", filename).strip("._")[-100:] or "file"
    return f"attachments/{instance.activity.ticket_id}/{safe}"


class Attachment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    thumbnail = models.FileField(upload_to="thumbnails/", max_length=300, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True, help_text=_("From the photo's EXIF data."))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename

    @property
    def is_audio(self) -> bool:
        """A recording (a voicemail), played on the timeline; the file itself is served as audio
        only if its bytes are (downloads.py)."""
        return self.content_type in AUDIO_TYPES

    @property
    def is_photo(self) -> bool:
        """A real image (by its bytes, not the sender's word), shown by its thumbnail."""
        return bool(self.thumbnail)


class SearchEntry(models.Model):
    """A piece of text that finds a ticket: its title, an activity's body, its contact's name.

    The full-text index over ``text`` is database-specific (see ``search.py``): an FTS5 table kept
    by triggers on SQLite, a GIN expression index on PostgreSQL. A migration that makes Django
    rebuild this table on SQLite drops the triggers and must re-create them.
    """

    class Source(models.TextChoices):
        TITLE = "title"
        ACTIVITY = "activity"
        CONTACT = "contact"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    source_id = models.BigIntegerField()
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id", "ticket"], name="search_entry_unique_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"
