"""The deadline rules of the programmes a return usually runs through (checked 2026).
They are data: coordinators change them on the "Templates & deadlines" pages when a
programme changes. Staff write German, so the titles are German."""

from django.db import migrations

RULES = [
    {
        "title": "JRS-Antrag im RIAT-System stellen",
        "description": "Frontex Joint Reintegration Services: der Antrag muss spätestens 19 Kalendertage "
        "vor der Ausreise im RIAT-System gestellt sein.",
        "programme": "jrs",
        "offset": 19,
        "unit": "calendar_days",
        "condition": "always",
    },
    {
        "title": "Flugdaten im RIAT-System eintragen",
        "description": "Die Flugdaten müssen spätestens 5 Arbeitstage vor der Ausreise in RIAT eingetragen sein.",
        "programme": "jrs",
        "offset": 5,
        "unit": "working_days",
        "condition": "always",
    },
    {
        "title": "Reisedokument (Pass oder Passersatz) liegt vor",
        "description": "Gültiger Pass oder Passersatzpapier für alle Ausreisenden; bei der Botschaft rechtzeitig "
        "beantragen, Bearbeitungszeiten beachten.",
        "programme": "",
        "offset": 28,
        "unit": "calendar_days",
        "condition": "always",
    },
    {
        "title": "Grenzübertrittsbescheinigung bei der Ausländerbehörde beantragen",
        "description": "Grenzübertrittsbescheinigung (GÜB) der zuständigen Ausländerbehörde für die Ausreise.",
        "programme": "",
        "offset": 10,
        "unit": "working_days",
        "condition": "always",
    },
    {
        "title": "Zustimmung des anderen Elternteils zur Ausreise der Kinder einholen",
        "description": "Reist ein Elternteil allein mit minderjährigen Kindern aus, wird die schriftliche "
        "Zustimmung des anderen sorgeberechtigten Elternteils benötigt (ggf. beglaubigt und übersetzt).",
        "programme": "",
        "offset": 21,
        "unit": "calendar_days",
        "condition": "minor_children_one_parent",
    },
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("accompaniment", "DeadlineRule")
    for rule in RULES:
        DeadlineRule.objects.get_or_create(title=rule["title"], defaults=rule)


class Migration(migrations.Migration):
    dependencies = [("accompaniment", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
