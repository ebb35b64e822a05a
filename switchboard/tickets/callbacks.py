"""Callbacks (CC-03): setting one on a ticket, marking it done or cancelling it, and the job that
tells the right agents, live, when one comes due. The reads are in callback_selectors.py.

Which status a callback sets (seed 001's callback kinds): a group may name a status for each kind,
private ("oddzwonienie prywatne") and public ("oddzwonienie publiczne"), on its settings page;
where it has not, both set the group's first status of the "scheduled" kind, and a group with no
such status keeps the ticket's status as it is. Marking a callback done or cancelling it leaves the
status alone: what happens next is the agent's choice (the header's status).

A private callback is its agent's: setting one makes them the ticket's owner (seed 001: a private
callback needs an owner), and only they (or a manager of the group) mark it done or cancel it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from switchboard.tickets.actions import TicketError, lock_ticket
from switchboard.tickets.callback_records import (
    callback_history_field,
    end_callback,
    find_pending_callback,
    history_time,
)
from switchboard.tickets.models import Callback, Group, Membership, Status, StatusKind, Ticket
from switchboard.tickets.permissions import can_manage
from switchboard.tickets.ticket_changes import apply_changes, save_changes

# How far ahead a callback may be set.
LONGEST_AHEAD = dt.timedelta(days=366)
# A callback that came due longer ago than this when the job first sees it (the scheduler was
# stopped) is marked as told without a live notice: the lists show it as overdue.
NOTICE_WINDOW = dt.timedelta(minutes=15)


class QuickTime(StrEnum):
    """The relative times of the callback form's buttons."""

    IN_15_MINUTES = "15m"
    IN_30_MINUTES = "30m"
    IN_2_HOURS = "2h"
    TOMORROW_9 = "tomorrow"

    @property
    def label(self) -> str:
        return str(QUICK_TIME_LABELS[self])


QUICK_TIME_LABELS = {
    QuickTime.IN_15_MINUTES: gettext_lazy("+15 min"),
    QuickTime.IN_30_MINUTES: gettext_lazy("+30 min"),
    QuickTime.IN_2_HOURS: gettext_lazy("+2 h"),
    QuickTime.TOMORROW_9: gettext_lazy("Tomorrow 9:00"),
}


