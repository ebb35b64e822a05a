"""An agent's phone state (PHONE-09): signed out, not ready (with a reason), ready, on a call,
wrap-up. One state per agent, for all their groups.

The state is one switch for calls and new tickets, together with the per-group availability
(Membership.available): new tickets go to available members who are ready, on a call or in
wrap-up (assignment.choose_owner; they answer a ticket after the call), never to one not ready or
signed out. Becoming ready takes the waiting tickets at once.

Which switches are allowed (``ALLOWED``): signing out and "not ready" (a break, training, ...)
always, so that the time clock can sign out or pause anyone; "ready" from anything but a call
(a call ends in wrap-up); "on a call" when at work or on a break (a call placed during a break);
"wrap-up" only after a call. Wrap-up lasts the agent's groups' ``wrap_up_seconds`` (the longest,
for an agent in several), then the agent is ready again by themselves (a job scheduled for then,
and a job every minute as the safety net). Every switch is kept (AgentStateChange) and pushed
live to the Team pages of the agent's groups (consumers.TeamConsumer).
"""

from __future__ import annotations

import datetime as dt

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from switchboard.tickets.models import AgentProfile, AgentStateChange, Group, Membership

PhoneState = AgentProfile.PhoneState

ALLOWED: dict[str, set[str]] = {
    PhoneState.SIGNED_OUT: {PhoneState.READY, PhoneState.NOT_READY},
    PhoneState.NOT_READY: {PhoneState.READY, PhoneState.NOT_READY, PhoneState.ON_CALL, PhoneState.SIGNED_OUT},
    PhoneState.READY: {PhoneState.NOT_READY, PhoneState.ON_CALL, PhoneState.SIGNED_OUT},
    PhoneState.ON_CALL: {PhoneState.WRAP_UP, PhoneState.NOT_READY, PhoneState.SIGNED_OUT},
    PhoneState.WRAP_UP: {PhoneState.READY, PhoneState.NOT_READY, PhoneState.ON_CALL, PhoneState.SIGNED_OUT},
}

# Why an agent is not ready: a short list, kept by key (the time clock uses "break").
NOT_READY_REASONS: dict[str, Promise] = {
    "break": gettext_lazy("Break"),
    "after_call": gettext_lazy("After-call work"),
    "training": gettext_lazy("Training"),
    "meeting": gettext_lazy("Meeting"),
    "other": gettext_lazy("Other"),
}

# How each state looks: a Bootstrap icon and colour.
STATE_LOOK: dict[str, tuple[str, str]] = {
    PhoneState.SIGNED_OUT: ("bi-power", "secondary"),
    PhoneState.NOT_READY: ("bi-pause-circle-fill", "warning"),
    PhoneState.READY: ("bi-check-circle-fill", "success"),
    PhoneState.ON_CALL: ("bi-telephone-fill", "danger"),
    PhoneState.WRAP_UP: ("bi-pencil-square", "info"),
}

DEFAULT_WRAP_UP_SECONDS = Group._meta.get_field("wrap_up_seconds").get_default()


def state_looks() -> list[tuple[str, str, str, str]]:
    """Every state's key, name (in the reader's language), icon and colour."""
    return [(state, str(PhoneState(state).label), *STATE_LOOK[state]) for state in PhoneState.values]


class PhoneStateError(Exception):
    """A switch that is not allowed, in words for the agent."""


def team_channel_group(group_id: int) -> str:
    """The channel group of a group's Team pages (consumers.TeamConsumer)."""
    return f"team.{group_id}"


def phone_state_of(user: User) -> str:
    profile = getattr(user, "agent_profile", None)
    return profile.phone_state if profile is not None else PhoneState.SIGNED_OUT


def reason_label(reason: str) -> str:
    """The reason in the reader's language; one not on the list as it was written."""
    return str(NOT_READY_REASONS.get(reason, reason))


def wrap_up_seconds_for(user: User | int) -> int:
    """How long ``user``'s wrap-up lasts: the longest of their groups' (an agent in several)."""
    longest = Membership.objects.filter(user=user).aggregate(longest=Max("group__wrap_up_seconds"))["longest"]
    return int(DEFAULT_WRAP_UP_SECONDS if longest is None else longest)


