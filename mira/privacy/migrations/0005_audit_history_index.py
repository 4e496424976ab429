"""An index for the audit page: the case-file history of one centre, newest first.

The history model is made by django-simple-history, which takes no indexes of ours, so the index
is created here by hand (the same statement on PostgreSQL and SQLite). The other history tables
(household members, consents, documents) have no centre column; their date index serves them.
"""

from django.db import migrations

NAME = "participant_history_centre_date"


def create_index(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON participants_historicalparticipant "
        "(centre_id, history_date DESC, history_id DESC)"
    )


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_field_labels_for_the_export"),
        ("participants", "0003_name_search_trigram"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
