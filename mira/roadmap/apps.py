from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "mira.roadmap"
    label = "roadmap"
    verbose_name = _("Return roadmap")

    def ready(self):
        from mira.counselling.my_day import register_my_day_card
        from mira.roadmap import events  # noqa: F401 (registers the timeline entries)

        # Goals due within 7 days or overdue, on the counsellor's start page.
        register_my_day_card("roadmap/_my_day_goals.html", order=30)
