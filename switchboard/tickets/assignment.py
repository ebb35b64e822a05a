"""Who gets a ticket (ROUTE-01): the group's assignment rule, among its available 1st-level agents.

The choice is right under concurrency: the candidates' user rows are locked before their open
tickets are counted, so two tickets arriving at once never both see the same agent under the
limit. On SQLite every write transaction is IMMEDIATE, which serialises them anyway. A choice
costs the same few queries whatever the number of agents or tickets; waiting tickets are routed
in batches that lock and count once (bench/assign.py measures both).
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
import random
from collections.abc import Iterable, Sequence
from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.contacts.selectors import primary_email_of
from switchboard.core.rows import update_rows
from switchboard.tickets import batch_writes, report_day_builds, search, tasks, webhook_events
from switchboard.tickets.actions import TicketError, do_assign_ticket, lock_ticket, queue_email_to_contact
from switchboard.tickets.messaging import Notice, messenger
from switchboard.tickets.models import (
    Activity,
    ActivityKind,
    AgentProfile,
    Group,
    Membership,
    SearchEntry,
    Ticket,
    TicketRead,
)
from switchboard.tickets.permissions import can_manage, ensure_can_work_on
from switchboard.tickets.realtime import one_update_per_ticket
from switchboard.tickets.ticket_changes import apply_changes, assign_locked_ticket, follow_saved_changes, stamp_changes

log = logging.getLogger(__name__)

AUTOMATIC_RULES = {Group.AssignmentRule.LIMIT, Group.AssignmentRule.RANDOM, Group.AssignmentRule.LEAST_LOAD}


class _Pool:
    """The candidates of one choice, or of one batch of choices: ``group``'s available 1st-level
    ``members`` (unless others are given), locked, with their open tickets counted once; each
    choice then counts the ticket it gives. Three queries whatever the number of agents, and
    none more per ticket of a batch.

    Available means both switches (PHONE-09, agent_states.py): available in the group, and at
    work by their phone state: ready, on a call or in wrap-up (a ticket is answered after the
    call; calls themselves are for the ready). Not ready (a break) and signed out get nothing.
    ``at_work_only`` False leaves the phone state out: supervisors, who often take no calls."""

    def __init__(
        self, group: Group, *, members: QuerySet[Membership] | None = None, rule: str = "", at_work_only: bool = True
    ) -> None:
        self.group, self.rule = group, rule or group.assignment_rule
        if members is None:
            members = Membership.objects.filter(group=group, level=Membership.Level.FIRST)
        candidates = members.filter(available=True, user__is_active=True)
        if at_work_only:
            candidates = candidates.filter(user__agent_profile__phone_state__in=AgentProfile.TICKET_STATES)
        # Lock the people, not only their place in this group: an agent in three groups is chosen
        # by three groups' tickets, and counts them all. In user id order, so that two choices
        # never wait for each other in a circle. Their open tickets are counted after the lock:
        # every other choice among them waits until this transaction has committed its own.
        # FOR NO KEY UPDATE, not FOR UPDATE: PostgreSQL checks a foreign key to a user at commit
        # with a key-share lock on the user's row, which FOR UPDATE blocks. A message whose
        # notices named another group's candidates then deadlocked with that group's routing.
        locked = User.objects.select_for_update(no_key=True).filter(pk__in=candidates.values("user_id")).order_by("pk")
        self.members: list[Membership] = []
        self.load: dict[int, int] = {}
        self.chosen: dict[int, Membership] = {}
        self.index: dict[int, int] = {}  # membership id: its place in self.members
        self.queue: list[tuple[int, bool, dt.datetime, int, int]] | None = None  # a heap, made at the first choice
        if not list(locked.values_list("pk", flat=True)):
            return
        self.members = list(candidates.only("pk", "user_id", "last_assigned_at").order_by("user_id"))
        self.index.update((member.pk, n) for n, member in enumerate(self.members))
        open_tickets = Ticket.objects.filter(owner_id__in=[m.user_id for m in self.members], closed_at__isnull=True)
        self.load = dict(
            open_tickets.order_by().values("owner_id").annotate(n=Count("id")).values_list("owner_id", "n")
        )

    def choose(self) -> Membership | None:
        """The member the rule gives the next ticket to, counted as having it and with the time
        recorded for fair ties (the longest without a ticket first); None if nobody is available
        or all are at the limit: the ticket waits."""
        if not self.members:
            return None
        if self.rule == Group.AssignmentRule.RANDOM:
            member = random.choice(self.members)  # noqa: S311 (fairness, not secrecy)
        else:
            if self.queue is None:
                self.queue = [self._place(member) for member in self.members if self._may_take(member)]
                heapq.heapify(self.queue)
            if not self.queue:
                return None
            member = self.members[heapq.heappop(self.queue)[-1]]
        self.load[member.user_id] = self.load.get(member.user_id, 0) + 1
        member.last_assigned_at = timezone.now()
        self.chosen[member.pk] = member
        if self.queue is not None and self._may_take(member):
            heapq.heappush(self.queue, self._place(member))
        return member

    def room(self) -> int:
        """How many tickets the rule can still give these candidates: none without any, what
        is left under the limit for the limit rule, BATCH (a whole batch) for the others."""
        if not self.members:
            return 0
        if self.rule != Group.AssignmentRule.LIMIT:
            return BATCH
        return sum(max(0, self.group.assignment_limit - self.load.get(m.user_id, 0)) for m in self.members)

    def _may_take(self, member: Membership) -> bool:
        rule_limit = self.rule == Group.AssignmentRule.LIMIT
        return not rule_limit or self.load.get(member.user_id, 0) < self.group.assignment_limit

    def _place(self, member: Membership) -> tuple[int, bool, dt.datetime, int, int]:
        """The member's place in the queue: by load (least load only), then the longest without
        a ticket (never first), then the user id; the last item finds the member."""
        load = self.load.get(member.user_id, 0) if self.rule == Group.AssignmentRule.LEAST_LOAD else 0
        assigned = member.last_assigned_at
        index = self.index[member.pk]
        return (load, assigned is not None, assigned or dt.datetime.min.replace(tzinfo=dt.UTC), member.user_id, index)

    def save(self) -> None:
        """Record the chosen members' assignment times: one statement."""
        update_rows(list(self.chosen.values()), ["last_assigned_at"])
        self.chosen = {}


