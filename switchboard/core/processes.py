"""The start of a process that Switchboard spawns itself (the mail parsing process): it sets
Django up, and ends once its parent is gone, so that a parent killed with SIGKILL (or by the
kernel for memory) does not leave it running for ever. Imports no model: spawn unpickles it
before Django is set up."""

from __future__ import annotations

import os
import threading
import time

import django


def start_child_process(parent: int) -> None:
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    django.setup()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)
