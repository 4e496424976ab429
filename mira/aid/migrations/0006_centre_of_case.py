# The case's centre on each AidRequest and its history, copied from the case; the next migration makes it required.

from django.conf import settings
from django.db import migrations

from mira.core.migration_ops import centre_of_case_added


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
        *centre_of_case_added("aid", "AidRequest"),
    ]
