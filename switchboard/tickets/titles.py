"""Ticket titles are one line: a title becomes the subject of our mail, where a line break is
not allowed (and would let a sender add headers). Every path that sets a title goes through
``one_line_title``; the forms refuse a line break with a message instead (``has_line_break``)."""

from __future__ import annotations

import unicodedata

TITLE_LENGTH = 300  # Ticket.title's max_length
# Control characters (line feed, carriage return, tab, NUL, ...) and the Unicode line and
# paragraph separators.
BREAKING_CATEGORIES = {"Cc", "Zl", "Zp"}


def has_line_break(text: str) -> bool:
    return any(unicodedata.category(char) in BREAKING_CATEGORIES and char != "\t" for char in text)


def one_line_title(text: str) -> str:
    """``text`` as a title: control characters and line breaks become spaces, runs of spaces
    one, no spaces at the ends, at most TITLE_LENGTH characters."""
    spaced = "".join(" " if unicodedata.category(char) in BREAKING_CATEGORIES else char for char in text)
    return " ".join(spaced.split())[:TITLE_LENGTH]
