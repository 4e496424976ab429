"""Trigram indexes (pg_trgm) for the case search on PostgreSQL.

participant_search_filter matches every word with icontains on the names (Latin and original
script) and the case number, and with contains on the name keys; PostgreSQL runs those as
UPPER(column) LIKE '%word%', which a GIN trigram index on the same expression answers
without reading every case of the centre. SQLite (the quickstart) has no such index: the
migration does nothing there.
"""

from django.db import migrations

from mira.core.migration_ops import trigram_indexes

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


class Migration(migrations.Migration):
    dependencies = [("participants", "0002_case_list_indexes")]

    operations = [trigram_indexes(TABLE, INDEXES)]
