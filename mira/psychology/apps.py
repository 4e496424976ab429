from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PsychologyConfig(AppConfig):
    name = "mira.psychology"
    label = "psychology"
    verbose_name = _("Psychological support")

    def ready(self):
        from mira.psychology import events  # noqa: F401 (registers the timeline entry)
