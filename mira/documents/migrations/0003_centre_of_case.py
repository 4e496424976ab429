# The case's centre on each Document and its history, copied from the case; the next migration makes it required.

from django.db import migrations

from mira.core.migration_ops import centre_of_case_added


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('documents', '0002_field_labels_receipt_category'),
    ]

    operations = [
        *centre_of_case_added("documents", "Document"),
    ]
