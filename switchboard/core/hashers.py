"""The password hasher: Django's PBKDF2, which gives the request's database connection back to
the pool before it hashes.

A password check costs about half a second of CPU by design, and far more when many agents sign
in at once at the start of a shift. Holding a pooled connection through it, 25 sign-ins in one web
process kept the pool's 10 connections busy until others waited 30 s and were answered 500
(bench/results/2026-12-06-load.txt). The stored hashes are Django's own ("pbkdf2_sha256"): this
hasher reads the passwords Django set and Django reads this hasher's."""

from __future__ import annotations

from django.contrib.auth import hashers
from django.db import connection


def give_back_connection() -> None:
    """Returns the connection to its pool, where there is one and no transaction is open; the next
    query takes one again."""
    if getattr(connection, "pool", None) is not None and not connection.in_atomic_block:
        connection.close()


class PBKDF2PasswordHasher(hashers.PBKDF2PasswordHasher):
    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        give_back_connection()  # checking a password encodes it again: verify() comes here too
        return super().encode(password, salt, iterations)
