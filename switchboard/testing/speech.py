"""Voicemail audio for tests: espeak-ng speaks a sentence, sox makes it a phone recording
(`telephone_wav`: 8 kHz mu-law WAV, as phone recordings are). Some providers send MP3 instead:
`telephone_mp3` encodes the same line-quality audio as MP3 with PyAV's LAME (faster-whisper decodes
with PyAV). Needs the Debian packages espeak-ng and sox (the Makefile's TEST_SYSTEM_PACKAGES).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile

import av

from switchboard.phone.synthesis import telephone_wav

__all__ = ["telephone_mp3", "telephone_wav", "wav_duration"]


def telephone_mp3(text: str, *, voice: str = "en-us") -> bytes:
    """The same telephone-quality speech as `telephone_wav`, encoded as MP3 (8 kHz mono, 64 kbit/s)."""
    out = io.BytesIO()
    with (
        av.open(io.BytesIO(telephone_wav(text, voice=voice)), "r") as source,
        av.open(out, "w", format="mp3") as target,
    ):
        stream = target.add_stream("libmp3lame", rate=8000, layout="mono")
        # 64 kbit/s: at 32 the tiny model starts to hear "time" for "five" on this already thin line.
        stream.bit_rate = 64_000
        for frame in source.decode(audio=0):
            frame.pts = None
            for packet in stream.encode(frame):
                target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
    return out.getvalue()


def wav_duration(wav: bytes) -> float:
    """Seconds of audio in a WAV recording, as sox reads its header."""
    soxi = shutil.which("soxi")
    assert soxi, "soxi is missing: make setup-test installs it (Debian package sox)."
    with tempfile.NamedTemporaryFile(suffix=".wav") as file:
        file.write(wav)
        file.flush()
        result = subprocess.run([soxi, "-D", file.name], check=True, capture_output=True, text=True)
    return float(result.stdout)
