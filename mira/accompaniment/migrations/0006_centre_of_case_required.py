# The centre becomes required on each task, and the database computes whether a task is pending; the
# centre's task list reads both from its own indexes, in due order.

from django.db import migrations, models

from mira.core.migration_ops import centre_of_case_required


class Migration(migrations.Migration):
    dependencies = [
        ("accompaniment", "0005_centre_of_case"),
    ]

    operations = [
        centre_of_case_required("task"),
        migrations.AddField(
            model_name='task',
            name='pending',
            field=models.GeneratedField(db_persist=True, expression=models.Q(('status__in', ('open', 'in_progress'))), output_field=models.BooleanField()),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(fields=['centre', 'pending', 'due_on', 'id'], name='task_centre_pending_due'),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(fields=['centre', 'status', 'due_on', 'id'], name='task_centre_status_due'),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(fields=['centre', 'due_on', 'id'], name='task_centre_due'),
        ),
    ]
