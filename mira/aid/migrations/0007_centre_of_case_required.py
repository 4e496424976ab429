# The case's centre becomes required on each aidrequest; the centre's list reads it from its own indexes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0006_centre_of_case"),
    ]

    operations = [
        migrations.AlterField(
            model_name="aidrequest",
            name="centre",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.centre",
                verbose_name="counselling centre",
            ),
        ),
        migrations.AddIndex(
            model_name='aidrequest',
            index=models.Index(fields=['centre', '-created_at', '-id'], name='aid_request_centre_newest'),
        ),
        migrations.AddIndex(
            model_name='aidrequest',
            index=models.Index(condition=models.Q(('status__in', ['closed', 'rejected', 'cancelled']), _negated=True), fields=['centre', '-created_at', '-id'], name='aid_request_centre_open'),
        ),
    ]
