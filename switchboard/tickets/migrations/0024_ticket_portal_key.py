from django.db import migrations, models

import switchboard.tickets.models.tickets


class Migration(migrations.Migration):
    dependencies = [("tickets", "0023_categories")]

    operations = [
        # Existing tickets get "" (the key of the links already sent), new ones a random key.
        migrations.AddField(
            model_name="ticket",
            name="portal_key",
            field=models.CharField(blank=True, db_default="", default="", editable=False, max_length=24),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="ticket",
            name="portal_key",
            field=models.CharField(
                blank=True,
                db_default="",
                default=switchboard.tickets.models.tickets.new_portal_key,
                editable=False,
                max_length=24,
            ),
        ),
    ]
