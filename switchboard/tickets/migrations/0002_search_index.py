from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from switchboard.tickets import search


def install(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    search.install_index(schema_editor)


def remove(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    search.remove_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
