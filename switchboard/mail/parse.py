"""The email adapter's reading half: raw RFC 5322 bytes to an ``Inbound`` (MAIL-04, MAIL-11).

The standard library's ``email`` package with ``policy.default`` does the MIME work. What it
cannot decide is decided here, leniently: a mislabelled charset falls back to what the bytes
really are, a malformed address header to the classic parser, a message above the size limit
keeps its text and drops its files (with a note). Only what cannot be read at all (no sender, a
text part in an unknown charset that is not UTF-8) raises ``UnreadableMessageError``, and the
pipeline quarantines the message with that reason.
"""

from __future__ import annotations

import codecs
import email
import functools
import logging
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tnefparse import TNEF  # type: ignore[import-untyped]

from switchboard.core.html import html_to_text, sanitise_html
from switchboard.intake.inbound import Inbound, InboundAttachment, Person, UnreadableMessageError
from switchboard.mail.bounces import read_delivery_report

log = logging.getLogger(__name__)

MAX_DEPTH = 20  # MIME nesting deeper than this is not a message a person sent
# A part that opens a nested level, for cutting a message too deeply nested for Python's parser.
NESTING_HEADER = re.compile(rb"^content-type:[ \t]*(?:multipart/|message/rfc822)", re.IGNORECASE | re.MULTILINE)
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
ADJACENT_ENCODED_WORDS = re.compile(r"\?=\s+=\?")
AUTOMATIC_PRECEDENCE = {"bulk", "list", "junk", "auto_reply"}
RECIPIENT_HEADERS = ("To", "Delivered-To", "X-Original-To")
SYSTEM_SENDERS = {"mailer-daemon", "postmaster"}
REPORT_PARTS = {
    "message/delivery-status": "delivery-status.txt",
    "message/disposition-notification": "read-receipt.txt",
}
NAMES_BY_TYPE = {
    "text/calendar": "invite.ics",
    "text/rfc822-headers": "original-headers.txt",
    "message/rfc822": "message.eml",
    "application/ms-tnef": "winmail.dat",
}


