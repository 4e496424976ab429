# The case's centre on each AidRequest and its history, copied from the case; the next migration makes it required.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from mira.core.migration_ops import copy_centre_of_case


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('aid', '0005_open_request_index'),
        ('participants', '0003_name_search_trigram'),
        ('roadmap', '0002_deletion_with_the_case'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='aidrequest',
            name='aid_request_newest',
        ),
        migrations.RemoveIndex(
            model_name='aidrequest',
            name='aid_request_open_newest',
        ),
        migrations.AddField(
            model_name='aidrequest',
            name='centre',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.centre', verbose_name='counselling centre'),
        ),
        migrations.AddField(
            model_name='historicalaidrequest',
            name='centre',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.centre', verbose_name='counselling centre'),
        ),
        copy_centre_of_case("aid", "AidRequest", "HistoricalAidRequest"),
    ]
