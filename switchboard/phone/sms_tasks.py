"""Jobs of the SMS channel: an MMS's photos, fetched from the provider once the text is on its
ticket, retried with a growing pause when the provider cannot be reached (nothing lost)."""

from __future__ import annotations

import logging

from django.conf import settings
from huey.contrib.djhuey import db_task

from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import do_apply_raw_messages
from switchboard.phone.provider import ProviderError
from switchboard.phone.sms import do_attach_sms_media
from switchboard.phone.sms_channel import media_urls
from switchboard.phone.webhooks import webhook_parameters
from switchboard.tickets.files import do_record_file_fetch

log = logging.getLogger(__name__)


@db_task()
def receive_sms(raw_message_id: int, attempt: int = 0) -> None:
    """Apply a stored SMS to its ticket (if its job has not yet), then attach its photos;
    a failed fetch is tried again after PHONE_FETCH_RETRY_DELAY seconds, doubled each time."""
    raw = RawMessage.objects.select_related("group", "activity__ticket").filter(pk=raw_message_id).first()
    if raw is None:
        return
    if raw.state == RawMessage.State.STORED:
        do_apply_raw_messages([raw])
        raw = RawMessage.objects.select_related("group", "activity__ticket").get(pk=raw_message_id)
    parameters = webhook_parameters(bytes(raw.data))
    try:
        do_attach_sms_media(raw, urls=media_urls(parameters), to_number=parameters.get("To", ""))
    except ProviderError as error:
        if attempt >= settings.PHONE_FETCH_RETRIES:
            log.warning("MMS photos of %s given up on after %s attempts: %s", raw, attempt + 1, error)
            if raw.activity is not None:
                do_record_file_fetch(raw.activity, fetched=False)
            return
        delay = settings.PHONE_FETCH_RETRY_DELAY * 2**attempt
        log.info("MMS photos of %s not fetched (%s); trying again in %s s", raw, error, delay)
        receive_sms.schedule((raw_message_id, attempt + 1), delay=delay)
