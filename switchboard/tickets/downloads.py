"""How a ticket's files reach a browser (CORE-16), for agents and for contacts' links alike.

Files come from strangers. Only what really is a PNG, JPEG, GIF or WebP image, or a WAV or MP3
recording, by its own first bytes, is shown in the browser; everything else (SVG and PDF
included, which can carry scripts) is downloaded as an attachment of no particular type. The
type a sender declared and the file's name are never believed, and the browser is told not to
guess (nosniff).
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Protocol

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


def file_response(file: FieldFile, *, filename: str, download: bool = False) -> FileResponse:
    """``file`` shown inline if its bytes are an image of the four types or a recording (played
    on the timeline), else downloaded; always downloaded if ``download``."""
    handle = file.open("rb")
    head = handle.read(SIGNATURE_BYTES)
    shown_type = sniff_image_type(head) or sniff_audio_type(head)
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=download or shown_type is None,
        filename=filename,
        content_type=shown_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


# A zip of several files is written to memory up to this size, then to a temporary file: however
# many and large the files, a download never holds more than this (and one copy buffer) in memory.
ZIP_IN_MEMORY_BYTES = 4 * 1024 * 1024
COPY_BUFFER_BYTES = 256 * 1024


class StoredFile(Protocol):
    file: FieldFile
    filename: str


def zip_response(files: Iterable[StoredFile], *, filename: str) -> FileResponse:
    """``files`` in one zip, downloaded as ``filename`` (CC-07). Each file is copied into the zip
    in pieces; the zip spills from memory to a temporary file past ``ZIP_IN_MEMORY_BYTES``. Two
    files of one name are told apart ("photo.jpg", "photo (2).jpg")."""
    spool = tempfile.SpooledTemporaryFile(max_size=ZIP_IN_MEMORY_BYTES)  # the response closes it
    used: set[str] = set()
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for stored in files:
            name = _unique_name(PurePosixPath(stored.filename.replace("\\", "/")).name or "file", used)
            with stored.file.open("rb") as source, archive.open(name, "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, COPY_BUFFER_BYTES)
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename=filename, content_type="application/zip")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def _unique_name(name: str, used: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, ""
    candidate, n = name, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem} ({n}).{suffix}" if suffix else f"{stem} ({n})"
    used.add(candidate.lower())
    return candidate
