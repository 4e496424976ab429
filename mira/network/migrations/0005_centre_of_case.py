# The case's centre on each Referral and its history, copied from the case; the next migration makes it required.

from django.conf import settings
from django.db import migrations

from mira.core.migration_ops import centre_of_case_added


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
        *centre_of_case_added("network", "Referral"),
    ]
