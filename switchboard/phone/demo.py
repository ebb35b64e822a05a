"""Demo data of the phone channel: a number with a menu of the demo's groups, and a voicemail
with its audio and transcript on a contact's ticket. Loaded with the demo (`switchboard run`)."""

from __future__ import annotations

import io
import math
import secrets
import struct
import wave

from django.db import transaction

from switchboard.contacts.models import ContactPoint
from switchboard.intake.inbound import Call, Inbound, Person
from switchboard.phone.actions import do_add_voicemail_transcript, do_keep_voicemail_audio
from switchboard.phone.models import MenuEntry, PhoneNumber
from switchboard.phone.sms_demo import load_sms_demo
from switchboard.phone.synthesis import demo_voicemail_wav
from switchboard.tickets.actions import do_create_ticket
from switchboard.tickets.demo import demo_group
from switchboard.tickets.demo_texts import DEMO_TEXTS, DONATIONS, VOLUNTEERS
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import Group, Ticket, TicketSource

DEMO_NUMBER = "+15415550100"  # 555-01xx: a number reserved for fiction
DEMO_NUMBER_PL = "+48221234567"
# What the offline model hears in synthesis.DEMO_VOICEMAIL on a telephone line. The Polish
# voicemail's transcript is what the caller said (the shipped model knows English only).
DEMO_TRANSCRIPTS = {
    "en": "Hello, this is Maria Garcia. I would like to volunteer on Saturday morning. "
    "Please call me Mac at five, five, zero, one, zero, one. Thank you.",
    "pl": DEMO_TEXTS["pl"].voicemail,
}
DEMO_TRANSCRIPT = DEMO_TRANSCRIPTS["en"]


@transaction.atomic
def load_phone_demo(language: str = "en") -> None:
    """The phone channel's part of the demo in ``language`` (the one `load_demo_data` used)."""
    texts = DEMO_TEXTS[language]
    groups = list(Group.objects.order_by("name")[:9])
    if not groups or PhoneNumber.objects.exists():
        return
    number = PhoneNumber(
        number=DEMO_NUMBER if language == "en" else DEMO_NUMBER_PL,
        account_sid="AC" + "0" * 32,
        default_group=groups[0],
        language=language,
    )
    number.auth_token = secrets.token_hex(16)  # a made-up account: the provider's real one goes here
    number.save()
    for digit, group in enumerate(groups, start=1):
        MenuEntry.objects.create(number=number, digit=str(digit), group=group)
    phones = ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE)
    caller = phones.filter(value=texts.tickets[0].phone).first() or phones.order_by("pk").first()
    if caller is not None:
        _demo_voicemail(demo_group(VOLUNTEERS) or groups[0], caller=caller, number=number, language=language)
    load_sms_demo(demo_group(DONATIONS) or groups[0], number=number, texts=texts)


def _demo_voicemail(group: Group, *, caller: ContactPoint, number: PhoneNumber, language: str) -> None:
    """A voicemail on the caller's open ticket in the group (a new one if none), its recording
    and transcript at hand already."""
    ticket = Ticket.objects.filter(contact=caller.contact_id, group=group, closed_at__isnull=True).first()
    if ticket is None:
        ticket = do_create_ticket(group, contact=caller.contact, source=TicketSource.PHONE, acting_user=None)
    audio = demo_voicemail_wav(DEMO_TEXTS[language]) or _tone()
    call = Call(outcome="voicemail", outbound=False, duration=_seconds(audio), provider_id="RE" + "0" * 32)
    inbound = Inbound(channel="voice", sender=Person(address=caller.value), recipients=[number.number], call=call)
    voicemail = do_add_inbound_message(ticket, inbound=inbound, cc=[])
    do_keep_voicemail_audio(voicemail, audio=audio, content_type="audio/wav")
    do_add_voicemail_transcript(voicemail, transcript=DEMO_TRANSCRIPTS[language])


def _seconds(wav: bytes) -> int:
    """How long a WAV plays: its data's size over its byte rate (mu-law too, which the standard
    library's ``wave`` cannot read)."""
    byte_rate = struct.unpack_from("<I", wav, 28)[0]  # the "fmt " chunk comes first
    data = wav.find(b"data")
    return round(struct.unpack_from("<I", wav, data + 4)[0] / byte_rate) if data > 0 and byte_rate else 0


def _tone(seconds: float = 1.5, frequency: float = 440.0, rate: int = 8000) -> bytes:
    """A short tone as an 8 kHz WAV: the demo's stand-in for the caller's voice where espeak-ng
    or sox is not installed to speak it."""
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * n / rate))) for n in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(frames)
    return buffer.getvalue()
