from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    name = "mira.counselling"
    label = "counselling"
    verbose_name = _("Counselling")

    def ready(self):
        from mira.counselling import events  # noqa: F401 (registers the timeline entries)
