"""Ticket numbers from a PostgreSQL sequence (tickets/numbers.py): it goes on from the counter
row, or from the highest number given, whichever is higher. SQLite keeps the counter row."""

from django.db import migrations


def make_sequence(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Counter = apps.get_model("tickets", "Counter")
    Ticket = apps.get_model("tickets", "Ticket")
    counted = Counter.objects.filter(name="ticket").values_list("value", flat=True).first() or 0
    highest = Ticket.objects.order_by("-number").values_list("number", flat=True).first() or 0
    last = max(counted, highest)
    schema_editor.execute("CREATE SEQUENCE ticket_number AS bigint MINVALUE 1")
    if last:
        schema_editor.execute("SELECT setval('ticket_number', %s)", [last])


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Counter = apps.get_model("tickets", "Counter")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT last_value, is_called FROM ticket_number")
        last, called = cursor.fetchone()
    Counter.objects.update_or_create(name="ticket", defaults={"value": last if called else last - 1})
    schema_editor.execute("DROP SEQUENCE ticket_number")


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0036_reports_first_reply"),
    ]

    operations = [
        migrations.RunPython(make_sequence, drop_sequence),
    ]
