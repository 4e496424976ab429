# The case's centre becomes required on each referral; the centre's list reads it from its own indexes.

from django.db import migrations, models

from mira.core.migration_ops import centre_of_case_required


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0005_centre_of_case"),
    ]

    operations = [
        centre_of_case_required("referral"),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['centre', '-suggested_on', '-id'], name='referral_centre_newest'),
        ),
    ]
