"""Every write of the phone channel: calls and voicemails go on the caller's ticket through the
intake pipeline, as every channel's messages do (PHONE-03, PHONE-07): blocked callers, the
group's policy for a closed ticket, routing and the new-ticket notification apply to them too.
A voicemail's recording is then fetched and transcribed by a job (tasks.py)."""

from __future__ import annotations

import logging

from django.db import transaction

from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import do_apply_raw_messages
from switchboard.phone import tasks
from switchboard.phone.voice import MENU_TIMES
from switchboard.phone.webhooks import do_mark_webhook_applied, find_our_number, webhook_parameters
from switchboard.tickets import search
from switchboard.tickets.files import do_attach_file
from switchboard.tickets.models import Activity, ActivityKind, Attachment, Group, SearchEntry
from switchboard.tickets.realtime import publish_ticket_changed_on_commit

log = logging.getLogger(__name__)


def do_apply_call(raw: RawMessage) -> RawMessage:
    """Put a stored ended call or voicemail on the caller's ticket, in the group they chose in
    the menu (PHONE-07), through the intake pipeline; then queue the fetch of a voicemail's
    recording. A call that left a voicemail is not entered again: the voicemail is its entry.
    Applied once, however often it is asked (a replayed webhook, a job run twice)."""
    if raw.state != RawMessage.State.STORED:
        return raw
    params = webhook_parameters(bytes(raw.data))
    call_sid = params.get("CallSid", "")
    recording_url = params.get("RecordingUrl", "") if params.get("RecordingSid") else ""
    if not recording_url and RawMessage.objects.filter(channel="voice", source_key=f"recorded:{call_sid}").exists():
        do_mark_webhook_applied(raw)
        return raw
    group = _voicemail_group(params) if recording_url else _chosen_group(call_sid)
    if group is not None and group.pk != raw.group_id:
        raw.group = group
        raw.save(update_fields=["group"])
    do_apply_raw_messages([raw])
    raw = RawMessage.objects.select_related("activity").get(pk=raw.pk)
    voicemail = raw.activity
    number = find_our_number(params)
    if recording_url and voicemail is not None and voicemail.kind == ActivityKind.VOICEMAIL and number is not None:
        transcript = params.get("TranscriptionText", "").strip()
        transaction.on_commit(lambda: tasks.fetch_voicemail(voicemail.pk, number.pk, recording_url, transcript))
    return raw


def _voicemail_group(params: dict[str, str]) -> Group | None:
    """The group whose voicemail the caller reached: in the address of the recording's callback."""
    group = params.get("group", "")
    return Group.objects.filter(pk=int(group)).first() if group.isdigit() else None


def _chosen_group(call_sid: str) -> Group | None:
    """The group the caller chose in the menu, None when they chose none (the number's default)."""
    chosen = (
        RawMessage.objects.filter(
            channel="voice", source_key__in=[f"menu:{n}:{call_sid}" for n in range(1, MENU_TIMES + 1)]
        )
        .exclude(group=None)
        .select_related("group")
        .first()
    )
    return chosen.group if chosen is not None else None


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
    search.index_text(
        ticket_id=voicemail.ticket_id, source=SearchEntry.Source.ACTIVITY, source_id=voicemail.pk, text=transcript
    )
    publish_ticket_changed_on_commit(voicemail.ticket, actor_id=None)
    return voicemail
