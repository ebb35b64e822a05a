"""Writes of the phone channel on a voicemail's entry: its fetched recording and its transcript
(PHONE-03). Calls and voicemails themselves reach the caller's ticket through the intake
pipeline, as every channel's messages do (channel.py)."""

from __future__ import annotations

from django.db import transaction

from switchboard.tickets import search
from switchboard.tickets.files import do_attach_file
from switchboard.tickets.messages import do_note_contact_words
from switchboard.tickets.models import Activity, Attachment, SearchEntry
from switchboard.tickets.realtime import publish_ticket_changed_on_commit


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
    search.index_text(
        ticket_id=voicemail.ticket_id, source=SearchEntry.Source.ACTIVITY, source_id=voicemail.pk, text=transcript
    )
    publish_ticket_changed_on_commit(voicemail.ticket, actor_id=None)
    return voicemail
