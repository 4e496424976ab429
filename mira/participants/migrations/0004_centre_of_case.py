# The case's centre on each HouseholdMember and its history, copied from the case; the next migration makes it required.

from django.db import migrations

from mira.core.migration_ops import centre_of_case_added


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('participants', '0003_name_search_trigram'),
    ]

    operations = [
        *centre_of_case_added("participants", "HouseholdMember"),
    ]
