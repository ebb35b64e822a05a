"""Jobs of the phone channel: an ended call or a voicemail is put on the caller's ticket, and a
voicemail's recording fetched and transcribed, here, never in a webhook's request (PHONE-03,
PHONE-07)."""

from __future__ import annotations

import importlib
import logging

from django.conf import settings
from huey.contrib.djhuey import db_task

log = logging.getLogger(__name__)


@db_task()
def receive_call(raw_message_id: int) -> None:
    """Put a stored ended call or voicemail on the caller's ticket through the intake pipeline."""
    from switchboard.intake.models import RawMessage
    from switchboard.phone.actions import do_apply_call  # it queues fetch_voicemail

    raw = RawMessage.objects.filter(pk=raw_message_id).first()
    if raw is not None:
        do_apply_call(raw)


@db_task()
def fetch_voicemail(
    voicemail_id: int, number_id: int, recording_url: str, provider_transcript: str, attempt: int = 0
) -> None:
    """Fetch the recording from the provider and keep it on the voicemail (it plays at once),
    then transcribe it, unless the provider sent a transcript. A failed fetch is tried again
    PHONE_FETCH_RETRIES times, each wait twice the one before; meanwhile the ticket says
    "recording pending", and once given up, that the recording could not be fetched."""
    from switchboard.phone.actions import do_add_voicemail_transcript, do_keep_voicemail_audio  # they queue this
    from switchboard.phone.models import PhoneNumber
    from switchboard.phone.provider import ProviderError, provider_for
    from switchboard.tickets.files import do_record_file_fetch
    from switchboard.tickets.models import Activity

    voicemail = Activity.objects.select_related("ticket").filter(pk=voicemail_id).first()
    number = PhoneNumber.objects.filter(pk=number_id).first()
    if voicemail is None or number is None:
        log.warning("Voicemail %s: its ticket or phone number is gone; not fetched", voicemail_id)
        return
    kept = voicemail.attachments.first()  # by an earlier run of this job
    if kept is not None:
        with kept.file.open("rb") as file:
            audio = file.read()
    else:
        try:
            audio, content_type = provider_for(number).fetch(recording_url)
        except ProviderError as error:
            if attempt >= settings.PHONE_FETCH_RETRIES:
                log.warning("Voicemail %s: recording not fetched, given up: %s", voicemail_id, error)
                do_record_file_fetch(voicemail, fetched=False)
                return
            delay = settings.PHONE_FETCH_RETRY_DELAY * 2**attempt
            log.warning("Voicemail %s: recording not fetched, again in %s s: %s", voicemail_id, delay, error)
            again = (voicemail_id, number_id, recording_url, provider_transcript, attempt + 1)
            fetch_voicemail.schedule(again, delay=delay)
            return
        do_keep_voicemail_audio(voicemail, audio=audio, content_type=content_type)
    do_record_file_fetch(voicemail, fetched=True)
    transcript = provider_transcript or _transcribe(audio, language=number.language)
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
