"""Helpers for tests that start real `switchboard` processes."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from django.db import connection


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def switchboard_command() -> str:
    """The `switchboard` console script of the environment running the tests."""
    return str(Path(sys.executable).parent / "switchboard")


def shared_database_url() -> str:
    """DATABASE_URL of the database the current test uses, for a process to share it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
