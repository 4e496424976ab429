"""Trigram indexes (pg_trgm) for the case search on PostgreSQL.

participant_search_filter matches every word with icontains on the names (Latin and original
script) and the case number, and with contains on the name keys; PostgreSQL runs those as
UPPER(column) LIKE '%word%', which a GIN trigram index on the same expression answers
without reading every case of the centre. SQLite (the quickstart) has no such index: the
migration does nothing there.
"""

from django.db import migrations

TABLE = "participants_participant"
# index name -> indexed expression (as the lookups write it)
INDEXES = {
    "participant_case_number_trgm": "UPPER(case_number)",
    "participant_first_name_trgm": "UPPER(first_name)",
    "participant_last_name_trgm": "UPPER(last_name)",
    "participant_first_orig_trgm": "UPPER(first_name_original)",
    "participant_last_orig_trgm": "UPPER(last_name_original)",
    "participant_name_keys_trgm": "name_keys",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} USING gin (({expression}) gin_trgm_ops)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("participants", "0002_case_list_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
