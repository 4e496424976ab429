# The case's centre on each HouseholdMember and its history, copied from the case; the next migration makes it required.

import django.db.models.deletion
from django.db import migrations, models

from mira.core.migration_ops import copy_centre_of_case


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('participants', '0003_name_search_trigram'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalhouseholdmember',
            name='centre',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.centre', verbose_name='counselling centre'),
        ),
        migrations.AddField(
            model_name='householdmember',
            name='centre',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.centre', verbose_name='counselling centre'),
        ),
        copy_centre_of_case("participants", "HouseholdMember", "HistoricalHouseholdMember"),
    ]
