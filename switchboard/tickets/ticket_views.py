"""Views of the open tickets across all of an agent's groups: built-in ones (needs a reply, mine,
unassigned, due today, overdue, one per status kind and one per source) and the agent's saved ones,
each narrowed by filters (group, owner, status kind, source).

A view is a condition on the open tickets of the agent's groups, so every view's count is one
conditional count of a single aggregate query, however many views there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import User as Agent
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from switchboard.tickets.models import (
    BUILT_IN_STATUS_NAMES,
    SOURCE_ICONS,
    STATUS_KIND_LOOK,
    SavedView,
    StatusKind,
    Ticket,
    TicketSource,
)
from switchboard.tickets.permissions import visible_groups, visible_tickets
from switchboard.tickets.selectors import sorted_for_list

# Statuses of open tickets: the closed kinds are found by the closed-tickets search (CORE-10).
OPEN_KINDS = [kind for kind in StatusKind if kind not in StatusKind.closed_kinds()]


class ViewError(Exception):
    """A saved view that cannot be saved as asked; the message is for the agent."""


@dataclass(frozen=True)
class ViewFilters:
    """What narrows a view. ``owner``: "" anyone, "me", "none" (nobody) or an agent's id."""

    group: int | None = None
    owner: str = ""
    status: str = ""
    source: str = ""
    category: int | None = None  # ROUTE-06

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> ViewFilters:
        """From request parameters or a saved view's filters; what makes no sense is left out."""
        group, owner = str(data.get("group") or ""), str(data.get("owner") or "")
        status, source = str(data.get("status") or ""), str(data.get("source") or "")
        category = str(data.get("category") or "")
        return cls(
            group=int(group) if group.isdigit() else None,
            owner=owner if owner in {"me", "none"} or owner.isdigit() else "",
            status=status if status in OPEN_KINDS else "",
            source=source if source in TicketSource.values else "",
            category=int(category) if category.isdigit() else None,
        )

    def as_data(self) -> dict[str, str]:
        """The filters that are set, as strings: for links and for storing."""
        values = {
            "group": str(self.group or ""),
            "owner": self.owner,
            "status": self.status,
            "source": self.source,
            "category": str(self.category or ""),
        }
        return {key: value for key, value in values.items() if value}

    def condition(self, user: Agent) -> Q:
        q = Q()
        if self.group is not None:
            q &= Q(group_id=self.group)
        if self.owner == "me":
            q &= Q(owner=user)
        elif self.owner == "none":
            q &= Q(owner__isnull=True)
        elif self.owner:
            q &= Q(owner_id=int(self.owner))
        if self.status:
            q &= Q(status__kind=self.status)
        if self.source:
            q &= Q(source=self.source)
        if self.category is not None:
            q &= Q(category_id=self.category)
        return q


