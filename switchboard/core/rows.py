"""Many rows of one table, each changed its own way, in one statement (the intake's batches,
bench/README.md "Inbound mail"). Django's ``bulk_update`` builds a CASE for every field and row:
for 50 rows of 8 fields that costs more CPU than the 50 saves it replaces. This writes
``UPDATE … FROM (VALUES …)`` instead (SQLite 3.33+ and PostgreSQL), values prepared by each
field as a save would."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DatabaseError, connection, models
from django.db.models import signals

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


# One statement's text per (database, model, fields), written once: Django builds every INSERT
# and UPDATE anew (its compiler), which cost the intake more CPU than the statements themselves.
_written: dict[tuple[str, type[models.Model], tuple[str, ...]], str] = {}


def _plain(model: type[models.Model]) -> bool:
    """Whether a row of ``model`` may be written without ``save()``: no signal receivers (none
    would be told) and a database these statements are written for."""
    return (
        connection.vendor in {"sqlite", "postgresql"}
        and not signals.pre_save.has_listeners(model)
        and not signals.post_save.has_listeners(model)
    )


def insert_row(instance: models.Model) -> None:
    """``instance.save(force_insert=True)`` for a new row whose key the database makes, with the
    same values (each field's ``pre_save`` and ``get_db_prep_save``, as Django's insert), in a
    statement written once per model; ``save()`` itself where the model has signal receivers."""
    model = type(instance)
    if not _plain(model) or instance.pk is not None or model._meta.parents:
        instance.save(force_insert=True)
        return
    meta = model._meta
    fields = [field for field in meta.local_concrete_fields if field is not meta.pk]
    key = (connection.vendor, model, ("insert",))
    if (sql := _written.get(key)) is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = _written[key] = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks}) RETURNING {quote(meta.pk.column)}"  # noqa: S608 - names from the model
        )
    values = [field.pre_save(instance, True) for field in fields]  # noqa: FBT003 - Django's signature
    if any(hasattr(value, "resolve_expression") for value in values):  # a database default, an expression
        instance.save(force_insert=True)
        return
    params = [field.get_db_prep_save(value, connection) for field, value in zip(fields, values, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (pk,) = cursor.fetchone()
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias


def save_fields(instance: models.Model, names: Sequence[str]) -> None:
    """``instance.save(update_fields=names)`` for a saved row, with the same values, in a
    statement written once per model and fields; ``save()`` itself where the model has signal
    receivers."""
    model = type(instance)
    if not _plain(model) or model._meta.parents:
        instance.save(update_fields=names)
        return
    meta = model._meta
    fields = [field for name in names if isinstance(field := meta.get_field(name), models.Field)]
    assert len(fields) == len(names), "concrete fields only"  # noqa: S101 - a caller's mistake
    key = (connection.vendor, model, tuple(names))
    if (sql := _written.get(key)) is None:
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        sql = _written[key] = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 - names from the model
    params = [field.get_db_prep_save(field.pre_save(instance, False), connection) for field in fields]  # noqa: FBT003
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, instance.pk])
        if cursor.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")
