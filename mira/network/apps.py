from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "mira.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from mira.network import events  # noqa: F401 (registers the timeline entries)
