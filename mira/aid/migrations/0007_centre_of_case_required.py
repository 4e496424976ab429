# The case's centre becomes required on each aidrequest; the centre's list reads it from its own indexes.

from django.db import migrations, models

from mira.core.migration_ops import centre_of_case_required


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0006_centre_of_case"),
    ]

    operations = [
        centre_of_case_required("aidrequest"),
        migrations.AddIndex(
            model_name='aidrequest',
            index=models.Index(fields=['centre', '-created_at', '-id'], name='aid_request_centre_newest'),
        ),
        migrations.AddIndex(
            model_name='aidrequest',
            index=models.Index(condition=models.Q(('status__in', ['closed', 'rejected', 'cancelled']), _negated=True), fields=['centre', '-created_at', '-id'], name='aid_request_centre_open'),
        ),
    ]
