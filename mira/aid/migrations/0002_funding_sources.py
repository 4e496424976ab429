"""The two funding sources of the programme, so a new installation can enter budgets at once."""

from django.db import migrations

SOURCES = [("amif", "AMIF"), ("land-thueringen", "Land Thüringen")]


def create_sources(apps, schema_editor):
    FundingSource = apps.get_model("aid", "FundingSource")
    for code, name in SOURCES:
        FundingSource.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("aid", "0001_initial")]

    operations = [migrations.RunPython(create_sources, migrations.RunPython.noop)]
