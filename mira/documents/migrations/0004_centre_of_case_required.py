# The case's centre becomes required on each Document; the audit page reads the centre's history
# of them newest first from an index.

from django.db import migrations

from mira.core.migration_ops import centre_of_case_required, history_index_by_centre


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_centre_of_case"),
    ]

    operations = [
        centre_of_case_required("document"),
        history_index_by_centre("documents_historicaldocument", "document_history_centre_date"),
    ]
