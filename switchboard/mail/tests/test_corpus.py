"""A corpus of realistic mail (corpus/*.eml, described in corpus/manifest.json): Outlook, Gmail,
Apple Mail, Thunderbird, phones, forwards, auto-replies, bounces, invites, charsets from
windows-1250 to shift_jis. Each is parsed as a person would read it, and all of them go through
the pipeline into tickets."""

from __future__ import annotations

import json
import struct
from email.message import EmailMessage
from pathlib import Path

import pytest

from switchboard.core.quotes import split_quoted
from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.mail.parse import parse_email
from switchboard.tickets.models import ActivityKind, Attachment

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


def names(entries: list[dict[str, object]]) -> list[tuple[object, object]]:
    return sorted((entry["filename"], entry["content_type"]) for entry in entries)


@pytest.mark.spec("MAIL-04", "MAIL-11", "MAIL-12")
@pytest.mark.parametrize("expected", MANIFEST, ids=[entry["file"] for entry in MANIFEST])
def test_each_message_reads_as_its_sender_wrote_it(expected):
    inbound = parse_email((CORPUS / expected["file"]).read_bytes())

    assert inbound.sender.address == expected["from"]
    assert inbound.sender.name == expected["from_name"]
    assert inbound.subject == " ".join(expected["subject"].split())
    new_text, _quoted = split_quoted(inbound.text)
    for fragment in expected["text_contains"]:
        assert fragment in new_text, (fragment, new_text[:500])
    if expected["quoted_contains"]:
        assert expected["quoted_contains"] in inbound.text  # kept, though folded away
    assert "<script" not in inbound.html and "javascript:" not in inbound.html and "onclick" not in inbound.html
    # Every file by the name and type it is shown with: parts without a file name of their own
    # are named for what they are (a forwarded message by its subject, a delivery report's parts).
    files = sorted((file.filename, file.content_type) for file in inbound.attachments)
    assert files == names(expected["attachments"])
    assert sorted(person.address for person in inbound.cc) == sorted(expected["cc"])
    assert bool(inbound.automatic) == expected["automatic"], inbound.automatic


@pytest.mark.spec("MAIL-02", "MAIL-03", "MAIL-04", "MAIL-13")
def test_the_whole_corpus_goes_into_tickets_with_replies_on_their_originals_ticket(volunteers):
    items = [
        RawItem("email", f"corpus:{entry['file']}", (CORPUS / entry["file"]).read_bytes(), volunteers)
        for entry in MANIFEST
    ]
    do_apply_raw_messages(do_store_raw_messages(items))

    raws = {raw.source_key.removeprefix("corpus:"): raw for raw in RawMessage.objects.select_related("activity")}
    assert {raw.state for raw in raws.values()} == {RawMessage.State.APPLIED}, {
        key: raw.reason for key, raw in raws.items() if raw.state != RawMessage.State.APPLIED
    }
    for entry in MANIFEST:
        raw = raws[entry["file"]]
        assert raw.activity.kind == ActivityKind.EMAIL_IN
        stored = Attachment.objects.filter(activity=raw.activity)
        assert stored.count() == len(entry["attachments"]), entry["file"]
        if entry["in_reply_to_file"]:
            assert raw.ticket == raws[entry["in_reply_to_file"]].ticket, entry["file"]
    photos = Attachment.objects.filter(content_type__in=["image/jpeg", "image/png"])
    assert photos.exists() and all(photo.thumbnail for photo in photos)


def tnef(files: dict[str, bytes]) -> bytes:
    """A winmail.dat as Outlook writes it (TNEF): a version, then each file's start, name and data."""

    def attribute(level: int, name: int, kind: int, data: bytes) -> bytes:
        header = struct.pack("<BII", level, (kind << 16) | name, len(data))
        return header + data + struct.pack("<H", sum(data) & 0xFFFF)

    blob = struct.pack("<IH", 0x223E9F78, 1) + attribute(1, 0x9006, 8, struct.pack("<I", 0x10000))
    for name, data in files.items():
        blob += attribute(2, 0x9002, 6, b"\x01" + bytes(13))  # a new attachment starts
        blob += attribute(2, 0x8010, 1, name.encode() + b"\x00") + attribute(2, 0x800F, 6, data)
    return blob


@pytest.mark.spec("MAIL-04")
def test_the_files_inside_a_winmail_dat_become_the_messages_attachments():
    message = EmailMessage()
    message["From"], message["Subject"] = "Jan <jan@example.pl>", "Umowa"
    message.set_content("W załączniku umowa.")
    message.add_attachment(
        tnef({"umowa.pdf": b"%PDF-1.4 umowa", "zdjecie.jpg": b"\xff\xd8\xff"}),
        maintype="application",
        subtype="ms-tnef",
        filename="winmail.dat",
    )
    inbound = parse_email(message.as_bytes())
    assert [(f.filename, f.content_type, f.content) for f in inbound.attachments] == [
        ("umowa.pdf", "application/pdf", b"%PDF-1.4 umowa"),
        ("zdjecie.jpg", "image/jpeg", b"\xff\xd8\xff"),
    ]
    broken = parse_email((CORPUS / "05-outlook-winmail-dat-tnef.eml").read_bytes())
    assert [f.filename for f in broken.attachments] == ["winmail.dat"]  # holds no files: kept as it is
