from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mira.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from mira.accounts import checks, signals  # noqa: F401 (registers the check and the login signal)
