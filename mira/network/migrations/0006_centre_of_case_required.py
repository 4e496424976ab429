# The case's centre becomes required on each referral; the centre's list reads it from its own indexes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0005_centre_of_case"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
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
            model_name='referral',
            index=models.Index(fields=['centre', '-suggested_on', '-id'], name='referral_centre_newest'),
        ),
    ]
