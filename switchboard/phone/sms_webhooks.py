"""The provider's SMS webhooks (PHONE-04, PHONE-05) and the connecting leg of click-to-call:
thin; the signature check and storing are in webhooks.py, the writes in sms.py."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from switchboard.contacts.points import normalise_phone
from switchboard.intake.tasks import apply_raw_messages
from switchboard.phone.click_to_call import do_note_call_status
from switchboard.phone.sms import do_apply_sms_keyword, do_record_sms_status
from switchboard.phone.webhooks import WebhookRefusedError, do_mark_webhook_applied, receive_webhook


def _xml(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


@csrf_exempt
@require_POST
def sms(request: HttpRequest) -> HttpResponse:
    """A text (or MMS) comes in: stored, STOP or START recorded, then applied to the sender's
    open ticket by the intake's job; another fetches the photos. The answer sends nothing back."""
    try:
        with transaction.atomic():
            hook = receive_webhook(request, channel="sms", source_key=f"sms:{request.POST.get('MessageSid', '')}")
            if hook.is_new:
                try:
                    sender = normalise_phone(hook.params.get("From", ""), region=settings.PHONE_REGION)
                except ValidationError:
                    sender = ""
                if sender:
                    do_apply_sms_keyword(sender, hook.params.get("Body", ""))
                raw_ids = [hook.raw.pk]
                transaction.on_commit(lambda: apply_raw_messages(raw_ids))
    except WebhookRefusedError:
        return HttpResponseForbidden()
    return _xml(str(MessagingResponse()))


@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> HttpResponse:
    """The provider reports on a text we sent: queued, sent, delivered, undelivered, failed."""
    status = request.POST.get("MessageStatus", "")
    key = f"sms-status:{status}:{request.POST.get('MessageSid', '')}"
    try:
        with transaction.atomic():
            hook = receive_webhook(request, channel="sms", source_key=key)
            if hook.is_new:
                do_record_sms_status(
                    hook.params.get("MessageSid", ""), status=status, error_code=hook.params.get("ErrorCode", "")
                )
                do_mark_webhook_applied(hook.raw, sender=hook.params.get("To", "")[:254])
    except WebhookRefusedError:
        return HttpResponseForbidden()
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def call_connect(request: HttpRequest) -> HttpResponse:
    """Click-to-call: the agent answered their phone; connect the contact. The number is in the
    address we gave the provider, which its signature covers."""
    try:
        hook = receive_webhook(request, channel="voice", source_key=f"connect:{request.POST.get('CallSid', '')}")
    except WebhookRefusedError:
        return HttpResponseForbidden()
    if hook.is_new:
        do_mark_webhook_applied(hook.raw, sender=hook.params.get("From", "")[:254])
        do_note_call_status(hook.params.get("CallSid", ""), "answered")
    response = VoiceResponse()
    try:
        contact = normalise_phone(request.GET.get("to", ""))
    except ValidationError:
        response.hangup()
        return _xml(str(response))
    response.dial(contact, caller_id=hook.number.number)
    return _xml(str(response))


@csrf_exempt
@require_POST
def call_status(request: HttpRequest) -> HttpResponse:
    """Click-to-call's state changes: kept, and the agent's phone state follows them (PHONE-09:
    answered, on a call; over, wrap-up). The call is on the ticket since it was placed; its first
    leg rings the agent, whose number must not become a caller's ticket."""
    key = f"click-to-call:{request.POST.get('CallStatus', '')}:{request.POST.get('CallSid', '')}"
    try:
        hook = receive_webhook(request, channel="voice", source_key=key)
    except WebhookRefusedError:
        return HttpResponseForbidden()
    if hook.is_new:
        do_mark_webhook_applied(hook.raw, sender=hook.params.get("To", "")[:254])
        do_note_call_status(hook.params.get("CallSid", ""), hook.params.get("CallStatus", ""))
    return HttpResponse(status=204)
