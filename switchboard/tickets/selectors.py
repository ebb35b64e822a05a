"""Reads shared by pages and the API. Each costs a fixed number of queries, whatever the data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Agent
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.tickets import search
from switchboard.tickets.callback_selectors import with_callback
from switchboard.tickets.models import (
    STATUS_KIND_LOOK,
    Activity,
    ActivityKind,
    CannedResponse,
    Group,
    Membership,
    StatusKind,
    Ticket,
    TicketClock,
    TicketRead,
    TicketSource,
)
from switchboard.tickets.permissions import visible_groups, visible_tickets

User = Agent | AnonymousUser

# Sort keys of the open-tickets list (CORE-05): column name → ORM ordering.
OPEN_TICKET_ORDERINGS = {
    "number": ("number",),
    "status": ("status__kind", "number"),
    "source": ("source", "number"),
    "created": ("created_at", "number"),
    "updated": ("updated_at", "number"),
    "owner": ("owner__agent_profile__initials", "number"),
    "contact": ("contact__last_name", "contact__first_name", "contact__company_name", "number"),
    "title": ("title", "number"),
    "due": ("due_at", "number"),
    "sla": ("sla_due_at", "number"),  # ROUTE-07: the next service-level target
}
# Orderings whose empty values go last both ways (tickets without a running clock).
EMPTY_LAST = {"sla_due_at"}
# Sources counted as "open phone calls" on the call center home (CORE-06).
PHONE_SOURCES = [TicketSource.PHONE]


def with_list_columns(tickets: QuerySet[Ticket], *, user: User) -> QuerySet[Ticket]:
    """What a row of a ticket list shows (tickets/_ticket_table.html), in the list's one query:
    status, owner, contact and group, and ``unread``: something changed on the ticket since
    ``user`` last opened it (or they never have); ``callback_due``/``callback_private``: its
    pending callback if ``user`` is to make it (callback_selectors.with_callback). The title's
    grey line is the ticket's own ``last_contact_excerpt``."""
    reader = user.pk or 0  # nobody signed in: everything is unread
    read = TicketRead.objects.filter(ticket=OuterRef("pk"), user_id=reader, read_at__gte=OuterRef("updated_at"))
    tickets = tickets.select_related("status", "owner__agent_profile", "contact", "group", "category").annotate(
        unread=~Exists(read)
    )
    tickets = with_service_level(tickets)
    return with_callback(tickets, user=user)  # the callback mark (CC-03): for the agents who are to make it


def with_service_level(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """The service-level mark of a list's row (ROUTE-07): ``sla_due_at``/``sla_near_at`` while
    the ticket's clock runs, ``sla_paused`` while it stands after running. Looked up per row by
    the clock's unique ticket key, as the callback mark is (a join would read the tables whole)."""
    clock = TicketClock.objects.filter(ticket=OuterRef("pk"))
    return tickets.annotate(
        sla_due_at=Subquery(clock.values("due_at")[:1]),
        sla_near_at=Subquery(clock.values("near_at")[:1]),
        sla_paused=Exists(
            clock.filter(running_since__isnull=True).filter(Q(used_seconds__gt=0) | Q(first_responded_at__isnull=False))
        ),
    )


def list_open_tickets(
    group: Group, *, user: User, mine: bool = False, order: str = "-updated", category: int | None = None
) -> QuerySet[Ticket]:
    """The open tickets of ``group`` as ``user`` may see them (nothing if not a member).

    ``mine``: only the user's tickets and unowned ones. ``order``: a key of
    OPEN_TICKET_ORDERINGS, with "-" in front for descending. ``category``: only its tickets.
    """
    tickets = visible_tickets(user).filter(group=group, closed_at__isnull=True)
    if mine:
        tickets = tickets.filter(Q(owner=user) | Q(owner__isnull=True))
    if category is not None:
        tickets = tickets.filter(category_id=category)
    return sorted_for_list(tickets, order, user=user)


def sorted_for_list(tickets: QuerySet[Ticket], order: str, *, user: User) -> QuerySet[Ticket]:
    """``tickets`` with what a list's columns show to ``user``, in ``order``: a key of OPEN_TICKET_ORDERINGS,
    with "-" in front for descending (by last update if unknown)."""
    descending = order.startswith("-")
    fields = OPEN_TICKET_ORDERINGS.get(order.lstrip("-"), OPEN_TICKET_ORDERINGS["updated"])
    ordering = [
        (F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True))
        if f in EMPTY_LAST
        else (f"-{f}" if descending else f)
        for f in fields
    ]
    return with_list_columns(tickets, user=user).order_by(*ordering)


