"""The portal's entry in the main menu (label kept in the portal's catalogue)."""

from django.utils.translation import gettext_lazy as _

PARTNER_PORTAL = _("Partner portal")