def quick_due_time(quick: QuickTime, *, now: dt.datetime | None = None) -> dt.datetime:
    """The due time a relative button stands for, from ``now``; "tomorrow 9:00" in the active
    time zone (the agent's own, set by the middleware for their requests)."""
    now = now or timezone.now()
    if quick is QuickTime.TOMORROW_9:
        tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(9, 0)))
    minutes = {QuickTime.IN_15_MINUTES: 15, QuickTime.IN_30_MINUTES: 30, QuickTime.IN_2_HOURS: 120}[quick]
    return (now + dt.timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def check_due_time(due_at: dt.datetime, *, now: dt.datetime | None = None) -> None:
    """Refuse, with the reason, a due time that has passed or is too far ahead."""
    now = now or timezone.now()
    if due_at <= now:
        shown = formats.date_format(timezone.localtime(due_at), "SHORT_DATETIME_FORMAT")
        raise TicketError(_("The callback time %(time)s has passed: choose a later time.") % {"time": shown})
    if due_at > now + LONGEST_AHEAD:
        raise TicketError(_("A callback can be set at most a year ahead."))


def callback_status(group: Group, *, private: bool) -> Status | None:
    """The status a private or public callback sets in ``group`` (the module's docstring)."""
    chosen_id = group.callback_status_private_id if private else group.callback_status_public_id
    statuses = Status.objects.filter(group=group)
    if chosen_id is not None and (chosen := statuses.filter(pk=chosen_id).first()) is not None:
        return chosen
    return statuses.filter(kind=StatusKind.SCHEDULED).order_by("position", "id").first()


@transaction.atomic
def do_set_callback(ticket: Ticket, *, due_at: dt.datetime, private: bool, acting_user: User) -> Callback:
    """Set a callback on ``ticket`` at ``due_at``: private (the acting agent's own, who becomes
    the owner) or public (anyone in the group). A pending callback already on the ticket is
    replaced (cancelled, on the record). The ticket takes the group's callback status; the
    history says all of it."""
    ticket = lock_ticket(ticket, acting_user)
    if not ticket.is_open:
        raise TicketError(_("A closed ticket cannot have a callback."))
    check_due_time(due_at)
    now = timezone.now()
    changes: list[dict[str, str]] = []
    if (old := find_pending_callback(ticket)) is not None:
        if not may_change_callback(old, acting_user, ticket):
            raise TicketError(
                _("This ticket has another agent's private callback: only they or a manager can change it.")
            )
        changes.append(end_callback(old, Callback.State.CANCELLED, acting_user=acting_user, now=now))
    callback = Callback.objects.create(ticket=ticket, due_at=due_at, private=private, agent=acting_user)
    changes.append({"field": callback_history_field(callback), "old": "", "new": history_time(due_at)})
    values: dict[str, object] = {}
    if (status := callback_status(ticket.group, private=private)) is not None:
        values["status"] = status
    if private:
        values["owner"] = acting_user
    changes += apply_changes(ticket, **values)
    save_changes(ticket, changes, acting_user)
    return callback


def may_change_callback(callback: Callback, user: User, ticket: Ticket) -> bool:
    """A public callback is anyone's in the group; a private one its agent's, or a manager's."""
    return not callback.private or callback.agent_id == user.pk or can_manage(user, ticket.group)


def _finish_pending(callback: Callback, state: Callback.State, *, acting_user: User) -> Callback:
    ticket = lock_ticket(callback.ticket, acting_user)
    current = Callback.objects.select_for_update().get(pk=callback.pk)
    if not current.is_pending:
        raise TicketError(_("This callback is already done or cancelled."))
    if not may_change_callback(current, acting_user, ticket):
        raise TicketError(_("This is another agent's private callback: only they or a manager can change it."))
    change = end_callback(current, state, acting_user=acting_user, now=timezone.now())
    save_changes(ticket, [change], acting_user)
    return current


@transaction.atomic
def do_complete_callback(callback: Callback, *, acting_user: User) -> Callback:
    """ "Done": the contact was called back."""
    return _finish_pending(callback, Callback.State.DONE, acting_user=acting_user)


@transaction.atomic
def do_cancel_callback(callback: Callback, *, acting_user: User) -> Callback:
    """ "Cancel": no call back after all."""
    return _finish_pending(callback, Callback.State.CANCELLED, acting_user=acting_user)


# --- the live notice when a callback comes due --------------------------------------------------


def agent_channel_group(user_id: int) -> str:
    """The channel group of one agent's pages (consumers.NoticesConsumer)."""
    return f"agent.{user_id}"


@dataclass(frozen=True)
class DueNotice:
    user_ids: list[int]
    event: dict[str, object]


def _due_notice(callback: Callback, members: dict[int, list[int]]) -> DueNotice:
    ticket = callback.ticket
    if callback.private:
        agent_id = callback.agent_id
        user_ids = [agent_id] if agent_id is not None and agent_id in members.get(ticket.group_id, []) else []
    else:
        user_ids = members.get(ticket.group_id, [])
    event: dict[str, object] = {
        "type": "callback.due",
        "ticket": ticket.pk,
        "number": ticket.number,
        "title": ticket.title,
        "contact": ticket.contact.display_name if ticket.contact else "",
        "due": callback.due_at.astimezone(dt.UTC).isoformat(),
        "private": callback.private,
        "group": ticket.group_id,
    }
    return DueNotice(user_ids=user_ids, event=event)


def do_notify_due_callbacks(*, now: dt.datetime | None = None) -> int:
    """Tell the right agents, live, of every callback that has come due since the last run:
    a private one its agent, a public one every member of the ticket's group (if they are
    signed in: a page of theirs is listening). Each callback is told once, claimed by a
    conditional update, so that two runs at once never tell it twice. Returns how many were told."""
    now = now or timezone.now()
    due = Callback.objects.filter(
        state=Callback.State.PENDING, notified_at__isnull=True, due_at__lte=now, ticket__closed_at__isnull=True
    )
    # Long overdue when first seen (the scheduler was stopped): no notice, the lists show them.
    due.filter(due_at__lt=now - NOTICE_WINDOW).update(notified_at=now)
    callbacks = list(due.select_related("ticket__contact").order_by("due_at", "id"))
    if not callbacks:
        return 0
    group_ids = {callback.ticket.group_id for callback in callbacks}
    members: dict[int, list[int]] = {}
    for group_id, user_id in Membership.objects.filter(group_id__in=group_ids, user__is_active=True).values_list(
        "group_id", "user_id"
    ):
        members.setdefault(group_id, []).append(user_id)
    notices = []
    for callback in callbacks:
        claimed = Callback.objects.filter(pk=callback.pk, notified_at__isnull=True).update(notified_at=now)
        if claimed:
            notices.append(_due_notice(callback, members))
    _push(notices)
    return len(notices)


def _push(notices: list[DueNotice]) -> None:
    layer = get_channel_layer()
    if layer is None or not notices:
        return

    async def send_all() -> None:
        for notice in notices:
            for user_id in notice.user_ids:
                await layer.group_send(agent_channel_group(user_id), notice.event)

    async_to_sync(send_all)()
