"""Writing many messages' tickets in one transaction (the intake's batches, bench/README.md
"Inbound mail"): inside ``batch()`` the search entries the actions add are collected and written
in one multi-row insert when the batch ends, and what every new ticket reads (its group's
initial status, service level, members to tell) is read once per batch. Outside a batch every
call does what it did alone. Each message still goes through the same actions and rules: only
when their rows reach the database changes, never what is written.

A search entry added in a savepoint that is then rolled back (a message quarantined midway) is
dropped with it: each entry carries a marker in the transaction's on-commit list, which a
savepoint's rollback empties as it does for every other on-commit callback. (A batch routes
nothing: its tickets left without an owner are routed after its commit, assignment.py.)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.db import transaction

from switchboard.tickets.models import SearchEntry

T = TypeVar("T")


def _marker() -> Callable[[], None]:
    """A new marker, put in the transaction's on-commit list now."""

    def marker() -> None:
        """Does nothing when run: while it is in the on-commit list, its savepoint stands."""

    transaction.on_commit(marker)
    return marker


def _standing() -> set[int]:
    """The ids of the markers whose savepoints were not rolled back."""
    return {id(callback) for _sids, callback, _robust in transaction.get_connection().run_on_commit}


@dataclass
class _Batch:
    entries: list[tuple[SearchEntry, Callable[[], None]]] = field(default_factory=list)
    reads: dict[Hashable, Any] = field(default_factory=dict)

    def defer(self, entry: SearchEntry) -> None:
        self.entries.append((entry, _marker()))

    def flush(self) -> None:
        """Write the entries whose savepoints were not rolled back, in one statement per 500."""
        if not self.entries:
            return
        alive = _standing()
        kept = [entry for entry, marker in self.entries if id(marker) in alive]
        self.entries.clear()
        SearchEntry.objects.bulk_create(kept, batch_size=500)


_current: ContextVar[_Batch | None] = ContextVar("tickets_batch", default=None)
_shared_reads: ContextVar[dict[Hashable, Any] | None] = ContextVar("tickets_shared_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Around several batches one after another (the intake's job, a transaction a message):
    what ``read_once`` reads is read once for all of them, as for one batch."""
    if _shared_reads.get() is not None:
        yield
        return
    token = _shared_reads.set({})
    try:
        yield
    finally:
        _shared_reads.reset(token)


@contextmanager
def batch() -> Iterator[None]:
    """Collect the deferred writes of what runs inside; written before the block ends. Use it
    inside the transaction whose writes it collects."""
    if _current.get() is not None:  # nested: the outer batch writes
        yield
        return
    shared = _shared_reads.get()
    state = _Batch(reads={} if shared is None else shared)
    token = _current.set(state)
    try:
        yield
        state.flush()
    finally:
        _current.reset(token)


def flush() -> None:
    """Write what is collected now (before a statement that must see it)."""
    if (state := _current.get()) is not None:
        state.flush()


def add_search_entry(entry: SearchEntry) -> None:
    """Insert ``entry`` now, or with the batch's others at its end."""
    if (state := _current.get()) is not None:
        state.defer(entry)
    else:
        entry.save(force_insert=True)


def read_once(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, once per batch for ``key``; each call outside a batch. For what the batch's own
    messages never change (a group's initial status, service level, members): an administrator's
    change made meanwhile counts from the next batch, as it would for a batch read a moment earlier."""
    if (state := _current.get()) is None:
        return read()
    if key not in state.reads:
        state.reads[key] = read()
    return cast(T, state.reads[key])