def choose_owner(
    group: Group, *, members: QuerySet[Membership] | None = None, rule: str = "", at_work_only: bool = True
) -> User | None:
    """The agent the rule (``group``'s own, unless given) gives the next ticket to, among the
    group's available 1st-level ``members`` unless others are given (see ``_Pool``), with the
    time of this assignment recorded for fair ties; None if nobody is available or all are at the
    limit: the ticket waits. The caller's transaction keeps the candidates locked until it commits
    the assignment."""
    return _take(_Pool(group, members=members, rule=rule, at_work_only=at_work_only))


def _take(pool: _Pool) -> User | None:
    """``pool``'s choice, recorded, as the agent (read once per intake batch)."""
    chosen = pool.choose()
    if chosen is None:
        return None
    pool.save()
    agents = User.objects.select_related("agent_profile")
    return batch_writes.read_once(("agent", chosen.user_id), partial(agents.get, pk=chosen.user_id))


@transaction.atomic
def do_route_ticket(ticket: Ticket, *, locked: bool = False) -> Ticket:
    """Give an unowned open ticket to the agent its group's rule chooses; without one it waits
    (ROUTE-01, ROUTE-03). ``locked``: the caller read ``ticket`` in this transaction with its row
    locked (as ``lock_ticket`` does) or made it in it: not read again."""
    group = ticket.group
    if group.assignment_rule not in AUTOMATIC_RULES:
        return ticket
    current = ticket if locked else lock_ticket(ticket, None)
    if current.owner_id is not None or current.closed_at is not None:
        return current
    owner = _take(_Pool(group))
    return current if owner is None else assign_locked_ticket(current, owner=owner, acting_user=None)


