"""HTML from outside or from the editor: sanitised before it is stored or shown, and its plain
text for search, the text/plain part of emails and places where markup has no business."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

# What a message or a reply may keep: text formatting, lists, links, quotes, tables and images
# (inline images become links to stored attachments). No scripts, styles, forms or event handlers.
ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "hr", "i", "img", "li", "ol",
    "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
BLOCKS = {"p", "div", "blockquote", "pre", "h1", "h2", "h3", "h4", "table", "tr", "ul", "ol", "hr"}


def sanitise_html(markup: str) -> str:
    """Keep the harmless part of ``markup``; links open in a new tab without the opener."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel", "cid"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [next number] for <ol>, [] for <ul>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.parts.append("\n\n")
        if tag == "br":
            self.parts.append("\n")
        elif tag in {"ul", "ol"}:
            self.lists.append([1] if tag == "ol" else [])
        elif tag == "li":
            marker = "- "
            if self.lists and self.lists[-1]:
                marker = f"{self.lists[-1][0]}. "
                self.lists[-1][0] += 1
            self.parts.append("\n" + "  " * max(len(self.lists) - 1, 0) + marker)
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        elif tag in {"td", "th"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.parts.append("\n\n")
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href.startswith(("http:", "https:")) and not "".join(self.parts).endswith(href):
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    """Readable plain text of ``markup``: paragraphs, line breaks, list markers and link targets kept."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()