def _today(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The start and end of today in the agent's time zone (the active one)."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1)


Condition = Callable[[Agent, dt.datetime], Q]


@dataclass(frozen=True)
class BuiltInView:
    key: str
    label: str | Promise
    icon: str
    section: str  # "work", "status" or "source"
    condition: Condition
    order: str = "-updated"  # the list's order until the agent sorts it


def _due_today(user: Agent, now: dt.datetime) -> Q:
    start, end = _today(now)
    return Q(due_at__gte=start, due_at__lt=end)


# The status views take the names a new group's statuses have (groups rename theirs), in the reader's language.
STATUS_LABELS = {kind: gettext_lazy(name) for kind, name in BUILT_IN_STATUS_NAMES.items() if kind in OPEN_KINDS}
_SOURCE_LABELS = {
    TicketSource.PHONE: pgettext_lazy("view", "Calls"),
    TicketSource.EMAIL: pgettext_lazy("view", "Mail"),
    TicketSource.SMS: pgettext_lazy("view", "SMS"),
    TicketSource.WEB: pgettext_lazy("view", "Web form"),
    TicketSource.CHAT: pgettext_lazy("view", "Chat"),
    TicketSource.OUTBOUND: pgettext_lazy("view", "Outbound campaign"),
    TicketSource.AGENT: pgettext_lazy("view", "Opened by an agent"),
}


def _kind_is(kind: str) -> Condition:
    return lambda user, now: Q(status__kind=kind)


def _source_is(source: str) -> Condition:
    return lambda user, now: Q(source=source)


def needs_reply(user: Agent, now: dt.datetime) -> Q:
    """The team's move: a new ticket, or one the contact wrote to (which sets "needs contact")."""
    return Q(status__kind__in=StatusKind.needing_action())


BUILT_IN_VIEWS: dict[str, BuiltInView] = {
    view.key: view
    for view in [
        BuiltInView("open", pgettext_lazy("view", "All open tickets"), "bi-inboxes", "work", lambda user, now: Q()),
        BuiltInView("needs-reply", pgettext_lazy("view", "Needs a reply"), "bi-reply", "work", needs_reply, "updated"),
        BuiltInView("mine", pgettext_lazy("view", "My tickets"), "bi-person", "work", lambda user, now: Q(owner=user)),
        BuiltInView(
            "unassigned",
            pgettext_lazy("view", "Unassigned"),
            "bi-person-dash",
            "work",
            lambda user, now: Q(owner__isnull=True),
            "created",
        ),
        BuiltInView("due-today", pgettext_lazy("view", "Due today"), "bi-calendar-event", "work", _due_today, "due"),
        BuiltInView(
            "overdue", pgettext_lazy("view", "Overdue"), "bi-alarm", "work", lambda user, now: Q(due_at__lt=now), "due"
        ),
        *(
            BuiltInView(f"status-{kind}", label, STATUS_KIND_LOOK[kind][0], "status", _kind_is(kind))
            for kind, label in STATUS_LABELS.items()
        ),
        *(
            BuiltInView(f"source-{source}", label, SOURCE_ICONS[source], "source", _source_is(source))
            for source, label in _SOURCE_LABELS.items()
        ),
    ]
}


def open_tickets_of(user: Agent) -> QuerySet[Ticket]:
    """The open tickets of every group the agent works in: what every view starts from."""
    return visible_tickets(user).filter(closed_at__isnull=True)


def list_view_tickets(
    user: Agent, *, view: BuiltInView, filters: ViewFilters, order: str = "", now: dt.datetime | None = None
) -> QuerySet[Ticket]:
    """A view's tickets, narrowed by ``filters``, in ``order`` (the view's own if empty)."""
    condition = view.condition(user, now or timezone.now()) & filters.condition(user)
    return sorted_for_list(open_tickets_of(user).filter(condition), order or view.order, user=user)


def page_of_tickets(
    tickets: QuerySet[Ticket], number: str | None, *, per_page: int, count: int | None = None
) -> Page[Ticket]:
    """Page ``number`` of ``tickets``: first the page's ids, sorted in a narrow query, then the
    rows of just those. Sorting thousands of rows with every column the list shows costs several
    times more (35 against 5 ms at 100k tickets). ``count``: how many there are, if known."""
    paginator = Paginator(tickets.values_list("pk", flat=True), per_page)
    if count is not None:
        paginator.count = count  # known from the views' counts: no second count query
    ids = paginator.get_page(number)
    rows = list(tickets.filter(pk__in=list(ids.object_list)))
    return Page(rows, ids.number, paginator)  # type: ignore[arg-type]  # the ids' paginator: count, pages


def list_colleagues(user: Agent) -> QuerySet[Agent]:
    """The agents of the agent's groups (who may own the tickets the views show), by name."""
    return (
        Agent.objects.filter(memberships__group__in=visible_groups(user), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def list_saved_views(user: Agent) -> list[SavedView]:
    return list(SavedView.objects.filter(owner=user).order_by("name", "id"))


def count_views(user: Agent, saved_views: list[SavedView], *, now: dt.datetime | None = None) -> dict[str, int]:
    """The number of tickets in each built-in view (by key) and each saved view ("saved-<id>"),
    in one query."""
    now = now or timezone.now()
    conditions = {key: view.condition(user, now) for key, view in BUILT_IN_VIEWS.items()}
    for saved in saved_views:
        view = BUILT_IN_VIEWS.get(saved.base, BUILT_IN_VIEWS["open"])
        conditions[f"saved-{saved.pk}"] = view.condition(user, now) & ViewFilters.from_data(saved.filters).condition(
            user
        )
    names = {key: f"c{index}" for index, key in enumerate(conditions)}
    counts = open_tickets_of(user).aggregate(
        **{names[key]: Count("id", filter=condition) for key, condition in conditions.items()}
    )
    return {key: counts[name] for key, name in names.items()}


@transaction.atomic
def do_save_view(owner: Agent, *, name: str, base: str, filters: ViewFilters) -> SavedView:
    """Save a view for ``owner``; a view of theirs with the same name is replaced."""
    name = " ".join(name.split())
    if not name:
        raise ViewError(_("Give the view a name."))
    if len(name) > SavedView._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ViewError(_("The name is too long."))
    if base not in BUILT_IN_VIEWS:
        raise ViewError(_("That view does not exist."))
    saved, _created = SavedView.objects.update_or_create(
        owner=owner, name=name, defaults={"base": base, "filters": filters.as_data()}
    )
    return saved


@transaction.atomic
def do_delete_view(saved: SavedView, *, acting_user: Agent) -> None:
    if saved.owner_id != acting_user.pk:
        raise ViewError(_("That view is another agent's."))
    saved.delete()
