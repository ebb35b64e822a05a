"""Cursor paging for lists that grow while a program reads them (API-01).

The order is (id) or (updated_at, id): a unique key, so the cursor, the last row's key, says
exactly where the next page starts; a ticket inserted between two pages sorts after every row
already read (no row is shown twice or skipped). The cursor is opaque to clients: base64 of
the order and the key.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from switchboard.api.errors import ApiError

M = TypeVar("M", bound=Model)

ORDERS = ("id", "updated")


def _encode(order: str, key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps([order, *key]).encode()).decode().rstrip("=")


def _decode(cursor: str, order: str) -> list[Any]:
    refused = ApiError(422, "invalid_cursor", _("The cursor is not one this list gave, or it was for another order."))
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise refused from None
    if not isinstance(raw, list) or not raw or raw[0] != order:
        raise refused
    key = raw[1:]
    if order == "id" and len(key) == 1 and isinstance(key[0], int):
        return key
    if order == "updated" and len(key) == 2 and isinstance(key[0], str) and isinstance(key[1], int):  # noqa: PLR2004
        try:
            return [dt.datetime.fromisoformat(key[0]), key[1]]
        except ValueError:
            raise refused from None
    raise refused


def page(rows: QuerySet[M], *, order: str, cursor: str | None, limit: int) -> tuple[list[M], str | None]:
    """One page of ``rows`` after ``cursor`` and the cursor of the next (None: the last page)."""
    if order == "updated":
        rows = rows.order_by("updated_at", "id")
        if cursor:
            updated, pk = _decode(cursor, order)
            rows = rows.filter(Q(updated_at__gt=updated) | Q(updated_at=updated, id__gt=pk))
    else:
        rows = rows.order_by("id")
        if cursor:
            rows = rows.filter(id__gt=_decode(cursor, order)[0])
    found = list(rows[: limit + 1])
    if len(found) <= limit:
        return found, None
    last = found[limit - 1]
    key: list[Any] = [last.pk] if order == "id" else [last.updated_at.isoformat(), last.pk]  # type: ignore[attr-defined]
    return found[:limit], _encode(order, key)
