from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "mira.privacy"
    label = "privacy"
    verbose_name = _("Data protection")

    def ready(self):
        from mira.privacy import events  # noqa: F401 (registers the timeline entries)
