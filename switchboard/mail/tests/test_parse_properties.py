"""Generated and mutated MIME (hypothesis): broken boundaries, bad charsets, huge headers, nested
messages. Parsing never fails with anything but a clear reason, and every message that goes
through the pipeline ends up applied, dropped or quarantined: stored, never lost (MAIL-04, MAIL-13)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from switchboard.intake.inbound import UnreadableMessageError
from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.mail.parse import parse_email
from switchboard.tickets.models import Activity, Ticket

CHARSETS = ["utf-8", "iso-8859-2", "windows-1250", "koi8-r", "shift_jis", "us-ascii", "x-no-such-charset", ""]
ENCODINGS = ["7bit", "8bit", "quoted-printable", "base64", "x-unknown", ""]
LEAF_TYPES = ["text/plain", "text/html", "image/png", "application/pdf", "text/calendar", "application/ms-tnef"]
MULTIPART_TYPES = ["multipart/mixed", "multipart/alternative", "multipart/related", "multipart/report"]
_serial = itertools.count()
NUL_SENDER = b'From: "" <\x00a@example.org>\r\nSubject: \r\nMessage-ID: <nul@gen.example>\r\n\r\nHi'

text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=200)
raw_bytes = st.binary(max_size=300)


@st.composite
def leaf(draw: st.DrawFn) -> bytes:
    content_type = draw(st.sampled_from(LEAF_TYPES))
    charset = draw(st.sampled_from(CHARSETS))
    encoding = draw(st.sampled_from(ENCODINGS))
    body = draw(st.one_of(raw_bytes, text.map(lambda value: value.encode("utf-8"))))
    headers = f"Content-Type: {content_type}" + (f"; charset={charset}" if charset else "")
    if draw(st.booleans()):
        headers += f'\r\nContent-Disposition: attachment; filename="{draw(text)[:40]}"'
    if draw(st.booleans()):
        headers += f"\r\nContent-ID: <{draw(st.integers(0, 9))}@x>"
    if encoding:
        headers += f"\r\nContent-Transfer-Encoding: {encoding}"
    return headers.encode("utf-8", "surrogateescape") + b"\r\n\r\n" + body


@st.composite
def part(draw: st.DrawFn, depth: int = 0) -> bytes:
    kind = draw(st.sampled_from(["leaf", "multipart", "message"] if depth < 4 else ["leaf"]))
    if kind == "leaf":
        return draw(leaf())
    if kind == "message":
        return b"Content-Type: message/rfc822\r\n\r\n" + draw(message(depth=depth + 1))
    boundary = f"b{depth}{draw(st.integers(0, 99))}"
    children = draw(st.lists(part(depth=depth + 1), min_size=0, max_size=3))
    body = b"".join(f"--{boundary}\r\n".encode() + child + b"\r\n" for child in children)
    if draw(st.booleans()):  # most messages close their multipart properly
        body += f"--{boundary}--\r\n".encode()
    content_type = draw(st.sampled_from(MULTIPART_TYPES))
    return f'Content-Type: {content_type}; boundary="{boundary}"\r\n\r\n'.encode() + body


@st.composite
def message(draw: st.DrawFn, depth: int = 0) -> bytes:
    headers = []
    if draw(st.integers(0, 9)):  # one in ten has no sender at all
        name = draw(text)[:60].replace("\r", " ").replace("\n", " ")
        headers.append(f'From: "{name}" <{draw(st.sampled_from(["a", "b", "ewa.nowak"]))}@example.org>')
    headers.append("Subject: " + draw(st.sampled_from(["", "=?utf-8?q?Zg=C5=82oszenie?=", "=?x-bad?b?!!?= hi"]))
                   + draw(text)[:80].replace("\r", " ").replace("\n", " "))  # fmt: skip
    headers.append(f"Message-ID: <{draw(st.uuids())}@gen.example>")
    if draw(st.booleans()):
        headers.append("In-Reply-To: " + draw(st.sampled_from(["<x@y>", "<<<", "", "garbage <a@b> <c@d"])))
    if draw(st.integers(0, 9)) == 0:
        headers.append("X-Huge: " + "a" * draw(st.integers(1_000, 100_000)))  # one enormous header line
    return "\r\n".join(headers).encode("utf-8", "surrogateescape") + b"\r\nMIME-Version: 1.0\r\n" + draw(part(depth))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = draw(message())
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(data)))
        mutation = draw(st.sampled_from(["cut", "insert", "drop-line"]))
        if mutation == "cut":
            data = data[:position]
        elif mutation == "insert":
            data = data[:position] + draw(raw_bytes) + data[position:]
        else:
            start = data.rfind(b"\n", 0, position) + 1
            end = data.find(b"\n", position)
            data = data[:start] + (data[end + 1 :] if end >= 0 else b"")
    return data


@pytest.mark.spec("MAIL-04")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_parsing_any_message_gives_an_inbound_or_a_clear_reason(data):
    try:
        inbound = parse_email(data)
    except UnreadableMessageError as error:
        assert str(error)
        return
    assert "@" in inbound.sender.address or inbound.automatic  # a bounce's sender may have no domain (issue 18)
    assert "<script" not in inbound.html.lower()
    assert all(isinstance(file.content, bytes) for file in inbound.attachments)


@pytest.mark.spec("MAIL-13")
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(mutated(), min_size=1, max_size=5))
# Found on PostgreSQL, which stores no NUL character: one in an address failed the whole batch.
@example([NUL_SENDER, b"From: <ewa.nowak@example.org>\r\nSubject: ok\r\n\r\nHello\x00 there"])
def test_every_message_through_the_pipeline_is_applied_dropped_or_quarantined(volunteers, batch):
    items = [RawItem("email", f"generated:{next(_serial)}", data, volunteers) for data in batch]
    stored = do_store_raw_messages(items)
    do_apply_raw_messages(stored)
    states = RawMessage.objects.filter(pk__in=[raw.pk for raw in stored]).values_list("state", flat=True)
    assert len(states) == len(batch) and RawMessage.State.STORED not in states
    if batch[0] == NUL_SENDER:  # NUL characters are left out of what is stored, nothing else
        assert Ticket.objects.filter(contact__points__value="a@example.org").exists()
        assert Activity.objects.filter(body__startswith="Hello there").exists()
