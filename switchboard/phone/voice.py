"""What a caller hears (PHONE-01): the number's menu in its language, the chosen group, then
the group's voicemail (PHONE-02, PHONE-03). Answers are TwiML, built with the provider's package."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from twilio.twiml.voice_response import Gather, VoiceResponse

from switchboard.phone.models import PhoneNumber
from switchboard.tickets.models import Group

# The voice the provider speaks each of our languages in.
SPEECH_LANGUAGES: dict[str, str] = {PhoneNumber.Language.ENGLISH: "en-US", PhoneNumber.Language.POLISH: "pl-PL"}
# A caller who presses nothing, or a digit of no group, hears the menu this many times in all.
MENU_TIMES = 2
# The longest voicemail, in seconds.
VOICEMAIL_MAX_SECONDS = 300


def menu(number: PhoneNumber, *, attempt: int = 1) -> VoiceResponse:
    """The menu: each group and its digit. No digit goes to the menu's own URL with no Digits."""
    action = _url("phone_voice_menu", attempt=attempt)
    response = VoiceResponse()
    gather = Gather(num_digits=1, action=action, method="POST", timeout=6)
    with translation.override(number.language):
        for entry in number.menu.select_related("group"):
            line = _("For %(group)s, press %(digit)s.") % {"group": entry.group.name, "digit": entry.digit}
            gather.say(line, language=SPEECH_LANGUAGES[number.language])
    response.append(gather)
    response.redirect(action, method="POST")
    return response


def group_for_digits(number: PhoneNumber, digits: str, *, attempt: int) -> Group | None:
    """The group the caller chose; None: play the menu again; the default group after the last try."""
    entry = number.menu.select_related("group").filter(digit=digits).first() if digits else None
    if entry is not None:
        return entry.group
    return number.default_group if attempt >= MENU_TIMES else None


def voicemail(number: PhoneNumber, group: Group, *, caller: str) -> VoiceResponse:
    """Ask for a message and record it; the recording's callback carries the group and the caller."""
    response = VoiceResponse()
    with translation.override(number.language):
        response.say(
            _("%(group)s. Please leave a message after the tone.") % {"group": group.name},
            language=SPEECH_LANGUAGES[number.language],
        )
    response.record(
        max_length=VOICEMAIL_MAX_SECONDS,
        play_beep=True,
        action=_url("phone_voice_status", recorded=1),
        method="POST",
        recording_status_callback=_url("phone_voice_recording", group=group.pk, caller=caller),
        recording_status_callback_method="POST",
    )
    return response


def _url(name: str, **query: object) -> str:
    return f"{settings.SITE_URL}{reverse(name)}?{urlencode(query)}"


def refusal(number: PhoneNumber, group: Group) -> VoiceResponse:
    """A caller who may not leave a voicemail hears the group's message, and the call ends (PHONE-02)."""
    response = VoiceResponse()
    with translation.override(number.language):
        message = group.voicemail_refusal or _("Please use the form on our website. Goodbye.")
    response.say(message, language=SPEECH_LANGUAGES[number.language])
    response.hangup()
    return response


def goodbye(number: PhoneNumber) -> VoiceResponse:
    """After the voicemail."""
    response = VoiceResponse()
    with translation.override(number.language):
        response.say(_("Thank you. Goodbye."), language=SPEECH_LANGUAGES[number.language])
    response.hangup()
    return response