BATCH = 500  # waiting tickets routed per transaction: the candidates stay locked this long
BULK_BATCH = 100  # rows per statement when a batch's history entries are written


def do_assign_waiting_tickets(group: Group) -> int:
    """Assign the group's unowned open tickets, oldest first, while its rule finds agents.
    In batches, each in one transaction: the candidates are locked and counted once per batch,
    each ticket given by the same rule as one at a time, and each changed ticket pushed live
    once; the tickets another transaction holds are left to it (on PostgreSQL; SQLite has one
    writer at a time). Returns how many were assigned."""
    if group.assignment_rule not in AUTOMATIC_RULES:
        return 0
    assigned = 0
    while True:
        in_batch, done = _assign_waiting_batch(group)
        assigned += in_batch
        if done:
            return assigned


def do_assign_waiting_tickets_of(groups: Iterable[Group]) -> None:
    """``do_assign_waiting_tickets`` for each group, in group id order, each in transactions of
    its own: candidates of two groups are never locked together (that deadlocked, bench/README.md
    "Inbound mail", round 3). The intake's batches and jobs route this way after their commit. A
    failure is logged and the next group routed: the per-minute job routes what still waits."""
    for group in sorted(groups, key=lambda group: group.pk):
        try:
            do_assign_waiting_tickets(group)
        except Exception:  # noqa: BLE001 - see above
            log.exception("Cannot route the waiting tickets of group %s", group.pk)


@transaction.atomic
def _assign_waiting_batch(group: Group) -> tuple[int, bool]:
    """One batch: how many were assigned, and whether to stop (no more waiting, or nobody free:
    the younger tickets wait too). The candidates first: only as many waiting tickets as they
    can take are read, none when nobody can (a backlog nobody can take is not read again at
    every routing). The tickets are taken SKIP LOCKED, so holding the candidates while taking
    them never waits: the order is safe."""
    pool = _Pool(group)
    room = min(BATCH, pool.room())
    waiting = Ticket.objects.filter(group=group, owner__isnull=True, closed_at__isnull=True, merged_into__isnull=True)
    locked = waiting.select_for_update(of=("self",), skip_locked=True).select_related("status", "contact")
    tickets = list(locked.order_by("created_at", "number")[:room]) if room else []
    if not tickets:
        return 0, True
    for ticket in tickets:
        ticket.group = group  # the caller's: not joined again for every ticket
    choices = []
    for ticket in tickets:
        chosen = pool.choose()
        if chosen is None:
            break
        choices.append((ticket, chosen.user_id))
    agents = User.objects.select_related("agent_profile").filter(pk__in={user_id for _ticket, user_id in choices})
    owners = {user.pk: user for user in agents} if choices else {}
    assignments = [(ticket, owners[user_id]) for ticket, user_id in choices]
    with one_update_per_ticket():
        _assign_locked_tickets(assignments)
    pool.save()
    return len(assignments), len(assignments) < len(tickets) or len(tickets) < BATCH


def _assign_locked_tickets(assignments: Sequence[tuple[Ticket, User]]) -> None:
    """``assign_locked_ticket`` (ticket_changes.py) for many tickets at once by the system: the same
    changes, history entries, notices and live updates, with the tickets and their history
    entries written in a few statements instead of two each."""
    changed = []
    now = timezone.now()
    for ticket, owner in assignments:
        changes = apply_changes(ticket, owner=owner)
        if changes:
            seen_until = stamp_changes(ticket, changes, None)
            ticket.updated_at = now  # bulk_update leaves auto_now to us
            changed.append((ticket, changes, seen_until))
    fields = ["owner", "assigned_at", "owner_opened_at", "version", "updated_at"]
    update_rows([ticket for ticket, _, _ in changed], fields)
    history = Activity.objects.bulk_create(
        [Activity(ticket=ticket, kind=ActivityKind.CHANGED, changes=changes) for ticket, changes, _ in changed],
        batch_size=BULK_BATCH,
    )
    report_day_builds.mark_ticket_days_stale(ticket for ticket, _, _ in changed)  # as record_activity does
    for entry in history:
        webhook_events.history_recorded(entry)  # as record_activity does, for the subscribed endpoints
    for ticket, changes, seen_until in changed:
        follow_saved_changes(ticket, changes, None, seen_until)


