"""Emails of the roadmap, written in German (the staff's language)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


def goal_reminder_email(*, counsellor, goals, today) -> EmailMessage:
    """Lists case numbers, goals and due dates; no names of participants (emails leave the system)."""
    with translation.override(settings.LANGUAGE_CODE):
        overdue = sum(1 for goal in goals if goal.due_on < today)
        subject = _("MIRA: %(count)s goals due soon or overdue") % {"count": len(goals)}
        body = render_to_string(
            "roadmap/email/goal_reminder.txt",
            {"counsellor": counsellor, "goals": goals, "today": today, "overdue": overdue},
        )
    return EmailMessage(subject=subject, body=body, to=[counsellor.email])
