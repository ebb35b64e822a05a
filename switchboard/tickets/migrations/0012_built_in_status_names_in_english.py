"""Built-in status names are stored in English and shown in the reader's language
(Status.display_name). A group created while Polish was active got Polish names: those that are
still a kind's built-in name in any language become the English one; renamed statuses stay."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations
from django.utils import translation

BUILT_IN = {
    "new": "New",
    "needs_contact": "Call the contact",
    "waiting_contact": "Waiting for the contact",
    "scheduled": "Scheduled",
    "pending": "With another team",
    "completed": "Completed",
    "closed": "Closed",
    "closed_success": "Closed with success",
    "success_cancelled": "Cancelled",
}


def _translations(name: str) -> set[str]:
    names = set()
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            names.add(translation.gettext(name))
    return names


def store_built_in_names_in_english(apps: Any, schema_editor: Any) -> None:
    Status = apps.get_model("tickets", "Status")
    for kind, english in BUILT_IN.items():
        for status in Status.objects.filter(kind=kind, name__in=_translations(english)).exclude(name=english):
            if not Status.objects.filter(group_id=status.group_id, name=english).exists():
                status.name = english
                status.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("tickets", "0011_agent_phone")]

    operations = [migrations.RunPython(store_built_in_names_in_english, migrations.RunPython.noop)]