def list_closed_tickets(
    groups: QuerySet[Group],
    *,
    user: User,
    text: str = "",
    closed_from: dt.date | None = None,
    closed_to: dt.date | None = None,
    category: int | None = None,
    limit: int = 100,
) -> QuerySet[Ticket]:
    """Find closed tickets (CORE-10): the latest ``limit``, optionally within closing dates, of a
    category (ROUTE-06) and matching every word of ``text`` in titles, correspondence, notes or
    the contact's name."""
    tickets = _closed_matching(
        groups, user=user, text=text, closed_from=closed_from, closed_to=closed_to, category=category
    )
    return with_list_columns(tickets, user=user).order_by("-closed_at", "-number")[:limit]


def _closed_matching(
    groups: QuerySet[Group],
    *,
    user: User,
    text: str,
    closed_from: dt.date | None,
    closed_to: dt.date | None,
    category: int | None = None,
) -> QuerySet[Ticket]:
    tickets = visible_tickets(user).filter(group__in=groups, closed_at__isnull=False)
    if category is not None:
        tickets = tickets.filter(category_id=category)
    if closed_from is not None:
        tickets = tickets.filter(closed_at__date__gte=closed_from)
    if closed_to is not None:
        tickets = tickets.filter(closed_at__date__lte=closed_to)
    if text.strip().isdigit():
        tickets = tickets.filter(number=int(text))
    elif (matches := search.matching_ticket_ids(text)) is not None:
        tickets = tickets.filter(id__in=matches)
    return tickets


@dataclass(frozen=True)
class ClosedCount:
    kind: str
    label: str
    icon: str
    colour: str
    count: int


def count_closed_by_kind(
    group: Group,
    *,
    user: User,
    text: str = "",
    closed_from: dt.date | None = None,
    closed_to: dt.date | None = None,
    category: int | None = None,
) -> list[ClosedCount]:
    """How many of the group's closed tickets (as ``list_closed_tickets`` finds them, all of them,
    not only the latest 100) closed plainly, with success and with the success cancelled (seed 001:
    successes are counted apart). Two queries: the group's closed statuses, and the counts."""
    statuses = list(group.statuses.filter(kind__in=StatusKind.closed_kinds()))
    tickets = _closed_matching(
        Group.objects.filter(pk=group.pk),
        user=user,
        text=text,
        closed_from=closed_from,
        closed_to=closed_to,
        category=category,
    )
    kinds = [kind for kind in StatusKind if kind in StatusKind.closed_kinds()]
    counts = tickets.aggregate(**{kind.value: Count("id", filter=Q(status__kind=kind)) for kind in kinds})
    result = []
    for kind in kinds:
        named = [status for status in statuses if status.kind == kind]
        if not named and not counts[kind.value]:
            continue  # the group has no such status and never had a ticket closed so
        first = named[0] if named else None
        result.append(
            ClosedCount(
                kind=kind.value,
                # The group's own name when it has one status of the kind; else the kind's.
                label=first.display_name if first is not None and len(named) == 1 else str(kind.label),
                icon=first.icon_name if first is not None else STATUS_KIND_LOOK[kind][0],
                colour=first.colour_value if first is not None else STATUS_KIND_LOOK[kind][1],
                count=counts[kind.value],
            )
        )
    return result


@dataclass(frozen=True)
class GroupCounts:
    group: Group
    open_calls: int
    needing_action: int
    open_total: int
    waiting: int  # open and nobody's: waiting for an agent (ROUTE-03)


def list_group_counts(user: User) -> list[GroupCounts]:
    """Per group of the user: open phone calls, messages needing action, open tickets (CORE-06).
    Two queries: the groups, and the counts over their open tickets only (an index range each)."""
    groups = list(visible_groups(user).order_by("name"))
    rows = (
        visible_tickets(user)
        .filter(group__in=[group.pk for group in groups], closed_at__isnull=True)
        .values("group_id")
        .annotate(
            open_calls=Count("id", filter=Q(source__in=PHONE_SOURCES)),
            needing_action=Count("id", filter=Q(status__kind__in=StatusKind.needing_action())),
            open_total=Count("id"),
            waiting=Count("id", filter=Q(owner__isnull=True)),
        )
        .order_by()
    )
    counts = {row.pop("group_id"): row for row in rows}
    empty = {"open_calls": 0, "needing_action": 0, "open_total": 0, "waiting": 0}
    return [GroupCounts(group=group, **counts.get(group.pk, empty)) for group in groups]


