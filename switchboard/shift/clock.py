"""The time clock (AGENT-05): clocking in and out, breaks, the job that closes a forgotten shift,
and the managers' corrections. Each ``do_…`` is one transaction; the phone state follows the clock
(seed 003: clocked in the agent is "not ready" until they go ready; on a break "not ready" with
the break's reason; clocked out "signed out")."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from switchboard.shift.models import Break, BreakReason, Shift, ShiftCorrection
from switchboard.tickets.agent_states import NOT_READY_REASONS, PhoneState, do_set_phone_state
from switchboard.tickets.messaging import agent_language, messenger
from switchboard.tickets.models import Group, Membership

logger = logging.getLogger(__name__)

DEFAULT_SHIFT_HOURS = 12  # an agent in no group: the groups' default
MANAGING_ROLES = (Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR)


class ClockError(Exception):
    """A clocking that cannot be done; the message is for the agent."""


def find_open_shift(user: User) -> Shift | None:
    return Shift.objects.filter(agent_id=user.pk, ended_at__isnull=True).first()


def find_open_break(shift: Shift) -> Break | None:
    return Break.objects.filter(shift=shift, ended_at__isnull=True).first()


def _lock_open_shift(user: User) -> Shift:
    shift = Shift.objects.select_for_update().filter(agent_id=user.pk, ended_at__isnull=True).first()
    if shift is None:
        raise ClockError(_("You are not clocked in."))
    return shift


@transaction.atomic
def do_clock_in(*, acting_user: User, now: dt.datetime | None = None) -> Shift:
    """``acting_user`` starts a shift; they are "not ready" on the phone until they go ready."""
    if Shift.objects.filter(agent_id=acting_user.pk, ended_at__isnull=True).exists():
        raise ClockError(_("You are already clocked in."))
    try:
        with transaction.atomic():
            shift = Shift.objects.create(agent=acting_user, started_at=now or timezone.now())
    except IntegrityError:  # clocked in a moment ago, in another tab
        raise ClockError(_("You are already clocked in.")) from None
    do_set_phone_state(acting_user, PhoneState.NOT_READY, acting_user=acting_user)
    return shift


@transaction.atomic
def do_start_break(*, reason: str, acting_user: User, now: dt.datetime | None = None) -> Break:
    """A break of the agent's open shift, with its reason; "not ready" on the phone meanwhile."""
    if reason not in BreakReason.values:
        raise ClockError(_("Choose why you take a break."))
    shift = _lock_open_shift(acting_user)
    if find_open_break(shift) is not None:
        raise ClockError(_("You are already on a break."))
    started = now or timezone.now()
    brk = Break.objects.create(shift=shift, started_at=started, reason=reason)
    # The phone's reason for training and meetings is the same; lunch and short breaks are a "break".
    phone_reason = reason if reason in NOT_READY_REASONS else "break"
    do_set_phone_state(acting_user, PhoneState.NOT_READY, reason=phone_reason, acting_user=acting_user)
    return brk


@transaction.atomic
def do_end_break(*, acting_user: User, now: dt.datetime | None = None) -> Break:
    """Back from the break: "not ready" until the agent goes ready again."""
    shift = _lock_open_shift(acting_user)
    brk = find_open_break(shift)
    if brk is None:
        raise ClockError(_("You are not on a break."))
    brk.ended_at = now or timezone.now()
    brk.save(update_fields=["ended_at"])
    do_set_phone_state(acting_user, PhoneState.NOT_READY, acting_user=acting_user)
    return brk


@transaction.atomic
def do_clock_out(*, acting_user: User, now: dt.datetime | None = None) -> Shift:
    """The shift ends (an open break with it); the agent is signed out of the phone."""
    shift = _lock_open_shift(acting_user)
    ended = now or timezone.now()
    Break.objects.filter(shift=shift, ended_at__isnull=True).update(ended_at=ended)
    shift.ended_at = ended
    shift.save(update_fields=["ended_at"])
    do_set_phone_state(acting_user, PhoneState.SIGNED_OUT, acting_user=acting_user)
    return shift


# --- the forgotten clock-out -----------------------------------------------------------------------


def shift_hours_of(user: User) -> int:
    """The shift length after which a forgotten shift is closed: the longest of the agent's groups'."""
    longest = Group.objects.filter(memberships__user_id=user.pk).aggregate(hours=Max("shift_hours"))["hours"]
    return int(longest or DEFAULT_SHIFT_HOURS)


@transaction.atomic
def do_close_forgotten_shift(shift: Shift, *, now: dt.datetime | None = None) -> bool:
    """Close ``shift`` at its start plus the agent's shift length if that time has passed, flagged
    for the managers, who are told by email. Whether it was closed."""
    current = Shift.objects.select_for_update().select_related("agent").get(pk=shift.pk)
    if current.ended_at is not None:
        return False
    ended = current.started_at + dt.timedelta(hours=shift_hours_of(current.agent))
    if ended > (now or timezone.now()):
        return False
    Break.objects.filter(shift=current, started_at__gte=ended).delete()
    Break.objects.filter(shift=current).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=ended)).update(ended_at=ended)
    current.ended_at, current.auto_closed = ended, True
    current.save(update_fields=["ended_at", "auto_closed"])
    do_set_phone_state(current.agent, PhoneState.SIGNED_OUT, acting_user=current.agent)
    _tell_managers(current)
    return True


