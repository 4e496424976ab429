"""Indexes for the change history filtered by who made the changes: one centre's entries of one
author, newest first, in each of the four history tables the audit page reads.

Without them PostgreSQL combined the centre and author indexes and sorted every entry of the
author (3,959 case-file entries of one counsellor in the 100,000-case benchmark database) to show
the newest 25.
"""

from django.db import migrations

from mira.core.migration_ops import history_index_by_centre

TABLES = {
    "participants_historicalparticipant": "participant_history_centre_user_date",
    "participants_historicalhouseholdmember": "household_member_history_centre_user_date",
    "privacy_historicalconsent": "consent_history_centre_user_date",
    "documents_historicaldocument": "document_history_centre_user_date",
}


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0008_data_subject_exports"),
        ("participants", "0008_field_labels"),
        ("documents", "0004_centre_of_case_required"),
    ]

    operations = [history_index_by_centre(table, name, then=("history_user_id",)) for table, name in TABLES.items()]
