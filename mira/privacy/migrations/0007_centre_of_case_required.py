# The case's centre becomes required on each Consent; the audit page reads the centre's history
# of them newest first from an index.

from django.db import migrations

from mira.core.migration_ops import centre_of_case_required, history_index_by_centre


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0006_centre_of_case"),
    ]

    operations = [
        centre_of_case_required("consent"),
        history_index_by_centre("privacy_historicalconsent", "consent_history_centre_date"),
    ]
