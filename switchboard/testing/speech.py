"""Voicemail audio for tests: espeak-ng speaks a sentence, sox makes it a phone recording.

Phone systems record calls at 8 kHz, 8-bit mu-law, mono (Twilio's recordings are WAV of that kind),
so the speech is cut down to what a telephone line carries before it is transcribed. Some providers
send MP3 instead: `telephone_mp3` encodes the same line-quality audio as MP3 (PyAV's LAME, as
faster-whisper decodes with PyAV). Needs the Debian packages espeak-ng and sox (TEST_SYSTEM_PACKAGES).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import av


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is missing: make setup-test installs it (Debian packages espeak-ng and sox).")
    return path


def telephone_wav(text: str, *, voice: str = "en-us") -> bytes:
    """``text`` spoken by espeak-ng's ``voice`` ("en-us", "pl"), as an 8 kHz mu-law mono WAV."""
    with tempfile.TemporaryDirectory(prefix="switchboard-speech-") as work:
        spoken, phone = Path(work, "spoken.wav"), Path(work, "phone.wav")
        subprocess.run([_tool("espeak-ng"), "-v", voice, "-w", str(spoken), text], check=True, capture_output=True)
        # Files, not pipes: sox writes a WAV header with the right length only to a file it can seek.
        subprocess.run(
            [_tool("sox"), str(spoken), "-r", "8000", "-c", "1", "-e", "mu-law", str(phone)],
            check=True,
            capture_output=True,
        )
        return phone.read_bytes()


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
    with tempfile.NamedTemporaryFile(suffix=".wav") as file:
        file.write(wav)
        file.flush()
        result = subprocess.run([_tool("soxi"), "-D", file.name], check=True, capture_output=True, text=True)
    return float(result.stdout)
