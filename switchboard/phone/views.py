"""The provider's webhooks under /phone/ (PHONE-01..07): thin; the signature check and storing
are in webhooks.py, what the caller hears in voice.py, the writes in actions.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.twiml import TwiML
from twilio.twiml.voice_response import VoiceResponse

from switchboard.phone import voice as speech
from switchboard.phone.webhooks import WebhookRefusedError, do_mark_webhook_applied, receive_webhook


def _twiml(response: TwiML) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml; charset=utf-8")


def _attempt(request: HttpRequest) -> int:
    value = request.GET.get("attempt", "1")
    return int(value) if value.isdigit() else 1


@csrf_exempt
@require_POST
def voice(request: HttpRequest) -> HttpResponse:
    """A call comes in: the menu."""
    try:
        hook = receive_webhook(request, channel="voice", source_key=f"call:{request.POST.get('CallSid', '')}")
    except WebhookRefusedError:
        return HttpResponseForbidden()
    if hook.is_new:
        do_mark_webhook_applied(hook.raw, sender=hook.params.get("From", "")[:254])
    return _twiml(speech.menu(hook.number))


@csrf_exempt
@require_POST
def voice_menu(request: HttpRequest) -> HttpResponse:
    """The caller pressed a digit, or nothing: the group, or the menu once more."""
    attempt = _attempt(request)
    key = f"menu:{attempt}:{request.POST.get('CallSid', '')}"
    try:
        hook = receive_webhook(request, channel="voice", source_key=key)
    except WebhookRefusedError:
        return HttpResponseForbidden()
    group = speech.group_for_digits(hook.number, hook.params.get("Digits", ""), attempt=attempt)
    if hook.is_new:
        do_mark_webhook_applied(hook.raw, sender=hook.params.get("From", "")[:254], group=group)
    if group is None:
        return _twiml(speech.menu(hook.number, attempt=attempt + 1))
    return _twiml(speech.voicemail(hook.number, group, caller=hook.params.get("From", "")))


@csrf_exempt
@require_POST
def voice_recording(request: HttpRequest) -> HttpResponse:
    """The provider has the voicemail's recording."""
    try:
        hook = receive_webhook(request, channel="voice", source_key=f"recording:{request.POST.get('RecordingSid', '')}")
    except WebhookRefusedError:
        return HttpResponseForbidden()
    if hook.is_new:
        do_mark_webhook_applied(hook.raw)
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def voice_status(request: HttpRequest) -> HttpResponse:
    """A call's state changed (the call log)."""
    status = request.POST.get("CallStatus", "")
    try:
        hook = receive_webhook(
            request, channel="voice", source_key=f"status:{status}:{request.POST.get('CallSid', '')}"
        )
    except WebhookRefusedError:
        return HttpResponseForbidden()
    if hook.is_new:
        do_mark_webhook_applied(hook.raw)
    return _twiml(VoiceResponse())
