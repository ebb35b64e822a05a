"""Reads of callbacks (CC-03) and of a group's call list (CC-06), each a fixed number of queries.

Who a pending callback surfaces to: a private one to its agent only, a public one to every agent
who sees the ticket's group, nobody outside it; never on a closed ticket. The same rule serves
home's "due callbacks", the ticket lists' mark, the call list and "Next call".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Agent
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from switchboard.contacts.models import ContactPoint
from switchboard.tickets.models import Callback, Group, Ticket
from switchboard.tickets.permissions import visible_ticket_q, visible_tickets

User = Agent | AnonymousUser


def callbacks_for(user: User) -> Q:
    """A condition on callbacks: pending, and ``user``'s to make (public, or their own private)."""
    return Q(state=Callback.State.PENDING) & (Q(private=False) | Q(agent_id=user.pk or 0))


def list_pending_callbacks(user: User) -> QuerySet[Callback]:
    """The pending callbacks ``user`` is to make, on open tickets of their groups."""
    return Callback.objects.filter(
        callbacks_for(user), visible_ticket_q(user, "ticket__"), ticket__closed_at__isnull=True
    )


@dataclass(frozen=True)
class DueCallbacks:
    """Home's "due callbacks" (AGENT-01): those due by the end of today or within the next
    hours (a night shift's after midnight), the overdue counted apart."""

    count: int
    overdue: int
    callbacks: list[Callback]


# How far past midnight home looks: an agent at 23:45 is still to make the 00:15 callback.
DUE_SOON = dt.timedelta(hours=3)


def due_by(now: dt.datetime) -> dt.datetime:
    """The end of home's "due callbacks": midnight after ``now`` in the active time zone (the
    agent's), or ``DUE_SOON`` from now if that is later."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(start + dt.timedelta(days=1), now + DUE_SOON)


def get_due_callbacks(user: User, *, now: dt.datetime | None = None, limit: int = 20) -> DueCallbacks:
    """The callbacks ``user`` is to make by ``due_by(now)``, soonest (most overdue) first, with
    their ticket, contact and status. Two queries."""
    now = now or timezone.now()
    due = list_pending_callbacks(user).filter(due_at__lt=due_by(now))
    counts = due.aggregate(count=Count("id"), overdue=Count("id", filter=Q(due_at__lte=now)))
    rows = due.select_related("ticket__contact", "ticket__status", "ticket__group", "agent__agent_profile")
    return DueCallbacks(
        count=counts["count"], overdue=counts["overdue"], callbacks=list(rows.order_by("due_at", "id")[:limit])
    )


def with_callback(tickets: QuerySet[Ticket], *, user: User) -> QuerySet[Ticket]:
    """``tickets`` with ``callback_due`` and ``callback_private``: their pending callback if it
    is ``user``'s to make (else None), for the lists' mark. Two index lookups per row (a ticket
    has at most one pending callback)."""
    mine = Callback.objects.filter(callbacks_for(user), ticket=OuterRef("pk"))
    return tickets.annotate(
        callback_due=Subquery(mine.values("due_at")[:1]),
        callback_private=Subquery(mine.values("private")[:1]),
    )


def _first_phone() -> Subquery:
    """The contact's phone number to call: the primary one, else the first."""
    phones = ContactPoint.objects.filter(contact_id=OuterRef("contact_id"), kind=ContactPoint.Kind.PHONE)
    return Subquery(phones.order_by("-is_primary", "id").values("value")[:1])


def list_call_list(group: Group, *, user: User) -> QuerySet[Ticket]:
    """A group's call list (CC-06): its open tickets with a callback ``user`` is to make or a
    due time (the next action's), soonest first, so the overdue lead; tickets with another
    agent's private callback are left out. Each row has ``call_due`` (the callback's time, else
    the ticket's due time), ``callback_due``/``callback_private`` and ``phone``; contact, status
    and owner come joined. One query."""
    others_private = Callback.objects.filter(ticket=OuterRef("pk"), state=Callback.State.PENDING, private=True).exclude(
        agent_id=user.pk or 0
    )
    tickets = visible_tickets(user).filter(group=group, closed_at__isnull=True)
    tickets = with_callback(tickets, user=user).filter(~Exists(others_private))
    return (
        tickets.annotate(call_due=Coalesce(F("callback_due"), F("due_at")), phone=_first_phone())
        .filter(call_due__isnull=False)
        .select_related("contact", "status", "owner__agent_profile")
        .order_by("call_due", "number")
    )


def find_next_call(group: Group, *, user: User, now: dt.datetime | None = None) -> Ticket | None:
    """ "Next call": the first ticket of the call list that is due and that ``user`` may take: one
    with a callback of theirs to make (public, or their own private one), or a due ticket owned by
    nobody or by them. One query."""
    takeable = Q(callback_due__isnull=False) | Q(owner__isnull=True) | Q(owner_id=user.pk or 0)
    due = Q(call_due__lte=now or timezone.now())
    return list_call_list(group, user=user).filter(takeable & due).first()
