from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "mira.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from mira.documents import events  # noqa: F401 (registers the timeline entries)