def _tell_managers(shift: Shift) -> None:
    """Email the managers of the agent's groups, once each, in their own language, about the
    group whose shift length closed the shift (or another of the agent's groups they manage)."""
    agent = shift.agent
    name = agent.get_full_name() or agent.get_username()
    managed = (
        Membership.objects.filter(group__memberships__user_id=agent.pk, role__in=MANAGING_ROLES, user__is_active=True)
        .exclude(user_id=agent.pk)
        .exclude(user__email="")
        .select_related("user__agent_profile", "group")
        .order_by("-group__shift_hours", "group_id")
    )
    told: set[int] = set()
    for membership in managed:
        manager = membership.user
        if manager.pk in told:
            continue
        told.add(manager.pk)
        with translation.override(agent_language(manager)):
            subject = _("Shift closed automatically: %(name)s") % {"name": name}
            text = _(
                "%(name)s did not clock out. Their shift, clocked in at %(start)s, was closed at %(end)s "
                "(UTC), after the group's shift length, and is flagged on the hours page. Correct it "
                "there if they worked a different time."
            ) % {"name": name, "start": f"{shift.started_at:%Y-%m-%d %H:%M}", "end": f"{shift.ended_at:%Y-%m-%d %H:%M}"}
            messenger().email_agent(manager, group=membership.group, subject=subject, text=text)


def do_close_forgotten_shifts(*, now: dt.datetime | None = None) -> int:
    """Every open shift older than the shortest group shift length that has run past its own; each
    in its own transaction. Returns how many were closed."""
    now = now or timezone.now()
    shortest = Group.objects.order_by("shift_hours").values_list("shift_hours", flat=True).first() or 1
    candidates = Shift.objects.filter(ended_at__isnull=True, started_at__lte=now - dt.timedelta(hours=shortest))
    return sum(do_close_forgotten_shift(shift, now=now) for shift in candidates.order_by("started_at").iterator())


# --- corrections by managers -----------------------------------------------------------------------


def can_correct(user: User, agent: User) -> bool:
    """Administrators, and the managers of one of the agent's groups; nobody their own shifts
    (but an administrator)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.pk == agent.pk:
        return False
    agent_groups = Membership.objects.filter(user_id=agent.pk).values("group_id")
    return Membership.objects.filter(user=user, group_id__in=agent_groups, role__in=MANAGING_ROLES).exists()


def _record(
    shift: Shift, brk: Break | None, field: str, old: dt.datetime | None, new: dt.datetime, **who: object
) -> None:
    if old == new:
        return
    ShiftCorrection.objects.create(shift=shift, brk=brk, field=field, old_value=old, new_value=new, **who)


@transaction.atomic
def do_correct_shift(  # noqa: PLR0913
    shift: Shift,
    *,
    started_at: dt.datetime,
    ended_at: dt.datetime | None,
    breaks: dict[int, tuple[dt.datetime, dt.datetime | None]],
    reason: str,
    acting_user: User,
) -> Shift:
    """A manager sets a shift's start and end and its breaks' (``breaks``: break id → start, end);
    every changed value is recorded with who, when, why, the old and the new value."""
    current = Shift.objects.select_for_update().select_related("agent").get(pk=shift.pk)
    if not can_correct(acting_user, current.agent):
        raise PermissionDenied(_("Only the agent's managers correct their shifts."))
    reason = " ".join(reason.split())
    if not reason:
        raise ClockError(_("Say why you correct the shift."))
    if current.ended_at is None and ended_at is not None:
        raise ClockError(_("The agent is still clocked in: correct the end once the shift is over."))
    if current.ended_at is not None and ended_at is None:
        raise ClockError(_("Give the time the shift ended."))
    end = ended_at or timezone.now()
    if end <= started_at:
        raise ClockError(_("A shift ends after it starts."))
    overlapping = Shift.objects.filter(agent_id=current.agent_id, started_at__lt=end).exclude(pk=current.pk)
    if overlapping.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=started_at)).exists():
        raise ClockError(_("The shift would overlap another shift of the agent's."))
    rows = {brk.pk: brk for brk in Break.objects.select_for_update().filter(shift=current)}
    spans = []
    for brk_id, (b_start, b_end) in breaks.items():
        if brk_id not in rows:
            raise ClockError(_("That break is not one of this shift's."))
        b_stop = b_end or end
        if not started_at <= b_start < b_stop <= end:
            raise ClockError(_("A break starts before it ends, within its shift."))
        spans.append((b_start, b_stop))
    spans.sort()
    if any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:], strict=False)):
        raise ClockError(_("Breaks cannot overlap."))
    who = {"reason": reason[:300], "corrected_by": acting_user, "corrected_at": timezone.now()}
    _record(current, None, ShiftCorrection.Field.SHIFT_START, current.started_at, started_at, **who)
    if ended_at is not None:
        _record(current, None, ShiftCorrection.Field.SHIFT_END, current.ended_at, ended_at, **who)
    current.started_at, current.ended_at = started_at, ended_at
    current.save(update_fields=["started_at", "ended_at"])
    for brk_id, (b_start, b_end) in breaks.items():
        brk = rows[brk_id]
        _record(current, brk, ShiftCorrection.Field.BREAK_START, brk.started_at, b_start, **who)
        if b_end is not None:
            _record(current, brk, ShiftCorrection.Field.BREAK_END, brk.ended_at, b_end, **who)
            brk.ended_at = b_end
        brk.started_at = b_start
        brk.save(update_fields=["started_at", "ended_at"])
    return current
