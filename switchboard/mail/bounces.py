"""Reading bounces and delivery status notifications (RFC 3464) as mail servers really send them:
Postfix, Exim, Exchange, Gmail and Sendmail with a ``message/delivery-status`` part, older Exim
and qmail in plain text. What a report says (failed or only delayed, for whom, why, and which
message it returns) goes to the pipeline as a ``DeliveryReport``; ``intake/bounces.py`` decides
what it means for our own outbound mail.
"""

from __future__ import annotations

import re
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser

from switchboard.intake.inbound import DeliveryReport

MESSAGE_ID = re.compile(r"<[^<>\s]+>")
# A copy of the returned message quoted in a plain-text bounce (qmail, older Exim): its headers.
QUOTED_MESSAGE_ID = re.compile(r"^[ \t>]*Message-ID:[ \t]*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
QUOTED_SUBJECT = re.compile(r"^[ \t>]*Subject:[ \t]*(.+)$", re.IGNORECASE | re.MULTILINE)
# qmail: "<maria@example.org>:" on a line of its own, then the remote server's words.
QMAIL_RECIPIENT = re.compile(r"^<([^<>\s]+@[^<>\s]+)>:[ \t]*\n((?:[^\n]+\n?)*)", re.MULTILINE)
# An SMTP reply in the words of a plain-text bounce: "550 5.1.1 …", "550-5.1.1 …", "552 …".
SMTP_REPLY = re.compile(r"\b[45]\d\d[ -](?:[45]\.\d{1,3}\.\d{1,3}\b)?[^\n]*")
DELAY_WORDS = re.compile(r"delay|warning|verzögert|opóźni", re.IGNORECASE)
MAX_REASON = 500
MAX_DEPTH = 20


def read_delivery_report(message: Message, *, text: str, subject: str) -> DeliveryReport | None:
    """The report ``message`` makes, or None when it is no bounce: a ``multipart/report`` of
    delivery status, or mail that names failed recipients or quotes the message it returns.
    ``text`` is the message's readable text, ``subject`` its decoded subject."""
    report_type = str(message.get_param("report-type", "", header="content-type") or "").lower()
    if message.get_content_type() == "multipart/report" and report_type not in {"", "delivery-status"}:
        return None  # a read receipt (disposition-notification) or another kind of report
    statuses: list[Message] = []
    returned: list[Message] = []
    for part in _parts(message):
        content_type = part.get_content_type()
        if content_type in {"message/delivery-status", "message/global-delivery-status"}:
            statuses += _status_blocks(part)
        elif content_type in {"message/rfc822", "message/global"}:
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                returned.append(payload[0])
        elif content_type in {"text/rfc822-headers", "message/global-headers"}:
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                returned.append(BytesHeaderParser(policy=policy.default).parsebytes(data))
    message_ids = [found for copy in returned for found in MESSAGE_ID.findall(_field(copy, "Message-ID"))]
    subjects = [subject for copy in returned if (subject := _field(copy, "Subject"))]
    if not returned:  # a plain-text bounce quotes the message it returns
        message_ids = QUOTED_MESSAGE_ID.findall(text)
        subjects = [" ".join(found.split()) for found in QUOTED_SUBJECT.findall(text)[:1]]
    failed_header = [
        address.strip().strip("<>").lower()
        for value in message.get_all("X-Failed-Recipients") or []
        for address in str(value).split(",")
        if "@" in address
    ]
    is_report = message.get_content_type() == "multipart/report"
    if not (statuses or failed_header or ((message_ids or subjects) and (is_report or _from_a_mail_system(message)))):
        return None
    recipients_status = [block for block in statuses if _recipient(block)]
    failed_blocks = [block for block in recipients_status if _has_failed(block)]
    if recipients_status:
        failed = bool(failed_blocks)
        blocks = failed_blocks or recipients_status
        recipients = [_recipient(block) for block in blocks]
        reason = next((reason for block in blocks if (reason := _reason(block))), "")
    else:
        failed = not DELAY_WORDS.search(subject)
        qmail = QMAIL_RECIPIENT.findall(text)
        recipients = failed_header or [address.lower() for address, _words in qmail]
        reason = next((match.group(0) for match in SMTP_REPLY.finditer(text)), "") or next(
            (words for _address, words in qmail), ""
        )
    return DeliveryReport(
        failed=failed,
        recipients=tuple(dict.fromkeys(recipients)),
        reason=" ".join(reason.split())[:MAX_REASON],
        returned_message_ids=tuple(dict.fromkeys(message_ids)),
        returned_subject=subjects[0][:998] if subjects else "",
    )


def _parts(message: Message) -> list[Message]:
    """Every part down to MAX_DEPTH levels, without recursion (a report may be nested anyhow)."""
    found: list[Message] = []
    waiting: list[tuple[Message, int]] = [(message, 0)]
    while waiting:
        part, depth = waiting.pop()
        found.append(part)
        if part.is_multipart() and part.get_content_type().startswith("multipart/") and depth < MAX_DEPTH:
            payload = part.get_payload()
            subparts = [sub for sub in payload if isinstance(sub, Message)] if isinstance(payload, list) else []
            waiting += [(sub, depth + 1) for sub in reversed(subparts)]
    return found


def _status_blocks(part: Message) -> list[Message]:
    """The field blocks of a delivery-status part: the per-message one, then one per recipient."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    data = part.get_payload(decode=True)  # a parser that left it as text: read the blocks here
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(payload)
    parser = BytesHeaderParser(policy=policy.default)
    return [parser.parsebytes(block.strip().encode()) for block in re.split(r"\r?\n\s*\r?\n", text) if block.strip()]


def _field(block: Message, name: str) -> str:
    try:
        return " ".join(str(block.get(name, "")).split())
    except Exception:  # noqa: BLE001 - a malformed field says nothing
        return ""


def _recipient(block: Message) -> str:
    """Final-Recipient (else Original-Recipient) without its address type: "rfc822; a@b" → "a@b"."""
    value = _field(block, "Final-Recipient") or _field(block, "Original-Recipient")
    return value.partition(";")[2].strip().strip("<>").lower() if ";" in value else value.strip("<>").lower()


def _has_failed(block: Message) -> bool:
    action = _field(block, "Action").lower()
    return action == "failed" or (not action and _field(block, "Status").startswith("5"))


def _reason(block: Message) -> str:
    """The remote server's words ("smtp; 550 5.1.1 … user unknown"), else the status code."""
    diagnostic = _field(block, "Diagnostic-Code")
    if diagnostic:
        return diagnostic.partition(";")[2].strip() if ";" in diagnostic else diagnostic
    return _field(block, "Status")


def _from_a_mail_system(message: Message) -> bool:
    sender = " ".join(str(value) for value in (message.get_all("From") or []))
    empty = not sender.strip().strip("<>").strip()  # "From: <>", the null sender
    return empty or bool(re.search(r"mailer-daemon|postmaster|mail delivery", sender, re.IGNORECASE))
