from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from switchboard.tickets import search


def rebuild(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """SQLite: the full-text index gains prefix indexes (search as one types); PostgreSQL's
    index is unchanged."""
    if schema_editor.connection.vendor == "sqlite":
        search.rebuild_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0017_activity_file_fetch")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=False)]
