"""Normalising email addresses and phone numbers into the keys that inbound matching uses."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from switchboard.contacts.models import ContactPoint


def normalise_email(raw: str) -> str:
    value = raw.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(_("“%(value)s” is not a valid email address.") % {"value": raw}) from None
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


def normalise_point(kind: str, raw: str, *, region: str | None = None) -> str:
    if kind == ContactPoint.Kind.EMAIL:
        return normalise_email(raw)
    return normalise_phone(raw, region=region)