class _HeaderClasses(HeaderRegistry):
    """``policy.default``'s registry, faster with the same results: it makes a new class each time
    a header is read (CPython 3.11-3.13), and the parser reads a part's Content-Type again and
    again. One class per header name, and the few MIME headers' parsed values remembered (their
    values repeat; headers such as Message-ID or References are unique and are not kept)."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        if key not in self._made:
            self._made[key] = super().__getitem__(key)
        return self._made[key]

    def __call__(self, name: str, value: str) -> BaseHeader:
        if name.lower() in REMEMBERED_HEADERS:
            return _mime_header(self, name, value)
        return super().__call__(name, value)


REMEMBERED_HEADERS = {"content-type", "content-transfer-encoding", "content-disposition", "mime-version"}


@functools.lru_cache(maxsize=1024)
def _mime_header(registry: HeaderRegistry, name: str, value: str) -> BaseHeader:
    return HeaderRegistry.__call__(registry, name, value)


POLICY = policy.default.clone(header_factory=_HeaderClasses())


def parse_email(raw: bytes, *, channel: str = "email") -> Inbound:
    try:
        return _parse(raw, channel=channel)
    except RecursionError:  # nested too deeply for Python's parser: read the outer levels only
        cut = _outer_levels(raw)
        if cut is None:
            raise
        inbound = _parse(cut, channel=channel)
        inbound.problems.insert(
            0,
            _("The message is nested more than %(depth)s levels deep: only its outer parts were read.")
            % {"depth": MAX_DEPTH},
        )
        return inbound


def _parse(raw: bytes, *, channel: str) -> Inbound:
    message = email.message_from_bytes(raw, policy=POLICY)
    assert isinstance(message, EmailMessage)
    message_id = next(iter(_message_ids(message, "Message-ID")), "")
    senders = _addresses(message, "From") or _addresses(message, "Sender") or _addresses(message, "Return-Path")
    sender = senders[0] if senders else _mail_system(message, message_id=message_id)
    if sender is None:
        raise UnreadableMessageError(_("The message has no sender address."))
    inbound = Inbound(
        channel=channel,
        sender=sender,
        subject=_header(message, "Subject"),
        message_id=message_id,
        in_reply_to=_thread_ids(message),
        recipients=[person.address for name in RECIPIENT_HEADERS for person in _addresses(message, name)],
        cc=_addresses(message, "Cc"),
        automatic=automatic_reason(message, sender=sender.address, message_id=message_id),
        authentication_results=[
            _clean(" ".join(str(value).split()))
            for key, value in message.raw_items()
            if key.lower() == "authentication-results"
        ],
    )
    keep_files = len(raw) <= settings.MAX_INBOUND_MESSAGE_BYTES
    if not keep_files:
        inbound.problems.append(
            _("The message is %(size)s, more than the limit of %(limit)s: its attachments were not kept.")
            % {"size": filesizeformat(len(raw)), "limit": filesizeformat(settings.MAX_INBOUND_MESSAGE_BYTES)}
        )
    reading = _Reading(inbound, keep_files=keep_files)
    _read_part(message, reading, depth=0)
    reading.report_what_was_left_out()
    if message.get_content_type() == "multipart/report":  # a bounce threads to the mail it returns
        inbound.in_reply_to += [
            message_id
            for file in inbound.attachments
            if file.content_type in {"message/rfc822", "text/rfc822-headers"}
            for message_id in _message_ids(BytesHeaderParser(policy=POLICY).parsebytes(file.content), "Message-ID")
        ]
    limit = settings.MAX_INBOUND_TEXT_CHARS
    html = "\n".join(reading.htmls)
    texts = [text.replace("\r\n", "\n").strip("\n") for text in reading.texts]
    text = "\n\n".join(texts)
    if len(text) > limit or len(html) > limit:
        inbound.problems.append(
            _("The text is longer than %(limit)s characters: the rest was left out.") % {"limit": limit}
        )
    inbound.html = sanitise_html(html[:limit]) if html else ""
    inbound.text = text[:limit] if texts else html_to_text(inbound.html)[:limit]
    if inbound.automatic:
        inbound.delivery_report = read_delivery_report(message, text=inbound.text, subject=inbound.subject)
    return inbound


@dataclass
class _Reading:
    """What the walk through a message's parts has found so far, and what it left out."""

    inbound: Inbound
    keep_files: bool
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    parts: int = 0
    too_deep: int = 0  # parts below MAX_DEPTH, not read
    too_many: int = 0  # parts past MAX_INBOUND_PARTS, not read
    files_left_out: int = 0  # files past MAX_INBOUND_ATTACHMENTS, not kept

    def keep(self, *files: InboundAttachment) -> None:
        for file in files:
            if len(self.inbound.attachments) < settings.MAX_INBOUND_ATTACHMENTS:
                self.inbound.attachments.append(file)
            else:
                self.files_left_out += 1

    def report_what_was_left_out(self) -> None:
        problems = self.inbound.problems
        if self.too_deep:
            problems.append(
                ngettext(
                    "%(count)s part nested deeper than %(depth)s levels was not read.",
                    "%(count)s parts nested deeper than %(depth)s levels were not read.",
                    self.too_deep,
                )
                % {"count": self.too_deep, "depth": MAX_DEPTH}
            )
        if self.too_many:
            problems.append(
                ngettext(
                    "The message has more than %(limit)s parts: %(count)s more was not read.",
                    "The message has more than %(limit)s parts: %(count)s more were not read.",
                    self.too_many,
                )
                % {"count": self.too_many, "limit": settings.MAX_INBOUND_PARTS}
            )
        if self.files_left_out:
            problems.append(
                ngettext(
                    "%(count)s more attachment was not kept: the limit is %(limit)s per message.",
                    "%(count)s more attachments were not kept: the limit is %(limit)s per message.",
                    self.files_left_out,
                )
                % {"count": self.files_left_out, "limit": settings.MAX_INBOUND_ATTACHMENTS}
            )


def _outer_levels(raw: bytes) -> bytes | None:
    """``raw`` cut before its MAX_DEPTH-th nested multipart or message part (the parser ends the
    open ones); None when it has no such nesting, and the depth is not what broke the parser."""
    starts = [match.start() for match in NESTING_HEADER.finditer(raw)]
    return raw[: starts[MAX_DEPTH]] if len(starts) > MAX_DEPTH else None


def _mail_system(message: Message, *, message_id: str) -> Person | None:
    """The sender of automatic mail whose From has no domain or no address at all: a bounce from
    "MAILER-DAEMON", "<>" or "Mail Delivery Subsystem <MAILER-DAEMON>". None for anything else."""
    raw = [str(value) for key, value in message.raw_items() if key.lower() in {"from", "sender", "return-path"}]
    if not raw:
        return None
    found = [(_clean(name), _clean(address).strip().strip("<>").lower()) for name, address in getaddresses(raw)]
    name, address = next(((name, address) for name, address in found if address), found[0] if found else ("", ""))
    address = address if "@" not in address and len(address) <= 64 else ""
    if not automatic_reason(message, sender=address, message_id=message_id):
        return None
    return Person(address=address, name=" ".join(_decoded(name).split())[:200])


