"""Finding a contact's name, email addresses and phone numbers in free text and replacing them
(CC-01, GDPR erasure). Pure: no database.

Names match as the start of a word, case-insensitively, with and without their diacritics
("Żółkiewski", "Zolkiewski"); a name of five letters or more also without its final vowels, so
that most inflected forms go too ("Kowalska" → "Kowalskiej", "Zbigniew" → "Zbigniewie"). Erasure
prefers replacing a word too many to leaving one. Addresses match as written in any case, phone
numbers in any common format (+48 601 234 567, 0048601234567, 601-234-567).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import phonenumbers

# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSABLE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss"})
_SEPARATORS = r"[\s\-./()]{0,3}"
MIN_NAME_LENGTH = 2
MIN_STEM_LENGTH = 4
_VOWELS = "aeiouyąęóAEIOUYĄĘÓ"


def without_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _phone_pattern(e164: str) -> str | None:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    national = phonenumbers.national_significant_number(number)
    if not national:
        return None
    prefix = rf"(?:(?:\+|00){_SEPARATORS}{number.country_code}{_SEPARATORS})?"
    return prefix + _SEPARATORS.join(re.escape(digit) for digit in national)


class Scrubber:
    """Replaces every occurrence of the given names, addresses and numbers with ``placeholder``."""

    def __init__(self, *, names: Iterable[str], emails: Iterable[str], phones: Iterable[str], placeholder: str) -> None:
        words: set[str] = set()
        for name in names:
            for variant in (name.strip(), without_diacritics(name.strip())):
                if len(variant) >= MIN_NAME_LENGTH:
                    words.add(variant)
                stem = variant.rstrip(_VOWELS)
                if len(variant) > MIN_STEM_LENGTH and len(stem) >= MIN_STEM_LENGTH:
                    words.add(stem)
        # Addresses first, then longer names before their parts: the first alternative that matches wins.
        patterns = [re.escape(email) for email in sorted(emails, key=len, reverse=True) if email]
        patterns += [rf"(?<!\w){re.escape(word)}\w*" for word in sorted(words, key=len, reverse=True)]
        patterns += [p for p in (_phone_pattern(phone) for phone in phones) if p]
        self.pattern = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None
        self.placeholder = placeholder

    def text(self, value: str) -> str:
        if self.pattern is None or not value:
            return value
        return self.pattern.sub(self.placeholder, value)

    def data(self, value: object) -> object:
        """A JSON value with every string in it scrubbed (keys too: form data may be keyed by anything)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.data(item) for item in value]
        if isinstance(value, dict):
            return {self.text(str(key)): self.data(item) for key, item in value.items()}
        return value

    def raw(self, value: bytes) -> bytes:
        """Bytes as received (a raw message): each byte read as one character, so that what does
        not match stays as it was."""
        return self.text(value.decode("latin-1")).encode("latin-1", errors="replace")
