from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "mira.roadmap"
    label = "roadmap"
    verbose_name = _("Return roadmap")

    def ready(self):
        from mira.roadmap import events  # noqa: F401 (registers the timeline entries)