@transaction.atomic
def do_reassign_unopened_ticket(ticket: Ticket) -> Ticket:
    """A ticket its owner has not opened in the group's time goes to the next agent by the rule
    (ROUTE-03); it stays where it is when nobody else is available."""
    current = Ticket.objects.select_for_update(of=("self",)).select_related("group").get(pk=ticket.pk)
    group = current.group
    if current.owner_id is None or current.owner_opened_at is not None or current.closed_at is not None:
        return current
    others = Membership.objects.filter(group=group, level=Membership.Level.FIRST).exclude(user_id=current.owner_id)
    owner = choose_owner(group, members=others)
    return current if owner is None else do_assign_ticket(current, owner=owner, acting_user=None)


def do_reassign_unopened_tickets(group: Group, *, now: dt.datetime | None = None) -> int:
    """Every ticket of the group left unopened by its owner for too long; returns how many moved."""
    if group.reassign_unopened_minutes is None or group.assignment_rule not in AUTOMATIC_RULES:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(minutes=group.reassign_unopened_minutes)
    unopened = Ticket.objects.filter(
        group=group, closed_at__isnull=True, owner__isnull=False, owner_opened_at__isnull=True, assigned_at__lt=cutoff
    )
    moved = 0
    for ticket in unopened.order_by("assigned_at").iterator():
        previous = ticket.owner_id
        moved += do_reassign_unopened_ticket(ticket).owner_id != previous
    return moved


@transaction.atomic(savepoint=False)  # inside a transaction no savepoint: no caller goes on after it fails
def do_route_contact_message(ticket: Ticket) -> Ticket:
    """A contact wrote on ``ticket``: one whose owner is unavailable in its group is taken from
    them to be routed anew (ROUTE-02). Left without an owner, it waits for the caller's
    ``do_assign_waiting_tickets_of`` after the commit (the intake's batches and jobs: their
    transactions lock no agent). The intake calls it for every message, in the message's
    savepoint (which a failure rolls back): it makes none of its own."""
    if ticket.group.assignment_rule not in AUTOMATIC_RULES or ticket.owner_id is None:
        return ticket
    owner_available = Membership.objects.filter(group_id=ticket.group_id, user_id=ticket.owner_id, available=True)
    if owner_available.exists():
        return ticket
    return do_assign_ticket(ticket, owner=None, acting_user=None)


@transaction.atomic
def do_set_availability(membership: Membership, *, available: bool, acting_user: User) -> Membership:
    """An agent is available in a group, or not (ROUTE-02); a manager may set it for them.
    Becoming available takes waiting tickets at once."""
    if acting_user.pk != membership.user_id and not can_manage(acting_user, membership.group):
        raise PermissionDenied(_("Only the agent or the group's managers change the agent's availability."))
    Membership.objects.filter(pk=membership.pk).update(available=available)
    membership.available = available
    if available:
        group_id = membership.group_id
        transaction.on_commit(lambda: tasks.assign_waiting_tickets(group_id))
    return membership


@transaction.atomic
def do_claim_ticket(ticket: Ticket, *, acting_user: User) -> Ticket:
    """ "Claim": an agent takes an unowned ticket (ROUTE-05); refused when someone else took it
    a moment before."""
    current = Ticket.objects.select_for_update(of=("self",)).select_related("owner", "group").get(pk=ticket.pk)
    ensure_can_work_on(acting_user, current)
    if current.owner_id == acting_user.pk:
        return current
    if current.owner is not None:
        name = current.owner.get_full_name() or current.owner.get_username()
        raise TicketError(_("%(name)s took this ticket a moment ago.") % {"name": name})
    if not current.is_open:
        raise TicketError(_("Reopen the ticket to claim it."))
    return do_assign_ticket(current, owner=acting_user, acting_user=acting_user)


