"""Jobs of the SMS channel: an MMS's photos, fetched from the provider once the intake has put
the text on its ticket, retried with a growing pause when the provider cannot be reached
(nothing lost)."""

from __future__ import annotations

import logging

from django.conf import settings
from huey.contrib.djhuey import db_task

from switchboard.intake.models import RawMessage
from switchboard.phone.provider import ProviderError
from switchboard.phone.sms import do_attach_sms_media, media_urls
from switchboard.phone.webhooks import webhook_parameters
from switchboard.tickets.files import do_record_file_fetch

log = logging.getLogger(__name__)


@db_task()
def fetch_sms_media(raw_message_id: int, attempt: int = 0) -> None:
    """Attach the photos of an MMS the intake has put on its ticket (the SMS channel's
    ``applied``); a failed fetch is tried again after PHONE_FETCH_RETRY_DELAY seconds, doubled
    each time, PHONE_FETCH_RETRIES times, and then the timeline says they could not be fetched."""
    raw = RawMessage.objects.select_related("activity__ticket").filter(pk=raw_message_id).first()
    if raw is None or raw.activity is None:
        return
    parameters = webhook_parameters(bytes(raw.data))
    try:
        do_attach_sms_media(raw, urls=media_urls(parameters), to_number=parameters.get("To", ""))
    except ProviderError as error:
        if attempt >= settings.PHONE_FETCH_RETRIES:
            log.warning("MMS photos of %s given up on after %s attempts: %s", raw, attempt + 1, error)
            do_record_file_fetch(raw.activity, fetched=False)
            return
        delay = settings.PHONE_FETCH_RETRY_DELAY * 2**attempt
        log.info("MMS photos of %s not fetched (%s); trying again in %s s", raw, error, delay)
        fetch_sms_media.schedule((raw_message_id, attempt + 1), delay=delay)
