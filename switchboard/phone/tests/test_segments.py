"""The SMS segment counter (PHONE-05): what the composer shows is what the contact's phone gets."""

from __future__ import annotations

import pytest

from switchboard.phone.segments import count_segments


@pytest.mark.spec("PHONE-05")
@pytest.mark.parametrize(
    ("text", "encoding", "count", "units"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 1, 160),
        ("a" * 161, "GSM-7", 2, 161),
        ("a" * 306, "GSM-7", 2, 306),
        ("a" * 307, "GSM-7", 3, 307),
        ("€" * 80, "GSM-7", 1, 160),  # the extension table counts double
        ("€" * 81, "GSM-7", 2, 162),
        ("a" * 152 + "[" + "a" * 10, "GSM-7", 2, 164),  # an escaped character is not split between parts
        ("a" * 152 + "[" + "a" * 152, "GSM-7", 3, 306),
        ("Zażółć gęślą jaźń", "UCS-2", 1, 17),  # Polish letters are not in GSM-7
        ("ż" * 70, "UCS-2", 1, 70),
        ("ż" * 71, "UCS-2", 2, 71),
        ("ż" * 134, "UCS-2", 2, 134),
        ("ż" * 135, "UCS-2", 3, 135),
        ("😀" * 35, "UCS-2", 1, 70),  # outside the BMP: a surrogate pair, two units
        ("ż" * 66 + "😀" + "ż" * 66, "UCS-2", 3, 134),  # nor a surrogate pair
    ],
)
def test_segments_follow_the_gsm7_and_ucs2_limits(text: str, encoding: str, count: int, units: int) -> None:
    segments = count_segments(text)
    assert (segments.encoding, segments.count, segments.units) == (encoding, count, units)
