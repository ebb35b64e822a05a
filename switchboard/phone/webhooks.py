"""What every provider webhook does first (PHONE-06, nothing lost): check the provider's
signature against SITE_URL + the path (so it works behind a proxy), store the parameters as a
raw message and commit, and only then answer. The same Sid again (a replay, or the provider
trying again) is stored once and applied once."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import RawItem, do_store_raw_messages
from switchboard.phone.models import PhoneNumber
from switchboard.phone.provider import provider_for
from switchboard.tickets.models import Group

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"


@dataclass(frozen=True)
class Webhook:
    number: PhoneNumber  # ours: the one called or texted, or the one calling out
    params: dict[str, str]
    raw: RawMessage
    is_new: bool  # False for a replay: answer as before, change nothing


class WebhookRefusedError(Exception):
    """Not signed by the provider for one of our numbers (answered 403, nothing stored)."""


def receive_webhook(request: HttpRequest, *, channel: str, source_key: str, group: Group | None = None) -> Webhook:
    """Check and store one webhook request. ``source_key``: what makes it unique, with the
    provider's Sid in it; ``group``: whose message it is, if not the number's default group.
    Raises WebhookRefusedError for a missing, forged or foreign signature."""
    params: QueryDict = request.POST
    number = signed_number(request)
    if not params.get("AccountSid") or not source_key.rpartition(":")[2]:
        raise WebhookRefusedError("signed, but without the provider's ids")
    # The provider's parameters, and those of our own URL's query (the group, the caller) it signed too.
    data = urlencode([*request.GET.lists(), *params.lists()], doseq=True).encode()
    stored = do_store_raw_messages(
        [RawItem(channel=channel, source_key=source_key, data=data, group=group or number.default_group)]
    )
    if stored:
        return Webhook(
            number=number, params={key: str(value) for key, value in params.items()}, raw=stored[0], is_new=True
        )
    raw = RawMessage.objects.get(channel=channel, source_key=source_key)
    log.info("Webhook %s:%s again: answered, not applied again", channel, source_key)
    return Webhook(number=number, params={key: str(value) for key, value in params.items()}, raw=raw, is_new=False)


def webhook_parameters(data: bytes) -> dict[str, str]:
    """The parameters a webhook was called with, as ``receive_webhook`` stored them (urlencoded,
    our URL's query first): the first value of each name."""
    parameters: dict[str, str] = {}
    for name, value in parse_qsl(data.decode("utf-8", "replace"), keep_blank_values=True):
        parameters.setdefault(name, value)
    return parameters


def signed_number(request: HttpRequest) -> PhoneNumber:
    """Our enabled number the request is about (To, else From) whose provider signed it."""
    params = request.POST
    signature = request.headers.get(SIGNATURE_HEADER, "")
    url = settings.SITE_URL + request.get_full_path()
    candidates = _our_numbers(params).select_related("default_group")
    for number in candidates:
        if provider_for(number).validate(url, params, signature):  # QueryDict: its lists
            return number
    reason = "no signature" if not signature else "a signature that does not match" if candidates else "not our number"
    log.warning("Webhook %s refused (403): %s", request.path, reason)
    raise WebhookRefusedError(reason)


def _our_numbers(params: Mapping[str, str]) -> QuerySet[PhoneNumber]:
    return PhoneNumber.objects.filter(
        number__in=[params.get("To", ""), params.get("From", ""), params.get("Called", "")],
        account_sid=params.get("AccountSid", ""),
        enabled=True,
    )


def find_our_number(params: Mapping[str, str]) -> PhoneNumber | None:
    """Our enabled number a stored webhook's parameters are about (its signature was checked
    when it was stored)."""
    return _our_numbers(params).first()


def do_mark_webhook_applied(raw: RawMessage, **links: object) -> None:
    """The webhook has done what it asks for (``links``: the ticket, activity or group it
    touched): the intake's retry of forgotten messages leaves it alone."""
    for name, value in links.items():
        setattr(raw, name, value)
    raw.state, raw.processed_at = RawMessage.State.APPLIED, timezone.now()
    raw.save(update_fields=["state", "processed_at", *links])
