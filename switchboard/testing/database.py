"""PostgreSQL helpers for race tests: a test holds a lock that the code under test needs, and
knows, from the server's own account, when every contender is waiting for it."""

from __future__ import annotations

import time

from django.db import connection


def blocked_connections() -> int:
    """How many other connections to this database wait for a lock now."""
    with connection.cursor() as cursor:
        # Inside a transaction the server would answer from the snapshot of the first look.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )
        return int(cursor.fetchone()[0])


def wait_for_blocked_connections(count: int, *, timeout: float = 30) -> None:
    """Return once ``count`` other connections wait for a lock (one this test holds); fail
    clearly if they do not within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while (blocked := blocked_connections()) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{blocked} of {count} connections came to wait for the lock in {timeout} s")
        time.sleep(0.01)
