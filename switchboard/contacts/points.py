"""Normalising email addresses and phone numbers into the keys that inbound matching uses."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from switchboard.contacts.models import ContactPoint

# An address as RFC 5322 (with RFC 6532's UTF-8) allows it in received mail: a dot-atom or quoted
# local part ("big bug bb"@bug.com, jdöe@…), a domain that may be internationalised, have no dot
# (user@intranet) or be a literal ([192.0.2.1]). C0 and C1 control characters never.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u00a0-\U0010ffff]"
_DOT_ATOM = rf"{_ATEXT}+(?:\.{_ATEXT}+)*"
_QUOTED = r'"(?:[^"\\\x00-\x1f\x7f-\x9f]|\\[^\x00-\x1f\x7f-\x9f])*"'
_DOMAIN_LITERAL = r"\[[^\[\]\\\s]+\]"
RECEIVED_ADDRESS = re.compile(rf"(?:{_DOT_ATOM}|{_QUOTED})@(?:{_DOT_ATOM}|{_DOMAIN_LITERAL})")


def normalise_email(raw: str) -> str:
    """An address someone types (an agent, a form): the strict check, which catches typing errors."""
    value = raw.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(_("“%(value)s” is not a valid email address.") % {"value": raw}) from None
    return value


def normalise_received_email(raw: str) -> str:
    """An address that mail came from or was copied to: anything RFC 5322/6532 allows."""
    value = raw.strip().lower()
    if len(value) > 254 or not RECEIVED_ADDRESS.fullmatch(value):
        raise ValidationError(_("“%(value)s” is not a valid email address.") % {"value": raw})
    return value


def normalise_phone(raw: str, *, region: str | None = None) -> str:
    """E.164 form of a phone number (``+48601234567``); ``region`` reads national numbers."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValidationError(_("“%(value)s” is not a valid phone number.") % {"value": raw})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile_number(e164: str) -> bool:
    """Whether an E.164 number can receive text messages: a mobile number, or one whose plan does
    not tell mobile from fixed lines (as in the United States)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }


def normalise_point(kind: str, raw: str, *, region: str | None = None) -> str:
    if kind == ContactPoint.Kind.EMAIL:
        return normalise_email(raw)
    return normalise_phone(raw, region=region)


# What someone types when looking a number up: digits with spaces, dashes, dots, brackets, maybe a "+".
_TYPED_PHONE = re.compile(r"\(?\+?[\d\s\-./()]+")
# Fewer digits than this are more likely a ticket number than the start of a phone number.
MIN_PHONE_DIGITS = 5


def looks_like_phone(raw: str) -> bool:
    """Whether ``raw`` is written as a phone number is (digits with spaces, dashes, dots,
    brackets, maybe a "+"), of any length: "+48 60" is the start of one."""
    return _TYPED_PHONE.fullmatch(raw.strip()) is not None and any(char.isdigit() for char in raw)


def phone_prefixes(raw: str, *, region: str | None = None) -> list[str]:
    """The beginnings of the E.164 numbers (as ``ContactPoint`` stores them) that a phone number
    typed in any format can be, whole or in part: "+48 601 234" → ``+48601234``; "0048 601-234"
    likewise; "601 234 567" read in ``region`` PL → ``+48601234567``, and also ``+601234567``
    in case the country code was typed without its "+". Empty when ``raw`` is no phone number."""
    text = raw.strip()
    digits = re.sub(r"\D", "", text)
    if not _TYPED_PHONE.fullmatch(text) or len(digits) < MIN_PHONE_DIGITS:
        return []
    if text.lstrip("(").startswith("+"):
        return ["+" + digits]
    if digits.startswith("00"):  # the international call prefix most of the world dials
        return ["+" + digits[2:]]
    prefixes = {"+" + digits}
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region) if region else None
    if metadata is not None:
        trunk = metadata.national_prefix or ""
        national = digits[len(trunk) :] if trunk and digits.startswith(trunk) else digits
        prefixes.add(f"+{metadata.country_code}{national}")
    return sorted(prefixes)