def parse_all(messages: list[bytes], channel: str = "email") -> list[Inbound | str]:
    """Each message parsed, or the reason it cannot be read (for the pipeline to quarantine).
    Runs in the intake's parsing process too (``intake/pipeline.py``, ``BackgroundParser``)."""
    results: list[Inbound | str] = []
    for raw in messages:
        try:
            results.append(parse_email(raw, channel=channel))
        except UnreadableMessageError as error:
            log.info("A message cannot be read and is quarantined: %s", error)
            results.append(str(error))
        except Exception as error:  # noqa: BLE001 - whatever breaks on a message, it is kept
            log.exception("Cannot parse a message")
            results.append(_("The message could not be read: %(error)s") % {"error": error})
    return results


def sender_of(raw: bytes) -> str:
    """The sender's address from the headers alone, for a message that cannot be read whole."""
    return header_facts(raw)[0]


def header_facts(headers: bytes) -> tuple[str, str, str]:
    """Sender address, subject and Message-ID read from a message's headers alone (a message
    not fetched whole); "" for each that is missing."""
    try:
        message = BytesHeaderParser(policy=POLICY).parsebytes(headers)
    except Exception:  # noqa: BLE001 - nothing readable at all
        return "", "", ""
    senders = _addresses(message, "From") or _addresses(message, "Sender")
    message_id = next(iter(_message_ids(message, "Message-ID")), "")
    return (senders[0].address if senders else ""), _header(message, "Subject"), message_id


def automatic_reason(message: Message, *, sender: str, message_id: str) -> str:
    """Why ``message`` was sent by a machine (MAIL-11), or "" when a person wrote it: the union of
    the header rules mail systems use, and our own Message-ID domain coming back."""
    auto_submitted = _header(message, "Auto-Submitted").lower() if "Auto-Submitted" in message else ""
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = _header(message, "Precedence").lower() if "Precedence" in message else ""
    if precedence in AUTOMATIC_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in ("X-Auto-Response-Suppress", "X-Autoreply", "X-Autorespond", "X-Loop", "List-Id", "List-Unsubscribe"):
        if name in message:
            return f"{name} header"
    if "Return-Path" in message and _header(message, "Return-Path").strip() == "<>":
        return "empty Return-Path"
    if message.get_content_type() == "multipart/report":
        return "delivery report"
    if not sender:
        return "empty sender"
    if sender.split("@")[0] in SYSTEM_SENDERS:
        return f"sent by {sender}"
    if message_id.rstrip(">").endswith("@" + settings.MESSAGE_ID_DOMAIN):
        return "our own message came back"
    return ""


def _read_part(part: Message, reading: _Reading, *, depth: int, in_alternative: bool = False) -> None:
    if depth > MAX_DEPTH:
        reading.too_deep += _count_parts(part)
        return
    if reading.parts >= settings.MAX_INBOUND_PARTS:
        reading.too_many += _count_parts(part)
        return
    reading.parts += 1
    content_type = part.get_content_type()
    if content_type in REPORT_PARTS:  # what a bounce or read receipt says: kept as a file
        if reading.keep_files:
            reading.keep(InboundAttachment(REPORT_PARTS[content_type], content_type, _serialised(part)))
        return
    if content_type == "message/rfc822":  # a forwarded or bounced message: kept whole, as a file
        if reading.keep_files:
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload and isinstance(payload[0], Message) else None
            content = _serialised(inner) if inner is not None else b""
            subject = _header(inner, "Subject") if inner is not None else ""
            name = _filename(part) or (f"{subject[:80]}.eml" if subject else NAMES_BY_TYPE[content_type])
            reading.keep(InboundAttachment(name, content_type, content))
        return
    if part.is_multipart():
        payload = part.get_payload()
        for sub in payload if isinstance(payload, list) else []:
            if isinstance(sub, Message):
                _read_part(sub, reading, depth=depth + 1, in_alternative=content_type == "multipart/alternative")
        return
    filename = _filename(part)
    if content_type in {"text/plain", "text/html"} and not filename and part.get_content_disposition() != "attachment":
        text = _decode_text(part, reading.inbound).replace("\x00", "")  # no text has NUL; PostgreSQL stores none
        (reading.htmls if content_type == "text/html" else reading.texts).append(text)
        return
    if not reading.keep_files or (in_alternative and content_type == "text/calendar"):  # the HTML shows the invite
        return
    payload = part.get_payload(decode=True)
    if content_type == "application/ms-tnef" and isinstance(payload, bytes) and (files := _unpacked_tnef(payload)):
        reading.keep(*files)  # Outlook's winmail.dat: the files inside it
        return
    content_id = _header(part, "Content-ID").strip().strip("<>")
    reading.keep(
        InboundAttachment(
            filename=filename or NAMES_BY_TYPE.get(content_type, _("attachment")),
            content_type=content_type,
            content=payload if isinstance(payload, bytes) else b"",
            content_id=content_id,
        )
    )


