"""The second process that parses mail during a large mailbox check (BackgroundParser) ends
when the check is killed, instead of running for ever with nobody to parse for."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys

STARTS_A_PARSER = """
import django, time
django.setup()
from switchboard.intake.pipeline import BackgroundParser
parser = BackgroundParser()
parser.pool.submit(int).result()
print(*parser.pool._processes, flush=True)
time.sleep(600)
"""


def test_the_parsing_process_ends_when_the_check_that_started_it_is_killed():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    check = subprocess.Popen([sys.executable, "-c", STARTS_A_PARSER], stdout=subprocess.PIPE, text=True, env=env)
    parser = int(check.stdout.readline())
    watch = os.pidfd_open(parser)  # readable once the process has ended

    check.send_signal(signal.SIGKILL)
    check.wait()

    ended, _, _ = select.select([watch], [], [], 30)
    os.close(watch)
    if not ended:
        os.kill(parser, signal.SIGKILL)
    assert ended, "the parsing process outlived the killed check by 30 s"
