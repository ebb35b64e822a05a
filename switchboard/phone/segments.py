"""How many SMS segments a text takes (PHONE-05), the rule the composer's live counter repeats in
switchboard.js.

A text that only uses the GSM 03.38 alphabet is sent in GSM-7: 160 characters in one message, or
153 per part once it needs several (each part carries a header), where the characters of the
extension table (``^{}\\[~]|€`` and the form feed) take two. Any other character sends the whole
text as UCS-2: 70 UTF-16 code units alone, 67 per part. A part never splits an escaped character
or a surrogate pair, as phones would otherwise show garbage.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = "\f^{}\\[~]|€"
GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    count: int  # messages the text is sent in; 0 for an empty text
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2) the text takes


def is_gsm7(text: str) -> bool:
    return all(char in GSM_BASIC or char in GSM_EXTENSION for char in text)


def count_segments(text: str) -> Segments:
    if is_gsm7(text):
        sizes = [2 if char in GSM_EXTENSION else 1 for char in text]
        return Segments("GSM-7", _parts(sizes, GSM_SINGLE, GSM_PART), sum(sizes))
    sizes = [2 if ord(char) > 0xFFFF else 1 for char in text]
    return Segments("UCS-2", _parts(sizes, UCS2_SINGLE, UCS2_PART), sum(sizes))


def _parts(sizes: list[int], single: int, part: int) -> int:
    """Fill parts of ``part`` units in order, never splitting a character."""
    if not sizes:
        return 0
    if sum(sizes) <= single:
        return 1
    count, used = 1, 0
    for size in sizes:
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return count
