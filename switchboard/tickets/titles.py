"""Ticket titles are one line: a title becomes the subject of our mail, where a line break is
not allowed (and would let a sender add headers). Every path that sets a title goes through
``one_line_title``; the forms refuse a line break with a message instead (``has_line_break``)."""

from __future__ import annotations

import unicodedata

from switchboard.core.quotes import split_quoted

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


def excerpt_of(text: str, *, length: int) -> str:
    """The start of a message on one line, for a list's grey line under the title: its own words
    only (the quoted earlier mail dropped), every run of spaces and line breaks one space."""
    own_words, _quoted = split_quoted(text)
    return " ".join(own_words.split())[:length]


def title_from_text(text: str, *, length: int = 80) -> str:
    """A title for a message without a subject (an SMS): its first words, cut at a word with "…"."""
    words = excerpt_of(text, length=len(text))
    if len(words) <= length:
        return words
    return words[:length].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
