from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.validators import validate_email
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.utils.functional import Promise
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.points import normalise_email, normalise_phone
from switchboard.contacts.selectors import find_contact_by_point
from switchboard.core.widgets import LocalDateInput, LocalDateTimeInput, small_controls
from switchboard.tickets.actions import Keep, TicketHeader
from switchboard.tickets.assignment import EscalateTo
from switchboard.tickets.bulk import BulkAction, BulkChange
from switchboard.tickets.file_fields import FilesField
from switchboard.tickets.models import CannedResponse, Category, Group, Status, StatusKind, Ticket, TicketSource
from switchboard.tickets.permissions import visible_tickets
from switchboard.tickets.selectors import list_group_members
from switchboard.tickets.settings_actions import GROUP_SETTINGS, AgentSettings
from switchboard.tickets.titles import TITLE_LENGTH, has_line_break

StrOrPromise = str | Promise


class ReadOnceChoiceIterator(ModelChoiceIterator):
    """A menu's rows read once per form, however often the page walks them: Django's iterator reads
    them again each time, and a menu without an empty choice is walked twice (whether the select is
    required, then its options): the ticket page read its statuses twice. Rows the page has already
    read (the field's ``rows``) are shown without a query; the queryset still checks what is sent."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = getattr(self.field, "rows", None)
        # The field's own queryset: its rows are kept after the first walk.
        for obj in self.queryset if rows is None else rows:
            yield self.choice(obj)


class AgentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    iterator = ReadOnceChoiceIterator

    def label_from_instance(self, obj: Any) -> str:
        profile = getattr(obj, "agent_profile", None)
        name = obj.get_full_name() or obj.get_username()
        return f"{name} ({profile.initials})" if profile else name


class StatusChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    iterator = ReadOnceChoiceIterator


def validate_one_line(value: str) -> None:
    if has_line_break(value):
        raise forms.ValidationError(_("A title is one line: remove the line breaks."))


class TicketHeaderForm(forms.Form):
    """The editable header of the ticket page (CORE-07), saved in one go with Update."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_LENGTH, validators=[validate_one_line])
    status = StatusChoiceField(label=_("Status"), queryset=Status.objects.none(), empty_label=None)
    owner = AgentChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("— nobody —")
    )
    next_action = forms.CharField(label=_("Next action"), max_length=300, required=False)
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=LocalDateTimeInput(),
    )
    # Not sent (an older page, a script): the source stays as it is.
    source = forms.ChoiceField(label=_("Source"), choices=TicketSource.choices, required=False)
    # ROUTE-06: only where the group has categories; not sent, it stays as it is.
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, empty_value=None, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": ticket.title,
                "status": ticket.status_id,
                "owner": ticket.owner_id,
                "next_action": ticket.next_action,
                "due_at": ticket.due_at,
                "source": ticket.source,
                "category": ticket.category_id,
                "version": ticket.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.categories = category_choices(self.fields, ticket.group)
        small_controls(self.fields.values())
        self.fields["status"].queryset = ticket.group.statuses.exclude(kind__in=StatusKind.closed_kinds())  # type: ignore[attr-defined]
        self.fields["owner"].queryset = list_group_members(ticket.group)  # type: ignore[attr-defined]

    def show_statuses(self, statuses: list[Status]) -> None:
        """The status menu from the group's statuses the page has read (its open ones), not a
        query of its own: the ticket page reads them once for this menu and Close's."""
        closed = StatusKind.closed_kinds()
        self.fields["status"].rows = [status for status in statuses if status.kind not in closed]  # type: ignore[attr-defined]

    def members(self) -> list[User]:
        """The group's members of the owner menu, read once for it and whoever else needs them."""
        return list(self.fields["owner"].queryset)  # type: ignore[attr-defined]

    def header(self) -> TicketHeader:
        data = self.cleaned_data
        owner: User | None = data["owner"]
        return TicketHeader(
            title=data["title"],
            status=data["status"],
            owner=owner,
            next_action=data["next_action"],
            due_at=data["due_at"],
            source=TicketSource(data["source"]) if data["source"] else None,
            category=self.categories.get(data["category"]) if "category" in self.data else Keep.AS_IT_IS,
        )


def category_choices(
    fields: dict[str, forms.Field], group: Group, *, empty: StrOrPromise = ""
) -> dict[int | None, Category | None]:
    """Fill a form's "category" menu with the group's categories (one query), or take the menu
    away where the group has none; returns the categories by id, None for "no category"."""
    rows = group.categories.order_by("position", "name")  # Meta's order without its join to the group's name
    categories: dict[int | None, Category | None] = {category.pk: category for category in rows}
    if not categories:
        del fields["category"]
        return {}
    choices = [("", empty or _("— no category —")), *((pk, str(category)) for pk, category in categories.items())]
    fields["category"].choices = choices  # type: ignore[attr-defined]
    categories[None] = None
    return categories


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000)


