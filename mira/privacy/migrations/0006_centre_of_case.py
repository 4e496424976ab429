# The case's centre on each Consent and its history, copied from the case; the next migration makes it required.

from django.db import migrations

from mira.core.migration_ops import centre_of_case_added


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('privacy', '0005_audit_history_index'),
    ]

    operations = [
        *centre_of_case_added("privacy", "Consent"),
    ]
