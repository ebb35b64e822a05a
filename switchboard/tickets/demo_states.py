"""Demo data of phone states (PHONE-09): the demo's agents at work in different states, with a
little history, so that the Team page and the shift menu show something real. Loaded with the
demo (`switchboard run`), once."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from switchboard.tickets.models import AgentProfile, AgentStateChange

PhoneState = AgentProfile.PhoneState

# The demo's agents by their place in demo_texts._agents (anna, geoff/grzegorz, bartek, maya/maja):
# (state, reason, minutes in it), after an hour of being ready. Anna, who shoots the pages, is ready.
STATES = [
    (PhoneState.READY, "", 12),
    (PhoneState.ON_CALL, "", 4),
    (PhoneState.NOT_READY, "break", 7),
    (PhoneState.WRAP_UP, "", 0),
]


@transaction.atomic
def load_states_demo(language: str = "en") -> None:
    """The demo agents' states; nothing if there is no demo or a state was switched already."""
    del language  # the states' names follow the reader's language
    if AgentStateChange.objects.exists():
        return
    users = list(User.objects.filter(agent_profile__isnull=False, is_superuser=False).order_by("pk")[: len(STATES)])
    now = timezone.now()
    for user, (state, reason, minutes) in zip(users, STATES, strict=False):
        since = now - dt.timedelta(minutes=minutes, seconds=25)
        start = since - dt.timedelta(hours=1)
        AgentStateChange.objects.create(user=user, state=PhoneState.READY, started_at=start, ended_at=since)
        if state != PhoneState.READY:
            AgentStateChange.objects.create(user=user, state=state, reason=reason, started_at=since)
        else:
            AgentStateChange.objects.filter(user=user).update(ended_at=None, started_at=since)
        until = now + dt.timedelta(minutes=10) if state == PhoneState.WRAP_UP else None
        AgentProfile.objects.filter(user=user).update(
            phone_state=state, phone_state_reason=reason, phone_state_since=since, phone_state_until=until
        )
