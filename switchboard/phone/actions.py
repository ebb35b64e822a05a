"""Every write of the phone channel: voicemails and the call log on the caller's ticket
(PHONE-03, PHONE-07). The ticket is the caller's open one in the group, else a new one."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.intake.models import RawMessage
from switchboard.phone import tasks
from switchboard.phone.models import PhoneNumber
from switchboard.phone.selectors import find_caller
from switchboard.phone.voice import MENU_TIMES
from switchboard.phone.webhooks import do_mark_webhook_applied
from switchboard.tickets import search
from switchboard.tickets.actions import OpenTicketExistsError, do_create_ticket
from switchboard.tickets.assignment import do_route_contact_message
from switchboard.tickets.files import do_attach_file
from switchboard.tickets.messages import do_note_contact_words
from switchboard.tickets.messaging import messenger
from switchboard.tickets.models import Activity, ActivityKind, Attachment, Group, SearchEntry, Ticket, TicketSource
from switchboard.tickets.realtime import publish_ticket_changed_on_commit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recording:
    """What the provider's recording callback says about a voicemail."""

    recording_sid: str
    url: str
    duration: int  # seconds
    provider_transcript: str  # "" when the provider sends none


def caller_ticket(group: Group, caller: str, *, reason: str, excerpt: str) -> Ticket:
    """The caller's open ticket in the group; a new one (an inbound call) if there is none,
    titled with the call's ``reason`` ("Voicemail", "Missed call"). Like a contact's email, the
    call is routed by the group's rule (ROUTE-01, ROUTE-02), and a new ticket is told to the
    agents who want to hear of new tickets (``excerpt``: what to say)."""
    contact = find_caller(caller) or _new_caller(caller)
    open_ticket = Ticket.objects.filter(contact=contact, group=group, closed_at__isnull=True).first()
    if open_ticket is not None:
        return do_route_contact_message(open_ticket)
    try:
        ticket = do_create_ticket(group, contact=contact, source=TicketSource.PHONE, acting_user=None, subject=reason)
    except OpenTicketExistsError as error:  # opened a moment ago by another call of theirs
        if error.existing is None:
            raise
        return error.existing
    ticket = do_route_contact_message(ticket)
    messenger().notify_new_ticket(ticket, excerpt=excerpt, acting_user=None)
    return ticket


def _new_caller(caller: str) -> Contact:
    try:
        return do_create_contact(kind=Contact.Kind.PERSON, last_name=caller, phones=[caller], acting_user=None)
    except ValidationError:  # a withheld or odd caller ID: a contact without a number
        return do_create_contact(kind=Contact.Kind.PERSON, last_name=caller or _("Unknown caller"), acting_user=None)


def _add_voicemail_entry(group: Group, *, caller: str, duration: int, recording_sid: str) -> Activity:
    ticket = caller_ticket(
        group, caller, reason=_("Voicemail"), excerpt=_("Voicemail from %(caller)s") % {"caller": caller}
    )
    voicemail = Activity.objects.create(
        ticket=ticket,
        kind=ActivityKind.VOICEMAIL,
        from_address=caller[:254],
        duration=duration,
        provider_id=recording_sid,
    )
    _touch(ticket)
    return voicemail


@transaction.atomic
def do_add_voicemail(
    raw: RawMessage, *, number: PhoneNumber, group: Group, caller: str, recording: Recording
) -> Activity:
    """The voicemail on the caller's ticket, "recording pending" until the job has fetched the
    audio; the job is queued when this commits (never run in the webhook's request)."""
    voicemail = _add_voicemail_entry(
        group, caller=caller, duration=recording.duration, recording_sid=recording.recording_sid
    )
    do_mark_webhook_applied(raw, ticket=voicemail.ticket, activity=voicemail, sender=caller[:254], group=group)
    transaction.on_commit(
        lambda: tasks.fetch_voicemail(voicemail.pk, number.pk, recording.url, recording.provider_transcript)
    )
    return voicemail


