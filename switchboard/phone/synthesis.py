"""Speech made on this machine: espeak-ng speaks, sox turns it into a phone recording.

Phone systems record calls at 8 kHz, 8-bit mu-law, mono (Twilio's recordings are WAV of that
kind), so the speech is cut down to what a telephone line carries. The demo's voicemail is made
this way, and so are the tests' recordings (switchboard/testing/speech.py). espeak-ng and sox are
Debian packages (espeak-ng, sox) that a production installation need not have.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from switchboard.tickets.demo_texts import DemoTexts

logger = logging.getLogger(__name__)

# Maria Garcia is a demo contact (+15415550101). The tiny model hears this, on the line, as "Hello,
# this is Maria Garcia. I would like to volunteer on Saturday morning. Please call me Mac at five,
# five, zero, one, zero, one. Thank you.": a fair picture of what it does with a real voicemail.
DEMO_VOICEMAIL = (
    "Hello, this is Maria Garcia. I would like to volunteer on Saturday morning. "
    "Please call me back at five five five, zero one zero one. Thank you."
)


class SpeechToolMissingError(Exception):
    """espeak-ng or sox is not installed."""


def telephone_wav(text: str, *, voice: str = "en-us") -> bytes:
    """``text`` spoken by espeak-ng's ``voice`` ("en-us", "pl"), as an 8 kHz mu-law mono WAV."""
    espeak, sox = _tool("espeak-ng"), _tool("sox")
    with tempfile.TemporaryDirectory(prefix="switchboard-speech-") as work:
        spoken, phone = Path(work, "spoken.wav"), Path(work, "phone.wav")
        subprocess.run([espeak, "-v", voice, "-w", str(spoken), text], check=True, capture_output=True)  # noqa: S603
        # Files, not pipes: sox writes a WAV header with the right length only to a file it can seek.
        subprocess.run(  # noqa: S603 - sox with our own file names
            [sox, str(spoken), "-r", "8000", "-c", "1", "-e", "mu-law", str(phone)], check=True, capture_output=True
        )
        return phone.read_bytes()


def demo_voicemail_wav(texts: DemoTexts | None = None) -> bytes | None:
    """The demo's voicemail recording (DEMO_VOICEMAIL, in English, or the words of ``texts``
    in their language), or None where espeak-ng or sox is not installed: the demo's voicemail
    then has its transcript and no audio."""
    try:
        if texts is not None and texts.language != "en":
            return telephone_wav(texts.voicemail, voice=texts.voicemail_voice)
        return telephone_wav(DEMO_VOICEMAIL)
    except SpeechToolMissingError as exc:
        logger.info("The demo voicemail has no audio: %s", exc)
        return None


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SpeechToolMissingError(f"{name} is not installed (Debian packages espeak-ng and sox).")
    return path
