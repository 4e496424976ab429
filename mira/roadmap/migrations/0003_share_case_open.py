# RoadmapShare.case_open (false for the shares of closed and withdrawn cases) and the partner portal's index.

from django.conf import settings
from django.db import migrations, models


def mark_closed_cases(apps, schema_editor):
    share = apps.get_model("roadmap", "RoadmapShare")
    closed = share._base_manager.filter(version__roadmap__participant__stage__in=["closed", "withdrawn"])
    closed.update(case_open=False)


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0006_centre_of_case_required'),
        ('roadmap', '0002_deletion_with_the_case'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='roadmapshare',
            name='case_open',
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.AddIndex(
            model_name='roadmapshare',
            index=models.Index(condition=models.Q(('case_open', True), ('recipient_kind', 'partner'), ('revoked_at__isnull', True)), fields=['organisation'], name='roadmap_share_partner_visible'),
        ),
        migrations.RunPython(mark_closed_cases, migrations.RunPython.noop, elidable=False),
    ]
