# The case's centre becomes required on each HouseholdMember; the audit page reads the centre's history
# of them newest first from an index.

from django.db import migrations

from mira.core.migration_ops import centre_of_case_required, history_index_by_centre


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0004_centre_of_case"),
    ]

    operations = [
        centre_of_case_required("householdmember"),
        history_index_by_centre("participants_historicalhouseholdmember", "household_member_history_centre_date"),
    ]
