from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "mira.roadmap"
    label = "roadmap"
    verbose_name = _("Return roadmap")

    def ready(self):
        from mira.counselling.my_day import register_my_day_card
        from mira.participants.signals import stage_changed
        from mira.roadmap import events  # noqa: F401 (registers the timeline entries)
        from mira.roadmap.services import shares_follow_case_stage

        stage_changed.connect(shares_follow_case_stage, dispatch_uid="roadmap_shares_follow_case_stage")

        # Goals due within 7 days or overdue, on the counsellor's start page.
        register_my_day_card("roadmap/_my_day_goals.html", order=30)