def _count_parts(part: Message) -> int:
    """How many parts ``part`` is, counted without recursion: its leaves, or 1 if it is one."""
    count = 0
    waiting = [part]
    while waiting:
        current = waiting.pop()
        payload = current.get_payload() if current.is_multipart() else None
        if isinstance(payload, list) and current.get_content_type().startswith("multipart/"):
            waiting += [sub for sub in payload if isinstance(sub, Message)]
        else:
            count += 1
    return count


def _unpacked_tnef(data: bytes) -> list[InboundAttachment]:
    """The files inside a winmail.dat (TNEF); [] when it holds none or cannot be read, and the
    winmail.dat is then kept as it is."""
    try:
        tnef = TNEF(data)
    except Exception:  # noqa: BLE001 - a broken winmail.dat is kept whole
        return []
    files = []
    for attachment in tnef.attachments:
        name = _clean(attachment.long_filename() or attachment.name or "") or _("attachment")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        files.append(InboundAttachment(name, content_type, bytes(attachment.data or b"")))
    return files


def _decode_text(part: Message, inbound: Inbound) -> str:
    """A text part as str. Bytes that are valid UTF-8 are read as UTF-8 whatever the label says
    (the most common mislabelling); else the declared charset; else, for a known charset, with
    replacement characters and a note. An unknown charset that is not UTF-8 cannot be read."""
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    declared = part.get_content_charset() or "us-ascii"
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        codec = ""
    if not codec.startswith("utf-16") and not codec.startswith("utf-32"):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if not codec:
        raise UnreadableMessageError(
            _("A text part is in the unknown character set %(charset)s and is not UTF-8.") % {"charset": declared}
        )
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        inbound.problems.append(
            _("Some characters of the text could not be read as %(charset)s and are shown as �.")
            % {"charset": declared}
        )
        return data.decode(codec, errors="replace")


def _header(message: Message, name: str) -> str:
    """A header's decoded text; "" when missing; the raw text when it cannot be decoded."""
    try:
        value = message.get(name)
        return "" if value is None else _clean(" ".join(str(value).split()))
    except Exception:  # noqa: BLE001 - a malformed header must not stop the message
        raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), "")
        return _clean(" ".join(str(raw).split()))


def _clean(text: str) -> str:
    """Raw 8-bit header bytes (kept by the parser as surrogates) read as UTF-8 where they are,
    else replaced, and NUL characters left out: what is stored is always valid text, which
    PostgreSQL can store."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\x00", "")


def _addresses(message: Message, name: str) -> list[Person]:
    raw = [str(value) for key, value in message.raw_items() if key.lower() == name.lower()]
    if not raw:
        return []
    try:
        if any(ADJACENT_ENCODED_WORDS.search(value) for value in raw):
            raise ValueError("policy.default puts a space between adjacent encoded words of a name")
        headers = message.get_all(name) or []
        if not all(hasattr(header, "addresses") for header in headers):
            raise ValueError("policy.default does not read Delivered-To and X-Original-To as addresses")
        found = [
            (address.display_name, address.addr_spec)
            for header in headers
            for address in getattr(header, "addresses", ())
        ]
    except Exception as error:  # noqa: BLE001 - the lenient classic parser, names decoded the classic way
        log.info("%s read with the classic parser: %s", name, error)
        found = [(_decoded(display_name), address) for display_name, address in getaddresses(raw)]
    people = []
    for display_name, address in found:
        display_name, address = _clean(display_name), _clean(address).strip().strip("<>").lower()
        if "@" in address and len(address) <= 254:
            people.append(Person(address=address, name=" ".join(display_name.split())[:200]))
    unique: dict[str, Person] = {}
    for person in people:
        unique.setdefault(person.address, person)
    return list(unique.values())


def _decoded(words: str) -> str:
    try:
        return str(make_header(decode_header(words)))
    except (LookupError, UnicodeDecodeError, ValueError):
        return words


def _message_ids(message: Message, name: str) -> list[str]:
    return MESSAGE_ID.findall(_header(message, name))


def _thread_ids(message: Message) -> list[str]:
    """The Message-IDs this one answers: In-Reply-To first, then References newest first."""
    ids = _message_ids(message, "In-Reply-To") + _message_ids(message, "References")[::-1]
    return list(dict.fromkeys(ids))[:50]


def _serialised(message: Message) -> bytes:
    try:
        return message.as_bytes(policy=policy.SMTP)
    except Exception:  # noqa: BLE001 - a forwarded message too broken to write out again
        return b""


def _filename(part: Message) -> str:
    try:
        return _clean(part.get_filename() or "")
    except Exception:  # noqa: BLE001 - an undecodable RFC 2231 name: keep the file, not its name
        return ""
