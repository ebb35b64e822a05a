"""A canned response's [placeholders]: the agent replaces them before a reply can be sent (MAIL-05)."""

from __future__ import annotations

import re

# "[Enter dates]": square brackets around text that starts with a letter. Ticket tokens such as
# "[Ticket#12]" and references such as "[1]" are not placeholders.
PLACEHOLDER = re.compile(r"\[[^\W\d_][^\[\]#\n]{0,79}\]")
# The same rule for the browser's RegExp (with the "u" flag), which highlights them as one types.
PLACEHOLDER_JS = r"\[\p{L}[^\[\]#\n]{0,79}\]"


def find_placeholders(text: str) -> list[str]:
    """The placeholders still in ``text``, each once, in order."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))
