"""Labels of the accompaniment entries in the main menu (mira/core/menu.py); kept here so
they are translated in this app's catalogue."""

from django.utils.translation import gettext_lazy as _

TASKS = _("Tasks")
# Translators: menu entry of the coordinators' pages for checklist templates and deadline rules.
TEMPLATES_AND_DEADLINES = _("Templates & deadlines")