def list_tickets_needing_reply(user: User) -> QuerySet[Ticket]:
    """Open tickets in the user's groups whose next move is the team's (a new message, "needs
    contact"), the longest waiting first: where the next reply is owed."""
    tickets = visible_tickets(user).filter(closed_at__isnull=True, status__kind__in=StatusKind.needing_action())
    return tickets.order_by("updated_at", "number")


@dataclass(frozen=True)
class NeedsReply:
    count: int
    next: Ticket | None


def get_needs_reply(user: User, *, group_counts: list[GroupCounts]) -> NeedsReply:
    """How many tickets need a reply in the user's groups (the sum of their ``group_counts``),
    and the one to answer next. One query."""
    count = sum(counts.needing_action for counts in group_counts)
    return NeedsReply(count=count, next=list_tickets_needing_reply(user).only("number").first())


@dataclass(frozen=True)
class MyWork:
    """An agent's own open tickets (AGENT-01): new ones, all, and those due by the end of today."""

    new: int
    open: int
    due: int


def get_my_work(user: Agent) -> MyWork:
    end_of_today = timezone.localtime().replace(hour=23, minute=59, second=59, microsecond=999999)
    counts = Ticket.objects.filter(owner=user, closed_at__isnull=True).aggregate(
        new=Count("id", filter=Q(status__kind=StatusKind.NEW)),
        open=Count("id"),
        due=Count("id", filter=Q(due_at__lte=end_of_today)),
    )
    return MyWork(**counts)


def list_my_tickets(user: Agent, *, limit: int = 20) -> QuerySet[Ticket]:
    """The agent's open tickets, the soonest due first, then the longest untouched."""
    mine = Ticket.objects.filter(owner=user, closed_at__isnull=True)
    return _first_rows(mine, [F("due_at").asc(nulls_last=True), "updated_at"], limit=limit, user=user)


def list_waiting_tickets(user: User, *, limit: int = 20) -> QuerySet[Ticket]:
    """Open tickets nobody owns in the agent's groups, oldest first: what "Claim" is for (ROUTE-03)."""
    waiting = visible_tickets(user).filter(owner__isnull=True, closed_at__isnull=True)
    return _first_rows(waiting, ["created_at", "number"], limit=limit, user=user)


def _first_rows(tickets: QuerySet[Ticket], order: list[Any], *, limit: int, user: User) -> QuerySet[Ticket]:
    """The first ``limit`` of ``tickets`` in ``order`` with a list's columns, in one query that
    sorts the tickets alone and joins the rest to just those (PostgreSQL otherwise joined every
    contact to sort hundreds of an agent's tickets: 18 ms at 100k tickets)."""
    first = tickets.order_by(*order).values("pk")[:limit]
    return with_list_columns(Ticket.objects.filter(pk__in=first), user=user).order_by(*order)


def list_memberships(user: Agent) -> QuerySet[Membership]:
    """The agent's place in each group, with the group: for the availability switches (ROUTE-02)."""
    return Membership.objects.filter(user=user).select_related("group").order_by("group__name")


def list_team(group: Group) -> QuerySet[Membership]:
    """The group's members with their open tickets in every group (what the rules count), in one
    query: for managers running the team (ROUTE-02)."""
    return (
        Membership.objects.filter(group=group, user__is_active=True)
        .select_related("user__agent_profile")
        .annotate(open_tickets=Count("user__owned_tickets", filter=Q(user__owned_tickets__closed_at__isnull=True)))
        .order_by("level", "user__first_name", "user__username")
    )


def get_ticket_for(user: User, *, number: int) -> Ticket:
    """The ticket with this number if ``user`` may see it; raises Ticket.DoesNotExist otherwise."""
    return (
        visible_tickets(user)
        .select_related("group", "status", "owner__agent_profile", "contact", "merged_into")
        .get(number=number)
    )


