"""Click-to-call (PHONE-05): the provider rings the agent's own phone (from personal settings),
then connects the contact when the agent answers; the call is logged on the ticket's timeline."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from switchboard.contacts.models import ContactPoint
from switchboard.phone.provider import ProviderError, provider_for
from switchboard.phone.sms import find_sms_number
from switchboard.tickets.agent_states import do_end_call, do_start_call
from switchboard.tickets.models import Activity, ActivityKind, AgentProfile, Ticket
from switchboard.tickets.permissions import ensure_can_work_on
from switchboard.tickets.realtime import publish_ticket_changed_on_commit

log = logging.getLogger(__name__)

# The provider's call statuses (its status callback) that mean the agent's leg is up, and over.
ANSWERED = {"answered", "in-progress"}
ENDED = {"completed", "failed", "busy", "no-answer", "canceled"}


class CallError(Exception):
    """Why a call cannot be placed, in words for the agent."""


def do_call_contact(ticket: Ticket, *, to_number: str, acting_user: User) -> Activity:
    """Ring the agent's phone, then the contact's ``to_number`` (one of the contact's numbers).
    The outbound call is on the timeline before the provider is asked to place it, so that no
    call goes unlogged; it gets the provider's id, or says why the provider refused (the agent
    is told too)."""
    ensure_can_work_on(acting_user, ticket)
    profile = AgentProfile.objects.filter(user=acting_user).first()
    if profile is None or not profile.phone:
        raise CallError(_("Add your phone in personal settings to call."))
    if not ContactPoint.objects.filter(
        contact=ticket.contact_id, kind=ContactPoint.Kind.PHONE, value=to_number
    ).exists():
        raise CallError(_("Choose one of the contact's phone numbers."))
    number = find_sms_number(ticket.group)
    if number is None:
        raise CallError(_("No phone number is set up for calls."))
    call = _log_call(
        ticket,
        body=_("Called %(number)s, ringing the agent's phone %(phone)s first.")
        % {"number": to_number, "phone": profile.phone},
        from_number=number.number,
        to_number=to_number,
        acting_user=acting_user,
    )
    connect = settings.SITE_URL + reverse("call_connect") + "?" + urlencode({"to": to_number})
    status = settings.SITE_URL + reverse("call_status")
    try:
        sid = provider_for(number).place_call(number.number, profile.phone, connect, status)
    except ProviderError as error:
        log.warning("Click-to-call on ticket %s not placed: %s", ticket.number, error)
        _fill_in(
            call, body=_("The call to %(number)s was not placed: %(error)s") % {"number": to_number, "error": error}
        )
        raise CallError(_("The provider could not place the call: %(error)s") % {"error": error}) from error
    return _fill_in(call, provider_id=sid)


@transaction.atomic
def _log_call(ticket: Ticket, *, body: str, from_number: str, to_number: str, acting_user: User) -> Activity:
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    call = Activity.objects.create(
        ticket=ticket,
        kind=ActivityKind.CALL_OUT,
        actor=acting_user,
        body=body,
        from_address=from_number,
        to_address=to_number,
    )
    ticket.version += 1
    ticket.save(update_fields=["version", "updated_at"])
    publish_ticket_changed_on_commit(ticket, actor_id=acting_user.pk)
    return call


@transaction.atomic
def _fill_in(call: Activity, **fields: str) -> Activity:
    """What the provider answered, on the call's entry (filled in once)."""
    for name, value in fields.items():
        setattr(call, name, value)
    call.save(update_fields=list(fields))
    publish_ticket_changed_on_commit(call.ticket, actor_id=call.actor_id)
    return call


def do_note_call_status(call_sid: str, status: str) -> None:
    """The provider tells how a click-to-call goes (PHONE-09): answered, the agent is on a call;
    over, in wrap-up (tickets.agent_states). A call we did not place changes nothing."""
    if not call_sid or status not in ANSWERED | ENDED:
        return
    call = (
        Activity.objects.filter(kind=ActivityKind.CALL_OUT, provider_id=call_sid, actor__isnull=False)
        .select_related("actor")
        .first()
    )
    if call is None or call.actor is None:
        return
    if status in ANSWERED:
        do_start_call(call.actor)
    else:
        do_end_call(call.actor)
