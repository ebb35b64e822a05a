"""Reads of the activities tab (CC-07): a ticket's timeline filtered by kind and sorted, and an
agent's own recent activities across tickets. Each costs a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User as Agent
from django.db.models import Count, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from switchboard.tickets.models import Activity, ActivityKind
from switchboard.tickets.permissions import visible_tickets


@dataclass(frozen=True)
class KindFilter:
    """One chip of the filter: the activity kinds it stands for, its words and its icon."""

    key: str
    label: Promise
    icon: str
    kinds: frozenset[str]


# The chips, in the order they are shown. Every kind of activity is in exactly one of them.
KIND_FILTERS: tuple[KindFilter, ...] = (
    KindFilter("email", _("Email"), "bi-envelope", frozenset({ActivityKind.EMAIL_IN, ActivityKind.EMAIL_OUT})),
    KindFilter(
        "call",
        _("Calls"),
        "bi-telephone",
        frozenset({ActivityKind.CALL_IN, ActivityKind.CALL_OUT, ActivityKind.VOICEMAIL}),
    ),
    KindFilter("sms", _("SMS"), "bi-chat-text", frozenset({ActivityKind.SMS_IN, ActivityKind.SMS_OUT})),
    KindFilter("web", _("Website"), "bi-globe", frozenset({ActivityKind.WEB_IN})),
    KindFilter("chat", _("Chat"), "bi-chat-dots", frozenset({ActivityKind.CHAT})),
    KindFilter("note", _("Notes"), "bi-sticky", frozenset({ActivityKind.NOTE, ActivityKind.ESCALATION})),
    KindFilter("change", _("Changes"), "bi-clock-history", frozenset(ActivityKind.history_kinds())),
)
# A kind none of the chips above names (one added later) is still shown and counted, as "Other".
OTHER = "other"
_NAMED = frozenset().union(*(kind_filter.kinds for kind_filter in KIND_FILTERS))
if _others := frozenset(ActivityKind.values) - _NAMED:
    KIND_FILTERS += (KindFilter(OTHER, _("Other"), "bi-three-dots", _others),)
FILTERS_BY_KEY = {kind_filter.key: kind_filter for kind_filter in KIND_FILTERS}
KIND_ICONS = {kind: kind_filter.icon for kind_filter in KIND_FILTERS for kind in kind_filter.kinds}
KIND_KEYS = {kind: kind_filter.key for kind_filter in KIND_FILTERS for kind in kind_filter.kinds}

ALL = "all"
NEWEST = "newest"
OLDEST = "oldest"

# What can be moved to another ticket: messages, calls and notes, not the history (CC-07).
MOVABLE_KINDS = frozenset(ActivityKind.values) - ActivityKind.history_kinds()
# What can have a note of its own: everything but a note.
NOTABLE_KINDS = frozenset(ActivityKind.values) - {ActivityKind.NOTE, ActivityKind.ESCALATION}


def kind_filter_key(key: str | None) -> str:
    """A chip's key from a query string, or "all" for anything else."""
    return key if key in FILTERS_BY_KEY else ALL


def sort_order(order: str | None) -> str:
    return NEWEST if order == NEWEST else OLDEST


@dataclass(frozen=True)
class Chip:
    key: str
    label: str
    icon: str
    count: int
    active: bool


@dataclass(frozen=True)
class TimelineEntry:
    activity: Activity
    notes: list[Activity]  # what agents noted on it (CC-07), oldest first


@dataclass(frozen=True)
class Timeline:
    """A ticket's timeline as the activities tab shows it: the top entries of the chosen kind in
    the chosen order, each with the notes agents added to it, and a chip per kind with its count."""

    entries: list[TimelineEntry]
    chips: list[Chip]
    kind: str
    order: str


def filter_timeline(activities: Iterable[Activity], *, kind: str | None, order: str | None) -> Timeline:
    """The timeline (all of a ticket's activities, oldest first, as ``list_timeline`` reads them)
    filtered to ``kind`` and sorted by ``order``. Works on what is loaded: no query."""
    kind, order = kind_filter_key(kind), sort_order(order)
    notes_on: dict[int, list[Activity]] = defaultdict(list)
    top: list[Activity] = []
    for activity in activities:
        if activity.parent_id is not None:
            notes_on[activity.parent_id].append(activity)
        else:
            top.append(activity)
    counts = Counter(KIND_KEYS.get(activity.kind, OTHER) for activity in top)
    chips = [Chip(ALL, str(_("All")), "bi-list-ul", len(top), kind == ALL)]
    chips += [
        Chip(f.key, str(f.label), f.icon, counts[f.key], kind == f.key)
        for f in KIND_FILTERS
        if counts[f.key] or kind == f.key
    ]
    chosen = top if kind == ALL else [a for a in top if a.kind in FILTERS_BY_KEY[kind].kinds]
    if order == NEWEST:
        chosen = chosen[::-1]
    entries = [TimelineEntry(activity, notes_on.get(activity.pk, [])) for activity in chosen]
    return Timeline(entries=entries, chips=chips, kind=kind, order=order)


# --- my activities --------------------------------------------------------------------------


def list_my_activities(user: Agent, *, kind: str = ALL) -> QuerySet[Activity]:
    """``user``'s own entries (replies, notes, calls, SMS, changes) on the tickets of their groups,
    newest first, with their ticket: what "My activities" lists (CC-07)."""
    activities = Activity.objects.filter(actor=user, ticket__in=visible_tickets(user).values("pk"))
    if (kind := kind_filter_key(kind)) != ALL:
        activities = activities.filter(kind__in=FILTERS_BY_KEY[kind].kinds)
    return activities.select_related("ticket__group", "ticket__status", "parent").order_by("-created_at", "-id")


def count_my_activities(user: Agent) -> dict[str, int]:
    """How many of ``user``'s own entries each chip of "My activities" holds: one query."""
    rows = (
        Activity.objects.filter(actor=user, ticket__in=visible_tickets(user).values("pk"))
        .values("kind")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts: Counter[str] = Counter()
    for row in rows:
        counts[KIND_KEYS.get(row["kind"], OTHER)] += row["count"]
    return dict(counts)
