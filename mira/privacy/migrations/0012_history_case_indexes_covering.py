"""The change history searched by case number reads the entries of the cases found from the index on
the case alone (see mira.core.migration_ops.history_case_index_covering and mira.privacy.audit)."""

from django.db import migrations

from mira.core.migration_ops import history_case_index_covering


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0011_access_log_by_centre_and_time"),
        ("participants", "0008_field_labels"),
        ("documents", "0004_centre_of_case_required"),
    ]

    operations = [
        history_case_index_covering("participants_historicalparticipant", "id"),
        history_case_index_covering("participants_historicalhouseholdmember", "participant_id"),
        history_case_index_covering("privacy_historicalconsent", "participant_id"),
        history_case_index_covering("documents_historicaldocument", "participant_id"),
    ]
