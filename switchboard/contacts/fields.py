"""The installation's own contact fields (CC-01): what a value of each kind may be, and how it
is kept on the contact (``Contact.custom_values``) and shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from switchboard.contacts.models import ContactField


def list_contact_fields(*, active_only: bool = True) -> list[ContactField]:
    fields = ContactField.objects.all()
    return list(fields.filter(active=True) if active_only else fields)


def parse_custom_value(field: ContactField, raw: str) -> str:
    """The value to keep for what was typed in ``field``: "" for nothing; a number as a decimal
    string, read with the reader's decimal separator ("12,5" in Polish, "1,234.5" in English); a
    date as YYYY-MM-DD (typed as ISO, or as the reader's language writes dates); a choice only if
    it is one of the field's. ValidationError says what is wrong, in the reader's words."""
    text = raw.strip()
    if not text:
        return ""
    if field.kind == ContactField.Kind.NUMBER:
        digits = text.replace(" ", "").replace("\u00a0", "")
        if formats.get_format("DECIMAL_SEPARATOR") == ",":  # 12,5 in Polish
            digits = digits.replace(",", ".")
        else:  # 1,234.5 in English
            digits = digits.replace(",", "")
        try:
            number = Decimal(digits)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": text})
        return format(number.normalize(), "f")
    if field.kind == ContactField.Kind.DATE:
        for date_format in ["%Y-%m-%d", *formats.get_format("DATE_INPUT_FORMATS")]:
            try:
                return dt.datetime.strptime(text, date_format).date().isoformat()  # noqa: DTZ007 - a date, no time
            except ValueError:
                continue
        raise ValidationError(_("“%(value)s” is not a date.") % {"value": text})
    if field.kind == ContactField.Kind.CHOICE:
        if text not in field.choice_list:
            raise ValidationError(_("“%(value)s” is not one of the choices.") % {"value": text})
        return text
    if len(text) > 1000:
        raise ValidationError(_("At most 1,000 characters."))
    return text


def display_custom_value(field: ContactField, stored: str) -> str:
    """A kept value as the reader writes it: a date or number in their language's format."""
    if not stored:
        return ""
    if field.kind == ContactField.Kind.DATE:
        try:
            return formats.date_format(dt.date.fromisoformat(stored), "SHORT_DATE_FORMAT")
        except ValueError:
            return stored
    if field.kind == ContactField.Kind.NUMBER:
        try:
            return formats.number_format(Decimal(stored), use_l10n=True)
        except InvalidOperation:
            return stored
    return stored