def list_timeline(ticket: Ticket) -> QuerySet[Activity]:
    """The ticket's correspondence, notes, calls and changes, oldest first, with their files."""
    return (
        Activity.objects.filter(ticket=ticket)
        .select_related("actor__agent_profile", "outbound_message")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


# What the contact and the group said to each other: no notes, calls or recorded changes.
CONVERSATION_KINDS = [
    ActivityKind.EMAIL_IN,
    ActivityKind.EMAIL_OUT,
    ActivityKind.SMS_IN,
    ActivityKind.SMS_OUT,
    ActivityKind.CHAT,
    ActivityKind.WEB_IN,
]


def list_conversation(ticket: Ticket) -> QuerySet[Activity]:
    """The messages a contact may read again (their own and the group's), oldest first, with
    their files."""
    return list_timeline(ticket).filter(kind__in=CONVERSATION_KINDS)


def follow_merges(ticket: Ticket | None) -> Ticket | None:
    """Where a merged ticket went, at the end of the chain of merges (with its group and
    contact); any other ticket as it is."""
    for _hop in range(10):
        if ticket is None or ticket.merged_into_id is None:
            return ticket
        ticket = Ticket.objects.select_related("group", "contact").get(pk=ticket.merged_into_id)
    return ticket


def list_tickets_of_contact(contact: Contact) -> QuerySet[Ticket]:
    """A contact's own tickets in every group (the customer portal, SELF-03): open ones first,
    the latest first, with where a merged one went."""
    return (
        Ticket.objects.filter(contact=contact)
        .select_related("group", "status", "merged_into")
        .order_by(F("closed_at").desc(nulls_first=True), "-updated_at", "-number")
    )


def find_ticket_of_contact(contact: Contact, *, number: int) -> Ticket | None:
    """The contact's own ticket with this number; None for anyone else's."""
    return list_tickets_of_contact(contact).filter(number=number).first()


def list_thread_message_ids(ticket: Ticket) -> list[str]:
    """The Message-IDs of the ticket's mail, in and out, oldest first: what a reply refers to."""
    emails = Activity.objects.filter(
        ticket=ticket, kind__in=[ActivityKind.EMAIL_IN, ActivityKind.EMAIL_OUT], message_id__gt=""
    )
    return list(emails.order_by("created_at", "id").values_list("message_id", flat=True))


def list_canned_responses(group: Group) -> QuerySet[CannedResponse]:
    """All of a group's canned responses and solutions, drafts too (AGENT-04), by title."""
    return CannedResponse.objects.filter(group=group).select_related("category", "author").order_by("title")


def list_composer_solutions(ticket: Ticket) -> QuerySet[CannedResponse]:
    """The published canned responses and solutions offered in the reply composer (AGENT-04):
    those of the ticket's category first (``in_category``), then by title. One query."""
    in_category = Case(
        When(category_id=ticket.category_id or 0, then=Value(True)), default=Value(False), output_field=BooleanField()
    )  # never NULL, which PostgreSQL would sort first
    return (
        CannedResponse.objects.filter(group_id=ticket.group_id, published=True)
        .select_related("category")
        .annotate(in_category=in_category)
        .order_by("-in_category", "title")
    )


def list_group_members(group: Group) -> QuerySet[Agent]:
    """The agents who may own the group's tickets, by name."""
    return (
        Agent.objects.filter(memberships__group=group, is_active=True)
        .select_related("agent_profile")
        .order_by("first_name", "last_name", "username")
    )


def list_merge_targets(ticket: Ticket, *, user: User, limit: int = 50) -> list[Ticket]:
    """Open tickets ``ticket`` could be merged into: the same contact's first, then the group's
    newest. Two index lookups rather than one query with an OR, which would scan the table. Only
    their numbers and titles, what the ticket page's Move menu shows: its 50 rows were 8 % of the page."""
    open_tickets = (
        visible_tickets(user)
        .filter(closed_at__isnull=True)
        .exclude(pk=ticket.pk)
        .only("number", "title")
        .order_by("-updated_at")
    )
    same_contact = list(open_tickets.filter(contact_id=ticket.contact_id)[:limit]) if ticket.contact_id else []
    same_group = open_tickets.filter(group_id=ticket.group_id).exclude(pk__in=[t.pk for t in same_contact])
    return [*same_contact, *same_group[: limit - len(same_contact)]]


def _contact_ids_in_copy(ticket: Ticket) -> QuerySet[Any, Any]:
    """A subquery of the ids of the ticket's people in copy. Pages filter contact points by it
    (``contact_id IN (…)``), not by a join: SQLite plans the join from the points' kind and
    reads every email address known (issue 19)."""
    return Ticket.cc_contacts.through.objects.filter(ticket_id=ticket.pk).values("contact_id")


def list_addresses_on_ticket(ticket: Ticket) -> set[str]:
    """Every email address of the ticket's contact and of its people in copy."""
    contact_ids = _contact_ids_in_copy(ticket)
    if ticket.contact_id is not None:
        contact_ids = contact_ids.union(Contact.objects.filter(pk=ticket.contact_id).values("pk"), all=True)
    points = ContactPoint.objects.filter(contact_id__in=contact_ids, kind=ContactPoint.Kind.EMAIL)
    return set(points.values_list("value", flat=True))


def list_cc_addresses(ticket: Ticket) -> list[str]:
    """The addresses of the people in copy on the ticket (MAIL-12): each one's primary email."""
    return _primary_of_each(_cc_email_rows(ticket))


def _cc_email_rows(ticket: Ticket) -> list[tuple[int, str]]:
    """(contact, address) of every email of the people in copy, each one's primary first."""
    rows = ContactPoint.objects.filter(contact_id__in=_contact_ids_in_copy(ticket), kind=ContactPoint.Kind.EMAIL)
    return list(rows.order_by("contact_id", "-is_primary", "id").values_list("contact_id", "value"))


def _primary_of_each(rows: list[tuple[int, str]]) -> list[str]:
    first: dict[int, str] = {}
    for contact_id, value in rows:
        first.setdefault(contact_id, value)
    return list(first.values())


@dataclass(frozen=True)
class TicketAddresses:
    """What the ticket page's composer and timeline need of the addresses on a ticket."""

    to: str  # the contact's primary email (contacts.selectors.primary_email_of)
    cc: list[str]  # list_cc_addresses
    on_ticket: set[str]  # list_addresses_on_ticket


def get_ticket_addresses(ticket: Ticket) -> TicketAddresses:
    """``primary_email_of`` the contact, ``list_cc_addresses`` and ``list_addresses_on_ticket`` in two
    queries (the three took three). The contact's points are read whole, into its
    ``points.all()``, which the ticket page's contact card shows: one query for both."""
    cc_rows = _cc_email_rows(ticket)
    own: list[str] = []
    if ticket.contact is not None:
        prefetch_related_objects([ticket.contact], "points")
        emails = [point for point in ticket.contact.points.all() if point.kind == ContactPoint.Kind.EMAIL]
        own = [point.value for point in sorted(emails, key=lambda point: (not point.is_primary, point.pk))]
    return TicketAddresses(
        to=own[0] if own else "",
        cc=_primary_of_each(cc_rows),
        on_ticket={value for _contact, value in cc_rows} | set(own),
    )


def find_next_ticket_needing_reply(user: Agent, *, after: Ticket | None = None) -> Ticket | None:
    """The next ticket the agent should answer ("n" on the ticket page): open, in one of their
    groups, of a kind that needs a reply (new, needs contact), owned by nobody or by them;
    oldest first, after ``after`` in that order and then from the start again, never ``after``
    itself. At most two queries."""
    waiting = list_tickets_needing_reply(user).filter(Q(owner__isnull=True) | Q(owner=user))
    if after is None:
        return waiting.order_by("created_at", "number").first()
    later = Q(created_at__gt=after.created_at) | Q(created_at=after.created_at, number__gt=after.number)
    found = waiting.filter(later).order_by("created_at", "number").first()
    return found or waiting.exclude(pk=after.pk).order_by("created_at", "number").first()


def count_open_tickets_of_contacts(user: User, contact_ids: list[int]) -> dict[int, int]:
    """How many open tickets each of these contacts has in ``user``'s groups (the contacts list,
    CC-01); contacts without any are left out. One query."""
    rows = (
        visible_tickets(user)
        .filter(contact_id__in=contact_ids, closed_at__isnull=True)
        .order_by()
        .values("contact_id")
        .annotate(open_tickets=Count("id"))
        .values_list("contact_id", "open_tickets")
    )
    return dict(rows)
