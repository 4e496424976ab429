from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "mira.aid"
    label = "aid"
    verbose_name = _("In-kind aid")

    def ready(self):
        from mira.aid import events  # noqa: F401 (registers the timeline entries)
