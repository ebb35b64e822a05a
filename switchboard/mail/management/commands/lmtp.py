"""``switchboard lmtp``: receive mail pushed by the mail server over LMTP (see mail/lmtp.py)."""

from __future__ import annotations

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from switchboard.mail.lmtp import start_lmtp


class Command(BaseCommand):
    help = "Receive mail for the groups' addresses over LMTP (push delivery)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.LMTP_HOST)
        parser.add_argument("--port", type=int, default=settings.LMTP_PORT)

    def handle(self, *args: object, **options: object) -> None:
        host, port = str(options["host"]), int(str(options["port"]))
        controller = start_lmtp(host, port)
        self.stdout.write(f"LMTP on {host}:{port}; stop with Ctrl-C")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
