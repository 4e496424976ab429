# The case's centre becomes required on each Document; the audit page reads the centre's history
# of them newest first from an index.

import django.db.models.deletion
from django.db import migrations, models

from mira.core.migration_ops import history_index_by_centre


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_centre_of_case"),
    ]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="centre",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.centre",
                verbose_name="counselling centre",
            ),
        ),
        history_index_by_centre("documents_historicaldocument", "document_history_centre_date"),
    ]