@transaction.atomic
def do_add_voicemail_with_audio(
    group: Group, *, caller: str, recording_sid: str, audio: bytes, content_type: str, transcript: str
) -> Activity:
    """A voicemail whose recording is at hand already (the demo data)."""
    voicemail = _add_voicemail_entry(group, caller=caller, duration=0, recording_sid=recording_sid)
    do_keep_voicemail_audio(voicemail, audio=audio, content_type=content_type)
    return do_add_voicemail_transcript(voicemail, transcript=transcript)


@transaction.atomic
def do_keep_voicemail_audio(voicemail: Activity, *, audio: bytes, content_type: str) -> Attachment:
    """The fetched recording on the voicemail entry, played on the timeline; kept once (a job
    that runs again finds it)."""
    voicemail = Activity.objects.select_for_update().get(pk=voicemail.pk)
    kept = voicemail.attachments.first()
    if kept is not None:
        return kept
    extension = "mp3" if content_type == "audio/mpeg" else "wav"
    attachment = do_attach_file(
        voicemail, filename=f"voicemail-{voicemail.provider_id}.{extension}", content_type=content_type, content=audio
    )
    publish_ticket_changed_on_commit(voicemail.ticket, actor_id=None)
    return attachment


@transaction.atomic
def do_add_voicemail_transcript(voicemail: Activity, *, transcript: str) -> Activity:
    """The transcript as the voicemail entry's text (the one change a voicemail entry gets: it is
    filled in once), searchable."""
    voicemail = Activity.objects.select_for_update().get(pk=voicemail.pk)
    if voicemail.body or not transcript:
        return voicemail
    voicemail.body = transcript
    voicemail.save(update_fields=["body"])
    do_note_contact_words(voicemail.ticket, text=transcript)
    search.add_text(
        ticket_id=voicemail.ticket_id, source=SearchEntry.Source.ACTIVITY, source_id=voicemail.pk, text=transcript
    )
    publish_ticket_changed_on_commit(voicemail.ticket, actor_id=None)
    return voicemail


@transaction.atomic
def do_log_ended_call(raw: RawMessage, *, number: PhoneNumber, params: dict[str, str]) -> Activity | None:
    """An ended call on the caller's ticket in the group they chose (PHONE-07): answered, not
    answered or missed, with its duration. A call that left a voicemail has that as its entry."""
    call_sid = params.get("CallSid", "")
    if RawMessage.objects.filter(channel="voice", source_key=f"recorded:{call_sid}").exists():
        do_mark_webhook_applied(raw)
        return None
    outbound = params.get("Direction", "inbound").startswith("outbound")
    chosen = (
        RawMessage.objects.filter(
            channel="voice", source_key__in=[f"menu:{n}:{call_sid}" for n in range(1, MENU_TIMES + 1)]
        )
        .exclude(group=None)
        .select_related("group")
        .first()
    )
    group = chosen.group if chosen is not None and chosen.group is not None else number.default_group
    if outbound:
        outcome = _("Answered") if params.get("CallStatus") == "completed" else _("Not answered")
    else:
        outcome = _("Missed call")  # the menu leads to voicemail: an inbound call without one was missed
    caller = params.get("To" if outbound else "From", "")[:254]
    duration = params.get("CallDuration", "")
    reason = _("Outbound call") if outbound else outcome
    ticket = caller_ticket(group, caller, reason=reason, excerpt=f"{outcome}: {caller}")
    entry = Activity.objects.create(
        ticket=ticket,
        kind=ActivityKind.CALL_OUT if outbound else ActivityKind.CALL_IN,
        body=outcome,
        from_address=caller,
        duration=int(duration) if duration.isdigit() else 0,
        provider_id=call_sid,
    )
    _touch(ticket)
    do_mark_webhook_applied(raw, ticket=ticket, activity=entry, sender=caller, group=group)
    return entry


def _touch(ticket: Ticket) -> None:
    """Something new on the ticket: it moves up the open list and open pages update."""
    ticket.version += 1
    ticket.save(update_fields=["version", "updated_at"])
    publish_ticket_changed_on_commit(ticket, actor_id=None)