class RichTextField(forms.CharField):
    """HTML from the editor (``tickets/_editor.html``); the actions sanitise it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=200_000, **kwargs)


class ReplyForm(forms.Form):
    """Reply to contact (MAIL-05): the recipient (the contact's address to begin with), the
    answer and the files sent with it (CORE-16)."""

    to_address = forms.EmailField(label=_("To"))
    cc = forms.CharField(label=_("Cc"), required=False, help_text=_("Addresses separated by commas."))
    body_html = RichTextField(label=_("Reply"), required=False)
    attachments = FilesField(label=_("Files"), required=False)

    def clean_cc(self) -> list[str]:
        addresses = [address.strip() for address in self.cleaned_data["cc"].split(",") if address.strip()]
        for address in addresses:
            validate_email(address)
        return addresses


class CannedResponseForm(forms.ModelForm):  # type: ignore[type-arg]
    body_html = RichTextField(label=_("Text"))
    # Managers only (the view drops it for others): a draft is not offered in the reply composer.
    draft = forms.BooleanField(
        label=_("Draft: not offered in the reply composer yet"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = CannedResponse
        fields = ["title", "body_html", "category", "set_status", "take_ticket", "set_next_action"]
        widgets = {
            "category": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "set_status": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "take_ticket": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "set_next_action": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        }

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["set_status"]
        status.queryset = group.statuses.exclude(kind__in=StatusKind.closed_kinds())  # type: ignore[attr-defined]
        status.empty_label = _("Waiting for the contact (as every reply)")  # type: ignore[attr-defined]
        category = self.fields["category"]
        category.queryset = group.categories.all()  # type: ignore[attr-defined]
        category.empty_label = _("Any category")  # type: ignore[attr-defined]
        self.fields["draft"].initial = self.instance.pk is not None and not self.instance.published

    def published(self) -> bool | None:
        """Whether to publish, from the Draft box; None without it (as it was)."""
        draft = self.cleaned_data.pop("draft", None)
        return None if "draft" not in self.fields else not draft


class ReassignForm(forms.Form):
    """ "Assign to different group / ticket" (CORE-08): ``group:<id>`` moves, ``ticket:<number>`` merges."""

    target = forms.CharField(label=_("Assign to"))
    reset = forms.BooleanField(label=_("Reset status and form (campaign move)"), required=False)

    def target_group(self, groups: Any) -> Group | None:
        kind, _sep, value = self.cleaned_data["target"].partition(":")
        return groups.filter(pk=int(value)).first() if kind == "group" and value.isdigit() else None

    def target_number(self) -> int | None:
        kind, _sep, value = self.cleaned_data["target"].partition(":")
        return int(value) if kind == "ticket" and value.isdigit() else None


class ClosedSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control form-control-sm"}),
    )
    closed_from = forms.DateField(
        label=_("Closed from"),
        required=False,
        widget=LocalDateInput(attrs={"class": "form-control form-control-sm"}),
    )
    closed_to = forms.DateField(
        label=_("to"),
        required=False,
        widget=LocalDateInput(attrs={"class": "form-control form-control-sm"}),
    )
    category = forms.TypedChoiceField(
        label=_("Category"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category_choices(self.fields, group, empty=_("Any category"))


class CategoryFilterForm(forms.Form):
    """The open tickets' category filter (ROUTE-06), where the group has categories."""

    category = forms.TypedChoiceField(
        label=_("Category"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category_choices(self.fields, group, empty=_("Any category"))

    def chosen(self) -> int | None:
        return self.cleaned_data.get("category") if self.is_valid() else None


WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]


class AgentSettingsForm(forms.Form):
    """Personal settings (CORE-12); one weekday field per group of the agent."""

    initials = forms.CharField(label=_("Initials"), max_length=4, help_text=_("Shown on the tickets you own."))
    signature = forms.CharField(label=_("Signature"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Browser's language")), *settings.LANGUAGES]
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices)
    phone = forms.CharField(
        label=_("Your phone"),
        required=False,
        max_length=40,
        help_text=_("“Call” on a ticket rings this phone first, then connects the contact."),
    )

    def __init__(self, *args: Any, agent: User, **kwargs: Any) -> None:
        profile = getattr(agent, "agent_profile", None)
        self.memberships = list(agent.memberships.select_related("group").order_by("group__name"))
        initial = {
            "initials": profile.initials if profile else "",
            "signature": profile.signature if profile else "",
            "language": profile.language if profile else "",
            "time_zone": profile.time_zone if profile else "UTC",
            "phone": profile.phone if profile else "",
        }
        initial.update({f"weekdays_{m.group_id}": m.notify_weekdays for m in self.memberships})
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for membership in self.memberships:
            self.fields[f"weekdays_{membership.group_id}"] = forms.TypedMultipleChoiceField(
                label=membership.group.name,
                choices=WEEKDAYS,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            )
        small_controls(self.fields[name] for name in ("initials", "signature", "time_zone", "language", "phone"))

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        return normalise_phone(raw, region=settings.PHONE_REGION) if raw else ""

    def weekday_fields(self) -> list[forms.BoundField]:
        return [self[f"weekdays_{m.group_id}"] for m in self.memberships]

    def agent_settings(self) -> AgentSettings:
        data = self.cleaned_data
        return AgentSettings(
            initials=data["initials"],
            signature=data["signature"],
            language=data["language"],
            time_zone=data["time_zone"],
            notify_weekdays={m.group_id: data[f"weekdays_{m.group_id}"] for m in self.memberships},
            phone=data["phone"],
        )


class NewTicketForm(forms.Form):
    """ "Create new ticket" (CORE-05): for a contact known by email or phone, or a new one."""

    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(
        label=_("The contact's language"),
        required=False,
        choices=[("", _("As before (new contacts: the group's)")), *settings.LANGUAGES],
        help_text=_("The language of the mail they get."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_LENGTH,
        required=False,
        validators=[validate_one_line],
        help_text=_("Empty: “Contact name (Group)”."),
    )
    source = forms.ChoiceField(label=_("Source"), choices=TicketSource.choices, initial=TicketSource.AGENT)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, empty_value=None, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = category_choices(self.fields, group)
        small_controls(self.fields.values())

    def clean_phone(self) -> str:
        raw: str = self.cleaned_data["phone"]
        return normalise_phone(raw, region=settings.PHONE_REGION) if raw.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("first_name", "last_name", "email", "phone")):
            raise forms.ValidationError(_("Give the contact's name, email or phone."))
        data["category"] = self.categories.get(data.get("category"))
        return data


class BulkChangeForm(forms.Form):
    """The list's bulk bar (CORE-15): the selected tickets and the one change to make."""

    tickets = forms.TypedMultipleChoiceField(coerce=int)
    action = forms.ChoiceField(label=_("Action"), choices=BulkAction.choices)
    status = forms.ModelChoiceField(
        label=_("Status"), queryset=Status.objects.none(), required=False, empty_label=_("Choose a status…")
    )
    owner = AgentChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Choose an owner…")
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.none(), required=False, empty_label=_("Choose a group…")
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("Choose a source…")), *TicketSource.choices], required=False
    )
    parent = forms.IntegerField(label=_("Parent incident number"), min_value=1, required=False)

    def __init__(self, *args: Any, group: Group, groups: Any, user: User, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user  # the parents they may name: the tickets they may see, looked up only when linking
        self.fields["tickets"].choices = [(n, n) for n in numbers]  # type: ignore[attr-defined]
        open_statuses = group.statuses.exclude(kind__in=StatusKind.closed_kinds()).order_by("position", "id")
        self.fields["status"].queryset = open_statuses  # type: ignore[attr-defined]
        self.fields["owner"].queryset = list_group_members(group)  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups.exclude(pk=group.pk)  # type: ignore[attr-defined]
        for name in ("action", "status", "owner", "group", "source"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["parent"].widget.attrs.update({"class": "form-control form-control-sm", "placeholder": "#"})
        self.groups = groups

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = {BulkAction.SET_STATUS: "status", BulkAction.SET_OWNER: "owner", BulkAction.MOVE: "group"}
        if (field := needed.get(data.get("action", ""))) and not data.get(field):
            self.add_error(field, _("Choose one."))
        if data.get("action") == BulkAction.SET_SOURCE and not data.get("source"):
            self.add_error("source", _("Choose one."))
        if data.get("action") == BulkAction.LINK_PARENT:
            number = data.get("parent") or 0
            data["parent_ticket"] = visible_tickets(self.user).filter(number=number).first()
            if data["parent_ticket"] is None:
                self.add_error("parent", _("Give the number of a ticket of your groups."))
        return data

    def change(self) -> BulkChange:
        data = self.cleaned_data
        return BulkChange(
            action=BulkAction(data["action"]),
            status=data["status"],
            owner=data["owner"],
            group=data["group"],
            source=TicketSource(data["source"]) if data["source"] else None,
            parent=data.get("parent_ticket"),
        )


class LinkTicketForm(forms.Form):
    """The ticket page's "Link a ticket" (CORE-17): a number and how it is linked."""

    class How(models.TextChoices):
        RELATED = "related", _("Related ticket")
        CHILD = "child", _("Linked to this incident")
        PARENT = "parent", _("This ticket's parent incident")

    number = forms.IntegerField(label=_("Ticket number"), min_value=1)
    how = forms.ChoiceField(label=_("Link as"), choices=How.choices, initial=How.RELATED)


class IncidentUpdateForm(forms.Form):
    """The parent incident's update to the contacts of its linked tickets (CORE-17)."""

    body = forms.CharField(
        label=_("Update for the contacts of the linked tickets"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def body_html(self) -> str:
        return linebreaks(self.cleaned_data["body"], autoescape=True)


class MessageTemplateForm(forms.Form):
    """A group's wording of one kind of mail (MAIL-08); tags are checked by the action."""

    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    send = forms.BooleanField(label=_("Send this email"), required=False)


class EscalateForm(forms.Form):
    """ "Escalate" (ROUTE-04, ROUTE-05): to the 2nd level, to a supervisor or to a named member."""

    to = forms.ChoiceField(label=_("Pass to"), widget=forms.Select(attrs={"class": "form-select form-select-sm mb-1"}))
    note = forms.CharField(
        label=_("Note for the next agent"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Agents only: never shown or sent to the contact."),
    )
    notify_contact = forms.BooleanField(label=_("Send the contact the escalation notice"), required=False)

    def __init__(self, *args: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(member.pk): member for member in members}
        self.fields["to"].choices = [  # type: ignore[attr-defined]
            (EscalateTo.SECOND_LEVEL, _("the 2nd level (chosen by the group's rule)")),
            (EscalateTo.SUPERVISOR, _("a supervisor (the group's managers)")),
            (
                _("Agent"),
                [(pk, member.get_full_name() or member.get_username()) for pk, member in self.members.items()],
            ),
        ]

    def destination(self) -> str | User:
        to: str = self.cleaned_data["to"]
        return self.members.get(to, to)


class GroupSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    """The group's settings page: what its managers may change."""

    class Meta:
        model = Group
        fields = [*GROUP_SETTINGS, "workflow_people"]
        widgets = {
            "signature": forms.Textarea(attrs={"rows": 3}),
            "workflow_people": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        small_controls(self.fields.values())
        self.fields["workflow_people"].queryset = list_group_members(self.instance)  # type: ignore[attr-defined]
        self.fields["workflow_people"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.get_username()
        )
        self.fields["language"].required = False  # not sent: the language stays as it is
        open_statuses = Status.objects.filter(group=self.instance).exclude(kind__in=StatusKind.closed_kinds())
        for name in ("callback_status_private", "callback_status_public"):
            self.fields[name].queryset = open_statuses  # type: ignore[attr-defined]
            self.fields[name].empty_label = _("The first “scheduled” status")  # type: ignore[attr-defined]

    def clean_language(self) -> str:
        return str(self.cleaned_data.get("language") or self.instance.language)


class NewContactForm(forms.Form):
    """A contact created in place on the ticket page: a person or a company (fixed once made)."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=Contact.Kind.choices, initial=Contact.Kind.PERSON, widget=forms.RadioSelect
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    company_name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "new-contact-%s")  # ids of their own on the busy ticket page
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        raw: str = self.cleaned_data["email"]
        return self._not_taken(ContactPoint.Kind.EMAIL, normalise_email(raw)) if raw.strip() else ""

    def clean_phone(self) -> str:
        raw: str = self.cleaned_data["phone"]
        number = normalise_phone(raw, region=settings.PHONE_REGION) if raw.strip() else ""
        return self._not_taken(ContactPoint.Kind.PHONE, number) if number else ""

    @staticmethod
    def _not_taken(kind: ContactPoint.Kind, value: str) -> str:
        if (owner := find_contact_by_point(kind, value)) is not None:
            raise forms.ValidationError(
                _("%(value)s is %(name)s’s already: pick them with “Change contact” instead.")
                % {"value": value, "name": owner.display_name or _("another contact")}
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Contact.Kind.COMPANY and not data.get("company_name", "").strip():
            self.add_error("company_name", _("Give the company’s name."))
        elif data.get("kind") == Contact.Kind.PERSON and not (data.get("first_name") or data.get("last_name")):
            self.add_error("last_name", _("Give the person’s first or last name."))
        return data
