"""Many rows of one table, each changed its own way, in one statement (the intake's batches,
bench/README.md "Inbound mail"). Django's ``bulk_update`` builds a CASE for every field and row:
for 50 rows of 8 fields that costs more CPU than the 50 saves it replaces. This writes
``UPDATE … FROM (VALUES …)`` instead (SQLite 3.33+ and PostgreSQL), values prepared by each
field as a save would."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

ROWS_PER_STATEMENT = 500


def update_rows(objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Save ``fields`` of each of ``objects`` (saved rows of one model) in one statement per 500."""
    if not objects:
        return
    model = type(objects[0])
    meta = model._meta
    columns = [field for name in fields if isinstance(field := meta.get_field(name), models.Field)]
    assert len(columns) == len(fields), "concrete fields only"  # noqa: S101 - a caller's mistake
    quote = connection.ops.quote_name
    table, key = quote(meta.db_table), quote(meta.pk.column)
    postgres = connection.vendor == "postgresql"  # its VALUES columns take the parameters' types: cast to the columns'
    key_value = f"CAST(v.column1 AS {meta.pk.db_type(connection)})" if postgres else "v.column1"

    def value(number: int, field: models.Field[Any, Any]) -> str:  # column2… of the VALUES (column1: the key)
        return f"CAST(v.column{number} AS {field.db_type(connection)})" if postgres else f"v.column{number}"

    assignments = ", ".join(
        f"{quote(field.column)} = {value(number, field)}" for number, field in enumerate(columns, start=2)
    )
    row = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    for start in range(0, len(objects), ROWS_PER_STATEMENT):
        chunk = objects[start : start + ROWS_PER_STATEMENT]
        params: list[Any] = []
        for instance in chunk:
            params.append(instance.pk)
            params += [field.get_db_prep_save(getattr(instance, field.attname), connection) for field in columns]
        rows = ", ".join([row] * len(chunk))
        sql = f"UPDATE {table} SET {assignments} FROM (VALUES {rows}) AS v WHERE {table}.{key} = {key_value}"  # noqa: S608 - names from the model, values as parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
