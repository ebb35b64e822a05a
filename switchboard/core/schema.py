"""Raw schema statements that differ by database (full-text and trigram indexes)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def execute_for_database(
    schema_editor: BaseDatabaseSchemaEditor, *, sqlite: Sequence[str], postgresql: Sequence[str]
) -> None:
    """Run the statements written for the schema editor's database, in order."""
    statements = sqlite if schema_editor.connection.vendor == "sqlite" else postgresql
    for statement in statements:
        schema_editor.execute(statement)
