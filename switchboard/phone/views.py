"""The provider's webhooks under /phone/ (PHONE-01..07): thin; the signature check and storing
are in webhooks.py, what the caller hears in voice.py, the writes in actions.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.twiml import TwiML
from twilio.twiml.voice_response import VoiceResponse

from switchboard.phone import voice as speech
from switchboard.phone.actions import Recording, do_add_voicemail, do_log_ended_call
from switchboard.phone.selectors import may_leave_voicemail
from switchboard.phone.webhooks import Webhook, WebhookRefusedError, do_mark_webhook_applied, receive_webhook
from switchboard.tickets.models import Group

# The provider's CallStatus values of a call that has ended.
CALL_ENDED = {"completed", "busy", "no-answer", "failed", "canceled"}


def _twiml(response: TwiML) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml; charset=utf-8")


def _number_param(request: HttpRequest, name: str, default: int = 1) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else default


def _caller(hook: Webhook) -> str:
    return hook.params.get("From", "")[:254]


@csrf_exempt
@require_POST
def voice(request: HttpRequest) -> HttpResponse:
    """A call comes in: the menu."""
    try:
        hook = receive_webhook(request, channel="voice", source_key=f"call:{request.POST.get('CallSid', '')}")
    except WebhookRefusedError:
        return HttpResponseForbidden()
    if hook.is_new:
        do_mark_webhook_applied(hook.raw, sender=_caller(hook))
    return _twiml(speech.menu(hook.number))


@csrf_exempt
@require_POST
def voice_menu(request: HttpRequest) -> HttpResponse:
    """The caller pressed a digit, or nothing: the menu once more, or the group's voicemail."""
    attempt = _number_param(request, "attempt")
    key = f"menu:{attempt}:{request.POST.get('CallSid', '')}"
    try:
        hook = receive_webhook(request, channel="voice", source_key=key)
    except WebhookRefusedError:
        return HttpResponseForbidden()
    group = speech.group_for_digits(hook.number, hook.params.get("Digits", ""), attempt=attempt)
    if hook.is_new:
        do_mark_webhook_applied(hook.raw, sender=_caller(hook), group=group)
    if group is None:
        return _twiml(speech.menu(hook.number, attempt=attempt + 1))
    if not may_leave_voicemail(group, _caller(hook)):
        return _twiml(speech.refusal(hook.number, group))
    return _twiml(speech.voicemail(hook.number, group, caller=_caller(hook)))


@csrf_exempt
@require_POST
def voice_recording(request: HttpRequest) -> HttpResponse:
    """The provider has the voicemail's recording: on the caller's ticket, fetched by a job."""
    try:
        hook = receive_webhook(request, channel="voice", source_key=f"recording:{request.POST.get('RecordingSid', '')}")
    except WebhookRefusedError:
        return HttpResponseForbidden()
    if not hook.is_new:
        return HttpResponse(status=204)
    if hook.params.get("RecordingStatus", "completed") != "completed" or not hook.params.get("RecordingUrl"):
        do_mark_webhook_applied(hook.raw)  # the provider recorded nothing usable
        return HttpResponse(status=204)
    group = Group.objects.filter(pk=_number_param(request, "group", 0)).first() or hook.number.default_group
    duration = hook.params.get("RecordingDuration", "")
    recording = Recording(
        recording_sid=hook.params["RecordingSid"],
        url=hook.params["RecordingUrl"],
        duration=int(duration) if duration.isdigit() else 0,
        provider_transcript=hook.params.get("TranscriptionText", "").strip(),
    )
    do_add_voicemail(
        hook.raw, number=hook.number, group=group, caller=request.GET.get("caller", ""), recording=recording
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def voice_status(request: HttpRequest) -> HttpResponse:
    """The voicemail is recorded (``?recorded=1``), or the call's state changed: an ended call
    that left no voicemail goes on the caller's ticket (PHONE-07)."""
    call_sid, status = request.POST.get("CallSid", ""), request.POST.get("CallStatus", "")
    recorded = "recorded" in request.GET
    if recorded:
        key = f"recorded:{call_sid}"
    else:
        key = f"status:{call_sid}" if status in CALL_ENDED else f"status:{status}:{call_sid}"
    try:
        hook = receive_webhook(request, channel="voice", source_key=key)
    except WebhookRefusedError:
        return HttpResponseForbidden()
    if recorded:
        if hook.is_new:
            do_mark_webhook_applied(hook.raw, sender=_caller(hook))
        return _twiml(speech.goodbye(hook.number))
    if hook.is_new and status in CALL_ENDED:
        do_log_ended_call(hook.raw, number=hook.number, params=hook.params)
    elif hook.is_new:
        do_mark_webhook_applied(hook.raw)
    return _twiml(VoiceResponse())
