"""Rows a manager puts in order (a group's statuses, categories, form fields): one place up or down."""

from __future__ import annotations

from typing import Protocol, TypeVar


class Positioned(Protocol):
    pk: int
    position: int


Row = TypeVar("Row", bound=Positioned)


def move_one_place(rows: list[Row], row_pk: int, *, up: bool, first: int = 0) -> bool:
    """Swap the row ``row_pk`` of ``rows`` (in their order) with the one above it (``up``) or
    below it, and number every row's ``position`` from ``first``. False, with nothing changed,
    when it is already at that end; the caller saves the positions."""
    index = next(i for i, row in enumerate(rows) if row.pk == row_pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(rows):
        return False
    rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows, start=first):
        row.position = position
    return True
