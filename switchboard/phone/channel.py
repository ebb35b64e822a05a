"""The "voice" channel in the intake's registry: a stored webhook of an ended call or of a
voicemail's recording as an ``Inbound`` for the pipeline, with how the call went (``Call``): the
caller's E.164 number, answered, missed or voicemail, its duration, the provider's ids and
transcript. The webhooks store them and queue the intake's job; once a voicemail is on its
ticket, a job fetches its recording (``applied``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from switchboard.contacts.points import normalise_phone
from switchboard.intake.channels import Channel
from switchboard.intake.inbound import Call, Inbound, Person
from switchboard.phone import tasks
from switchboard.phone.webhooks import webhook_parameters


def caller_of(data: bytes) -> str:
    params = webhook_parameters(data)
    if params.get("Direction", "inbound").startswith("outbound"):
        return params.get("To", "")
    return params.get("caller") or params.get("From", "")


def _seconds(value: str) -> int:
    return int(value) if value.isdigit() else 0


def call_of(params: dict[str, str]) -> Call:
    """How the call went: a recording's callback is a voicemail; an inbound call that left none
    was missed (the menu leads to voicemail); a call we placed was answered or not."""
    if params.get("RecordingSid") and params.get("RecordingUrl"):
        return Call(
            outcome="voicemail",
            outbound=False,
            duration=_seconds(params.get("RecordingDuration", "")),
            provider_id=params["RecordingSid"],
            recording_url=params["RecordingUrl"],
        )
    outbound = params.get("Direction", "inbound").startswith("outbound")
    if outbound:
        outcome = "answered" if params.get("CallStatus") == "completed" else "not_answered"
    else:
        outcome = "missed"
    return Call(
        outcome=outcome,
        outbound=outbound,
        duration=_seconds(params.get("CallDuration", "")),
        provider_id=params.get("CallSid", ""),
    )


def _entry_text(call: Call, params: dict[str, str]) -> str:
    """The entry's text: a voicemail's transcript (the provider's, else the job's), or how the call went."""
    if call.outcome == "voicemail":
        return params.get("TranscriptionText", "").strip()
    return {"answered": _("Answered"), "not_answered": _("Not answered")}.get(call.outcome, _("Missed call"))


def _reason(call: Call) -> str:
    """What the call was, as the title of a ticket it opens."""
    if call.outcome == "voicemail":
        return _("Voicemail")
    return _("Outbound call") if call.outbound else _("Missed call")


def parse_voice(items: list[bytes]) -> list[Inbound | str]:
    parsed: list[Inbound | str] = []
    for data in items:
        params = webhook_parameters(data)
        try:
            caller = Person(address=normalise_phone(caller_of(data)))
        except ValidationError:  # a withheld caller ID ("anonymous"): a new ticket of an unknown caller
            caller = Person(address="", name=_("Unknown caller"))
        call = call_of(params)
        parsed.append(
            Inbound(
                channel="voice",
                sender=caller,
                subject=_reason(call),
                text=_entry_text(call, params),
                recipients=[params.get("From" if call.outbound else "To", "")],
                call=call,
                files_pending=bool(call.recording_url),
            )
        )
    return parsed


def queue_recording_fetch(raw_message_id: int, inbound: Inbound) -> None:
    """Once a voicemail is on its ticket, a job fetches its recording (other calls have none)."""
    if inbound.files_pending:
        tasks.fetch_voicemail(raw_message_id)


def our_numbers() -> Iterable[str]:
    from switchboard.phone.models import PhoneNumber

    return list(PhoneNumber.objects.values_list("number", flat=True))


VOICE = Channel(
    name="voice",
    parse=parse_voice,
    deliver=None,
    contact_point_kind="phone",
    autorespond=False,
    ticket_source="phone",
    own_addresses=our_numbers,
    threaded=False,
    applied=queue_recording_fetch,
)
