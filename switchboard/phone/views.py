"""The provider's webhooks under /phone/ (PHONE-01..07): thin; the signature check and storing
are in webhooks.py, what the caller hears in voice.py. An ended call or a voicemail is only
stored here and handed to the intake's job, which puts it on the caller's ticket."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.twiml import TwiML
from twilio.twiml.voice_response import VoiceResponse

from switchboard.intake.tasks import apply_raw_messages
from switchboard.phone import voice as speech
from switchboard.phone.selectors import find_chosen_group, left_voicemail, may_leave_voicemail
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
    """The provider has the voicemail's recording: stored, then put on the caller's ticket and
    fetched by a job (PHONE-03)."""
    key = f"recording:{request.POST.get('RecordingSid', '')}"
    group_id = _number_param(request, "group", 0)  # the group whose voicemail the caller reached
    try:
        with transaction.atomic():
            group = Group.objects.filter(pk=group_id).first() if group_id else None
            hook = receive_webhook(request, channel="voice", source_key=key, group=group)
            if not hook.is_new:
                return HttpResponse(status=204)
            if hook.params.get("RecordingStatus", "completed") != "completed" or not hook.params.get("RecordingUrl"):
                do_mark_webhook_applied(hook.raw)  # the provider recorded nothing usable
            else:
                _apply_later(hook)
    except WebhookRefusedError:
        return HttpResponseForbidden()
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def voice_status(request: HttpRequest) -> HttpResponse:
    """The voicemail is recorded (``?recorded=1``), or the call's state changed: an ended call
    that left no voicemail goes on the caller's ticket (PHONE-07), by a job."""
    call_sid, status = request.POST.get("CallSid", ""), request.POST.get("CallStatus", "")
    recorded = "recorded" in request.GET
    if recorded:
        key = f"recorded:{call_sid}"
    else:
        key = f"status:{call_sid}" if status in CALL_ENDED else f"status:{status}:{call_sid}"
    ended = status in CALL_ENDED and not recorded
    try:
        with transaction.atomic():
            group = find_chosen_group(call_sid) if ended else None
            hook = receive_webhook(request, channel="voice", source_key=key, group=group)
            if hook.is_new and recorded:
                do_mark_webhook_applied(hook.raw, sender=_caller(hook))
            elif hook.is_new and ended and not left_voicemail(call_sid):
                _apply_later(hook)
            elif hook.is_new:
                do_mark_webhook_applied(hook.raw)  # a call that left a voicemail has that as its entry
    except WebhookRefusedError:
        return HttpResponseForbidden()
    if recorded:
        return _twiml(speech.goodbye(hook.number))
    return _twiml(VoiceResponse())


def _apply_later(hook: Webhook) -> None:
    """Stored: the intake's job puts it on the caller's ticket once this commits (blocked
    callers, the closed-ticket policy, routing, notifications); the answer waits for none of it."""
    raw_ids = [hook.raw.pk]
    transaction.on_commit(lambda: apply_raw_messages(raw_ids))
