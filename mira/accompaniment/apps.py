from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccompanimentConfig(AppConfig):
    name = "mira.accompaniment"
    label = "accompaniment"
    verbose_name = _("Accompaniment and departure planning")

    def ready(self):
        from mira.accompaniment import events  # noqa: F401 (registers the timeline entries)
