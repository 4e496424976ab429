"""The psychologist's entry of the main menu (mira/core/menu.py); the label is translated in this app's catalogue."""

from django.utils.translation import gettext_lazy as _

# Translators: the psychologist's list of the cases referred to them ("Meine Klient:innen").
MY_CLIENTS = _("My clients")
