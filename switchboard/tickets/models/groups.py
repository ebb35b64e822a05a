"""A group (a team and its inbox), its members and their profiles, its canned responses, and the views agents save."""

from __future__ import annotations

from email.utils import formataddr

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.core.models import TimeStampedModel


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
    timer_starts_on_open = models.BooleanField(
        _("timer starts on open"),
        default=False,
        help_text=_(
            "The ticket page's timer starts when an agent opens a ticket; otherwise with its button or the key m."
        ),
    )
    own_tickets_only = models.BooleanField(
        _("agents see only their own tickets"),
        default=False,
        help_text=_(
            "Agents and home agents see and work only the tickets they own and the unowned ones to take;"
            " managers and administrators see every ticket of the group."
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
    website = models.BooleanField(
        _("takes new messages from the website"),
        default=True,
        help_text=_(
            "Its web form, its live chat and new tickets in the customer portal. Switched off, the form and the"
            " chat say so; contacts still answer their tickets."
        ),
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
    # The shift (seed 003): the time clock, wrap-up and the queue report.
    shift_hours = models.PositiveSmallIntegerField(
        _("close a forgotten shift after (hours)"),
        default=12,
        help_text=_("An agent who forgets to clock out is clocked out then, and their manager is told."),
    )
    wrap_up_seconds = models.PositiveSmallIntegerField(
        _("wrap-up after a call (seconds)"),
        default=30,
        help_text=_("Then the agent is ready again."),
    )
    queue_report_minutes = models.PositiveSmallIntegerField(
        _("queue report every (minutes)"),
        null=True,
        blank=True,
        help_text=_("Agents on shift report the queue this often. Empty: no queue reports."),
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

    # Callbacks (CC-03): the status a callback sets. Empty: the group's first status of the
    # "scheduled" kind (callbacks.callback_status).
    callback_status_private = models.ForeignKey(
        "Status",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status of a private callback"),
        help_text=_("Empty: the first “scheduled” status."),
    )
    callback_status_public = models.ForeignKey(
        "Status",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status of a public callback"),
        help_text=_("Empty: the first “scheduled” status."),
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
    # The solutions library (AGENT-04): by category, drafts saved from sent replies until a
    # manager publishes them; only published ones are offered in the reply composer.
    category = models.ForeignKey(
        "Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="solutions",
        verbose_name=_("category"),
    )
    published = models.BooleanField(_("published"), default=True, db_default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    saved_from = models.ForeignKey(
        "Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("saved from")
    )
    use_count = models.PositiveIntegerField(_("used"), default=0, db_default=0)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

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

    class PhoneState(models.TextChoices):
        """PHONE-09: one switch for calls and new tickets (agent_states.py)."""

        SIGNED_OUT = "signed_out", _("Signed out")
        NOT_READY = "not_ready", _("Not ready")
        READY = "ready", _("Ready")
        ON_CALL = "on_call", _("On a call")
        WRAP_UP = "wrap_up", _("Wrap-up")

    # Where new tickets may go (assignment.choose_owner): an agent on a call or in wrap-up is at work
    # and answers a ticket after the call; one not ready (a break) or signed out is away.
    TICKET_STATES = (PhoneState.READY, PhoneState.ON_CALL, PhoneState.WRAP_UP)

    phone_state = models.CharField(
        _("phone state"), max_length=12, choices=PhoneState.choices, default=PhoneState.SIGNED_OUT
    )
    phone_state_reason = models.CharField(_("reason"), max_length=100, blank=True)
    phone_state_since = models.DateTimeField(_("in this state since"), null=True, blank=True)
    # Wrap-up ends by itself then (agent_states.do_end_wrap_ups); empty in every other state.
    phone_state_until = models.DateTimeField(_("wrap-up until"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent profile")
        verbose_name_plural = _("agent profiles")

    def __str__(self) -> str:
        return self.initials
