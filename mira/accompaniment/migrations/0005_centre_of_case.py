# The case's centre on each Task and its history, copied from the case; the next migration makes it
# required and indexes the centre's task list by it.

from django.conf import settings
from django.db import migrations

from mira.core.migration_ops import centre_of_case_added


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('accompaniment', '0004_field_labels'),
        ('participants', '0003_name_search_trigram'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name='task', name='task_pending_due'),
        migrations.RemoveIndex(model_name='task', name='task_pending_case'),
        *centre_of_case_added("accompaniment", "Task"),
    ]
