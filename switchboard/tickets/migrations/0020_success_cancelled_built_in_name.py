"""The built-in status of the "success cancelled" kind is called "Success cancelled" (seed 001:
"Sukces anulowany"), not "Cancelled", which on Close's menu read as if the ticket were cancelled.
Groups that kept the built-in name get the new one; renamed statuses stay as they are."""

from __future__ import annotations

from typing import Any

from django.db import migrations

OLD, NEW = "Cancelled", "Success cancelled"


def _rename(apps: Any, old: str, new: str) -> None:
    Status = apps.get_model("tickets", "Status")
    for status in Status.objects.filter(kind="success_cancelled", name=old):
        if not Status.objects.filter(group_id=status.group_id, name=new).exists():
            status.name = new
            status.save(update_fields=["name"])


def forwards(apps: Any, schema_editor: Any) -> None:
    _rename(apps, OLD, NEW)


def backwards(apps: Any, schema_editor: Any) -> None:
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0019_activity_notes_and_actor_index")]

    operations = [migrations.RunPython(forwards, backwards)]
