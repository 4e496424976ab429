# The case's centre on each Referral and its history, copied from the case; the next migration makes it required.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from mira.core.migration_ops import copy_centre_of_case


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('network', '0004_referral_list_index'),
        ('participants', '0003_name_search_trigram'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='referral',
            name='referral_newest',
        ),
        migrations.AddField(
            model_name='historicalreferral',
            name='centre',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.centre', verbose_name='counselling centre'),
        ),
        migrations.AddField(
            model_name='referral',
            name='centre',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.centre', verbose_name='counselling centre'),
        ),
        copy_centre_of_case("network", "Referral", "HistoricalReferral"),
    ]