@transaction.atomic
def do_set_phone_state(user: User, state: str, *, reason: str = "", acting_user: User | None) -> AgentProfile:
    """``user`` is in ``state`` from now on; the reason is kept only for "not ready". A switch not
    in ``ALLOWED`` raises PhoneStateError; switching to the state one is in already changes
    nothing (unless a new reason is given). ``acting_user`` None: the system (a call event, the
    end of wrap-up)."""
    state = PhoneState(state)
    profile, _created = AgentProfile.objects.select_for_update().get_or_create(
        user=user, defaults={"initials": (user.get_username()[:2]).upper()}
    )
    reason = reason.strip()[:100] if state == PhoneState.NOT_READY else ""  # none just after clocking in
    before = PhoneState(profile.phone_state)
    if state == before and reason == profile.phone_state_reason:
        return profile
    if state not in ALLOWED[before]:
        raise PhoneStateError(
            _("“%(state)s” cannot follow “%(before)s”.") % {"state": state.label, "before": before.label}
        )
    now = timezone.now()
    until: dt.datetime | None = None
    if state == PhoneState.WRAP_UP:
        seconds = wrap_up_seconds_for(user)
        if seconds == 0:  # no wrap-up in any of the agent's groups: ready at once
            state = PhoneState.READY
        else:
            until = now + dt.timedelta(seconds=seconds)
    profile.phone_state, profile.phone_state_reason = state, reason
    profile.phone_state_since, profile.phone_state_until = now, until
    profile.save(update_fields=["phone_state", "phone_state_reason", "phone_state_since", "phone_state_until"])
    AgentStateChange.objects.filter(user=user, ended_at__isnull=True).update(ended_at=now)
    AgentStateChange.objects.create(user=user, state=state, reason=reason, started_at=now, acting_user=acting_user)
    user_id = user.pk
    if until is not None:
        transaction.on_commit(lambda: _end_wrap_up_later(user_id, until))
    if state in AgentProfile.TICKET_STATES and before not in AgentProfile.TICKET_STATES:
        transaction.on_commit(lambda: _take_waiting_tickets(user_id))
    transaction.on_commit(lambda: publish_phone_state(profile))
    return profile


def do_start_call(user: User) -> AgentProfile | None:
    """A call of the agent's was answered (the phone channel's events): on a call. Ignored when
    the agent is signed out (nothing to show) or on a call already."""
    state = AgentProfile.objects.filter(user=user).values_list("phone_state", flat=True).first()
    if state is None or PhoneState.ON_CALL not in ALLOWED[state]:
        return None
    return do_set_phone_state(user, PhoneState.ON_CALL, acting_user=None)


def do_end_call(user: User) -> AgentProfile | None:
    """A call of the agent's ended (completed, failed, busy, ...): wrap-up, when they were on a
    call; a call that never connected leaves their state as it was."""
    if not AgentProfile.objects.filter(user=user, phone_state=PhoneState.ON_CALL).exists():
        return None
    return do_set_phone_state(user, PhoneState.WRAP_UP, acting_user=None)


def do_end_wrap_ups(*, now: dt.datetime | None = None, user_id: int | None = None) -> int:
    """Agents whose wrap-up time is over are ready again (all of them, or one); returns how many."""
    now = now or timezone.now()
    over = AgentProfile.objects.filter(phone_state=PhoneState.WRAP_UP, phone_state_until__lte=now)
    if user_id is not None:
        over = over.filter(user_id=user_id)
    ended = 0
    for profile in over.select_related("user"):
        with transaction.atomic():
            current = AgentProfile.objects.select_for_update().get(pk=profile.pk)
            if current.phone_state != PhoneState.WRAP_UP or not current.phone_state_until:
                continue
            if current.phone_state_until > now:
                continue
            do_set_phone_state(profile.user, PhoneState.READY, acting_user=None)
            ended += 1
    return ended


def _end_wrap_up_later(user_id: int, until: dt.datetime) -> None:
    from switchboard.tickets import tasks  # noqa: PLC0415 - tasks imports the actions

    tasks.end_wrap_up.schedule((user_id,), eta=until)


def _take_waiting_tickets(user_id: int) -> None:
    from switchboard.tickets import tasks  # noqa: PLC0415 - tasks imports the actions

    tasks.assign_waiting_tickets_for(user_id)


def publish_phone_state(profile: AgentProfile) -> None:
    """The agent's new state to the Team pages of each of their groups."""
    layer = get_channel_layer()
    if layer is None:
        return
    group_ids = list(Membership.objects.filter(user_id=profile.user_id).values_list("group_id", flat=True))
    since = profile.phone_state_since.isoformat() if profile.phone_state_since else ""

    async def send_all() -> None:
        for group_id in group_ids:
            event = {
                "type": "agent.state",
                "group": group_id,
                "user": profile.user_id,
                "state": profile.phone_state,
                "reason": profile.phone_state_reason,
                "since": since,
                "now": timezone.now().isoformat(),
            }
            await layer.group_send(team_channel_group(group_id), event)

    async_to_sync(send_all)()
