"""The aid entry of the main menu (mira/core/menu.py); the label is translated in this app's catalogue."""

from django.utils.translation import gettext_lazy as _

AID = _("MIRA aid")
