"""A callback ended (done or cancelled) and the line the ticket's history gives it (CC-03).

Apart from ``callbacks.py`` so that closing a ticket (``actions.do_close_ticket``) can end the
ticket's pending callback: ``callbacks.py`` builds on the actions, this module on the models only.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from switchboard.tickets.models import Callback, Ticket


def find_pending_callback(ticket: Ticket) -> Callback | None:
    return (
        Callback.objects.filter(ticket=ticket, state=Callback.State.PENDING)
        .select_related("agent__agent_profile")
        .first()
    )


def callback_history_field(callback: Callback) -> str:
    """A callback's line on the ticket's history (its field name; the reader's words come from
    the core template tags' CHANGE_FIELDS)."""
    return "callback_private" if callback.private else "callback_public"


def history_time(value: dt.datetime) -> str:
    return value.isoformat(timespec="minutes")


def end_callback(
    callback: Callback, state: Callback.State, *, acting_user: User | None, now: dt.datetime
) -> dict[str, str]:
    """Mark the callback done or cancelled; the history's line for it."""
    callback.state = state
    callback.finished_at = now
    callback.finished_by = acting_user
    callback.save(update_fields=["state", "finished_at", "finished_by", "updated_at"])
    return {"field": callback_history_field(callback), "old": history_time(callback.due_at), "new": state.value}


def end_callback_on_close(ticket: Ticket, *, acting_user: User | None, now: dt.datetime) -> list[dict[str, str]]:
    """Closing a ticket ends the promise to call back: its pending callback is cancelled (else a
    reopened ticket would show it again, long overdue). The history's line, or none."""
    callback = find_pending_callback(ticket)
    if callback is None:
        return []
    return [end_callback(callback, Callback.State.CANCELLED, acting_user=acting_user, now=now)]
