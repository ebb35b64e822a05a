"""Voicemail transcription: seconds of audio transcribed per second by one worker, and its memory.

    make setup-test                                 # once: the environment, espeak-ng and sox
    .venv/bin/python bench/voicemail.py [--runs 3]
    TRANSCRIBE_MODEL=/path/to/model .venv/bin/python bench/voicemail.py   # another model

Speaks three voicemails of different lengths with espeak-ng and makes them 8 kHz mu-law WAV with
sox, as phone recordings are (not timed). Then, in this one process as in a worker: loads the model
(the first transcription's cost, timed on its own) and transcribes each voicemail --runs times
through `switchboard.phone.transcription.transcribe`. Prints the audio seconds transcribed per
wall-clock second, the resident memory before and after the model is loaded, and the peak.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SWITCHBOARD_DATA_DIR", tempfile.mkdtemp(prefix="switchboard-voicemail-"))

import django  # noqa: E402

django.setup()

from switchboard.phone.transcription import get_model, model_path, transcribe  # noqa: E402
from switchboard.testing.speech import telephone_wav, wav_duration  # noqa: E402

VOICEMAILS = [
    "Hello, this is Maria, please call me back at five five five one two three four.",
    "Hi, it's Thomas Miller calling about my donation from last week. The receipt never arrived, and I need it "
    "for my taxes. You can reach me at five five five nine eight seven six, any time after three. Thanks.",
    "Good morning, my name is Susan Clark. I volunteered at the food bank on Saturday and I would like to sign up "
    "for the next three weekends as well. I can drive, so if you need someone to pick up donations from the "
    "bakery, I am happy to do that. I also have a question about the training session on Tuesday: is it still at "
    "the community centre, or has it moved? Please call me back at five five five two four six eight, or send me "
    "a text message. Thank you very much, and have a nice day.",
]


def rss_mb() -> float:
    """The process's resident memory now, in MB (Linux)."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return kb / 1024


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="transcriptions of each voicemail (default 3)")
    args = parser.parse_args()

    recordings = [telephone_wav(text) for text in VOICEMAILS]
    durations = [wav_duration(wav) for wav in recordings]
    before = rss_mb()

    started = time.perf_counter()
    get_model()
    load_seconds = time.perf_counter() - started
    loaded = rss_mb()
    print(f"model: {model_path()}")
    print(f"model load: {load_seconds:.2f} s; memory {before:.0f} MB before, {loaded:.0f} MB with the model loaded")

    audio_total = wall_total = 0.0
    for wav, duration in zip(recordings, durations, strict=True):
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            transcript = transcribe(wav, language="en")
            times.append(time.perf_counter() - started)
        audio_total += duration * args.runs
        wall_total += sum(times)
        best, median = min(times), sorted(times)[len(times) // 2]
        print(f"{duration:5.1f} s of audio: median {median:.2f} s, best {best:.2f} s "
              f"({duration / median:.1f} s of audio per second): {transcript[:70]!r}…")  # fmt: skip

    print(f"overall: {audio_total:.0f} s of audio in {wall_total:.1f} s = {audio_total / wall_total:.1f} s of audio "
          f"per second per worker (cores: {os.cpu_count()})")  # fmt: skip
    print(f"memory: {rss_mb():.0f} MB now, peak {peak_rss_mb():.0f} MB (the worker with the model, after transcribing)")


if __name__ == "__main__":
    main()
