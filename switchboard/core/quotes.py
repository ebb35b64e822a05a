"""Where the new text of a reply ends and the quoted earlier mail begins (MAIL-04: the quote is
folded away on the timeline but kept; MAIL-06: an agent's emailed answer is sent without it)."""

from __future__ import annotations

import re

# Lines that introduce the quoted earlier message, in the clients and languages we meet.
QUOTE_HEADER = re.compile(
    r"""^(
        -{2,}\s*(original\s+message|oryginalna\s+wiadomo\S*|ursprüngliche\s+nachricht|forwarded\s+message|
                 wiadomo\S*\s+przekazana|weitergeleitete\s+nachricht)\s*-{2,}
      | _{20,}
      | (on|w\s+dniu|am|le|el|op|den|dne)\s.{4,200}
        (wrote|napisa\S*|pisze|schrieb|a\s+écrit|escribió|schreef|skrev|napsal)\s*:
      | (from|od|von|de|van|fra):\s.+\n\s*(sent|wysłano|gesendet|envoyé|enviado|verzonden|skickat|date|data|datum):\s
    )""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
QUOTED_LINE = re.compile(r"^\s*>")


def split_quoted(text: str) -> tuple[str, str]:
    """(the new text, the quoted rest); the rest is "" when nothing is quoted."""
    lines = text.splitlines(keepends=True)
    match = QUOTE_HEADER.search(text)
    cut = match.start() if match else len(text)
    offset = 0
    for line in lines:  # a block of "> " lines starts the quote too, if it comes first
        if offset >= cut:
            break
        if QUOTED_LINE.match(line):
            cut = offset
            break
        offset += len(line)
    new, quoted = text[:cut].rstrip(), text[cut:].strip()
    if not new:  # all of it quoted (or a forward with nothing added): show everything
        return text.strip(), ""
    return new, quoted
