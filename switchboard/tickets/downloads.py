"""How a ticket's files reach a browser (CORE-16), for agents and for contacts' links alike.

Files come from strangers. Only what really is a PNG, JPEG, GIF or WebP image, or a WAV or MP3
recording, by its own first bytes, is shown in the browser; everything else (SVG and PDF
included, which can carry scripts) is downloaded as an attachment of no particular type. The
type a sender declared and the file's name are never believed, and the browser is told not to
guess (nosniff).
"""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

# The longest signature below (WebP: "RIFF", a size, "WEBP").
SIGNATURE_BYTES = 12


def sniff_image_type(head: bytes) -> str | None:
    """The type of the image ``head`` (a file's first bytes) starts, if it is one of the four
    shown in the browser; None for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def sniff_audio_type(head: bytes) -> str | None:
    """The type of the recording ``head`` starts, if it is a WAV or MP3 file (voicemail); None else."""
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    return None


def file_response(file: FieldFile, *, filename: str) -> FileResponse:
    """``file`` shown inline if its bytes are an image of the four types or a recording (played
    on the timeline), else downloaded."""
    handle = file.open("rb")
    head = handle.read(SIGNATURE_BYTES)
    shown_type = sniff_image_type(head) or sniff_audio_type(head)
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=shown_type is None,
        filename=filename,
        content_type=shown_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
