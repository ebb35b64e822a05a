"""Contact search (CC-01): each contact's words in ``search_text``, made for the contacts there
are, and the database's index of them (SQLite FTS5, PostgreSQL pg_trgm; contacts/search.py)."""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from switchboard.contacts import search

BATCH = 2000


def fill_and_index(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    contact_model = apps.get_model("contacts", "Contact")
    point_model = apps.get_model("contacts", "ContactPoint")
    last_id = 0
    while batch := list(contact_model.objects.filter(pk__gt=last_id).order_by("pk")[:BATCH]):
        points: dict[int, list[tuple[str, str]]] = {}
        for contact_id, kind, value in point_model.objects.filter(contact__in=batch).values_list(
            "contact_id", "kind", "value"
        ):
            points.setdefault(contact_id, []).append((kind, value))
        for contact in batch:
            contact.search_text = search.search_text_of(
                first_name=contact.first_name,
                last_name=contact.last_name,
                company_name=contact.company_name,
                points=points.get(contact.pk, []),
            )
        contact_model.objects.bulk_update(batch, ["search_text"])
        last_id = batch[-1].pk
    search.install_index(schema_editor)


def remove_index(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    search.remove_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0008_contact_pages")]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_and_index, remove_index, elidable=False),
    ]
