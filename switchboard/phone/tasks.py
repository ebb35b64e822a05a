"""Jobs of the phone channel: a voicemail's recording is fetched and transcribed here, never in
a webhook's request (PHONE-03)."""

from __future__ import annotations

import importlib
import logging

from django.conf import settings
from huey.contrib.djhuey import db_task

log = logging.getLogger(__name__)


@db_task()
def fetch_voicemail(raw_message_id: int, attempt: int = 0) -> None:
    """Fetch a voicemail's recording from the provider and keep it on its entry (it plays at
    once), then transcribe it, unless the provider sent a transcript. Queued when the intake has
    put the voicemail on its ticket (the voice channel's ``applied``). A failed fetch is tried
    again PHONE_FETCH_RETRIES times, each wait twice the one before; meanwhile the ticket says
    "recording pending", and once given up, that the recording could not be fetched."""
    from switchboard.intake.models import RawMessage
    from switchboard.phone.actions import do_add_voicemail_transcript, do_keep_voicemail_audio  # they import this
    from switchboard.phone.provider import ProviderError, provider_for
    from switchboard.phone.webhooks import find_our_number, webhook_parameters
    from switchboard.tickets.files import do_record_file_fetch
    from switchboard.tickets.models import ActivityKind

    raw = RawMessage.objects.select_related("activity__ticket").filter(pk=raw_message_id).first()
    voicemail = raw.activity if raw is not None else None
    if raw is None or voicemail is None or voicemail.kind != ActivityKind.VOICEMAIL:
        return  # not a voicemail, or its ticket is gone
    params = webhook_parameters(bytes(raw.data))
    number = find_our_number(params)
    if number is None:
        log.warning("Voicemail %s: our phone number is gone; not fetched", voicemail.pk)
        do_record_file_fetch(voicemail, fetched=False)
        return
    kept = voicemail.attachments.first()  # by an earlier run of this job
    if kept is not None:
        with kept.file.open("rb") as file:
            audio = file.read()
    else:
        try:
            audio, content_type = provider_for(number).fetch(params.get("RecordingUrl", ""))
        except ProviderError as error:
            if attempt >= settings.PHONE_FETCH_RETRIES:
                log.warning("Voicemail %s: recording not fetched, given up: %s", voicemail.pk, error)
                do_record_file_fetch(voicemail, fetched=False)
                return
            delay = settings.PHONE_FETCH_RETRY_DELAY * 2**attempt
            log.warning("Voicemail %s: recording not fetched, again in %s s: %s", voicemail.pk, delay, error)
            fetch_voicemail.schedule((raw_message_id, attempt + 1), delay=delay)
            return
        do_keep_voicemail_audio(voicemail, audio=audio, content_type=content_type)
    do_record_file_fetch(voicemail, fetched=True)
    transcript = params.get("TranscriptionText", "").strip() or _transcribe(audio, language=number.language)
    do_add_voicemail_transcript(voicemail, transcript=transcript)


def _transcribe(audio: bytes, *, language: str) -> str:
    """Offline speech to text (switchboard.phone.transcription, faster-whisper), loaded only here.
    Audio the model cannot read, or a language it does not know, leaves the voicemail without a
    transcript (the audio is kept and plays)."""
    transcription = importlib.import_module("switchboard.phone.transcription")
    try:
        return str(transcription.transcribe(audio, language=language))
    except transcription.TranscriptionError as error:
        log.warning("Voicemail not transcribed: %s", error)
        return ""
