from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "mira.participants"
    label = "participants"
    verbose_name = _("Case files")

    def ready(self):
        from mira.participants import events  # noqa: F401 (registers the timeline's event kinds)
