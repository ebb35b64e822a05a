"""Global search looks phone numbers and addresses up by their beginning (``LIKE 'x%'``).

SQLite's search uses a range over the unique index (kind, value) instead. PostgreSQL uses a
B-tree index for LIKE only under the C collation, or with the pattern operator class: this
index, whatever the database's collation.
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

INDEX = "contact_point_value_prefix"


def install(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON contacts_contactpoint (kind, value varchar_pattern_ops)"
        )


def remove(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0005_contact_points_indexed_by_contact_and_kind")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