@transaction.atomic
def do_open_ticket(ticket: Ticket, *, acting_user: User) -> Ticket:
    """An agent opened the ticket's page (the page says so with a POST once shown, so that link
    previews and prefetching change nothing): where the group says so (CORE-14), an unowned
    open ticket becomes theirs; its owner opening it is noted (ROUTE-03: it will not be passed
    on as unopened); and it is read: no longer marked unread in their lists until something
    changes on it. Members of the ticket's group only."""
    current = Ticket.objects.select_for_update(of=("self",)).select_related("owner", "group").get(pk=ticket.pk)
    ensure_can_work_on(acting_user, current)
    if current.owner_id is None and current.is_open and current.group.owner_on_open:
        current = do_assign_ticket(current, owner=acting_user, acting_user=acting_user)
    elif current.owner_id == acting_user.pk and current.owner_opened_at is None:
        current.owner_opened_at = timezone.now()
        Ticket.objects.filter(pk=current.pk).update(owner_opened_at=current.owner_opened_at)
    TicketRead.objects.update_or_create(user=acting_user, ticket=current, defaults={"read_at": timezone.now()})
    return current


class EscalateTo:
    """Where an escalation goes (ROUTE-04, ROUTE-05)."""

    SECOND_LEVEL = "level2"
    SUPERVISOR = "supervisor"


@transaction.atomic
def do_escalate_ticket(  # noqa: PLR0913
    ticket: Ticket,
    *,
    to: str | User,
    note: str,
    acting_user: User,
    notify_contact: bool = False,
) -> Ticket:
    """Pass a ticket on with a private note for the next agent (ROUTE-04, ROUTE-05): to the
    group's 2nd level (chosen by the group's rule among them; least load where the group assigns
    nobody), to its supervisors (the managers with the fewest open tickets), or to a named
    member. The note is shown to agents only, highlighted; the contact may get the group's
    escalation notice. The status is left as it is."""
    current = (
        Ticket.objects.select_for_update(of=("self",)).select_related("owner", "group", "contact").get(pk=ticket.pk)
    )
    ensure_can_work_on(acting_user, current)
    if not current.is_open:
        raise TicketError(_("Reopen the ticket to pass it on."))
    note = note.strip()
    if not note:
        raise TicketError(_("Write a note for the next agent: why, and what has been done."))
    group = current.group
    members = Membership.objects.filter(group=group).exclude(user_id=acting_user.pk)
    owner: User | None
    if to == EscalateTo.SECOND_LEVEL:
        rule = group.assignment_rule if group.assignment_rule in AUTOMATIC_RULES else Group.AssignmentRule.LEAST_LOAD
        owner = choose_owner(group, members=members.filter(level=Membership.Level.SECOND), rule=rule)
        if owner is None:
            raise TicketError(_("No 2nd-level agent of this group is available."))
    elif to == EscalateTo.SUPERVISOR:
        managers = members.filter(role__in=[Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR])
        owner = choose_owner(group, members=managers, rule=Group.AssignmentRule.LEAST_LOAD, at_work_only=False)
        if owner is None:
            raise TicketError(_("No supervisor of this group is available."))
    elif isinstance(to, User) and members.filter(user=to).exists():
        owner = to
    else:
        raise TicketError(_("Choose a member of the group to pass the ticket to."))
    escalation = Activity.objects.create(ticket=current, kind=ActivityKind.ESCALATION, actor=acting_user, body=note)
    search.add_text(ticket_id=current.pk, source=SearchEntry.Source.ACTIVITY, source_id=escalation.pk, text=note)
    current = do_assign_ticket(current, owner=owner, acting_user=acting_user)
    if notify_contact and (address := primary_email_of(current.contact)):
        notice = messenger().compose_notice(current, Notice.ESCALATION, to_address=address, agent=acting_user)
        queue_email_to_contact(current, notice, acting_user, searchable=notice.subject)
    return current
