"""Emails of counselling work, rendered in German (staff have no stored language)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from mira.accounts.models import User


def reminder_email(*, counsellor: User, day: datetime.date, appointments: list) -> EmailMessage:
    """The reminder of tomorrow's appointments. Like the calendar feed it names cases by their
    case number only: email leaves MIRA's protected storage."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("MIRA: your appointments on %(day)s") % {"day": formats.date_format(day, "DATE_FORMAT")}
        body = render_to_string(
            "counselling/email/reminder.txt",
            {
                "counsellor": counsellor,
                "day": day,
                "appointments": appointments,
                "calendar_url": _absolute("counselling:calendar", query=f"view=day&date={day.isoformat()}"),
            },
        )
    return EmailMessage(subject=subject, body=body, to=[counsellor.email])


def _absolute(url_name: str, query: str = "") -> str:
    """A link for emails, if the installation's address is configured (MIRA_BASE_URL)."""
    from django.urls import reverse

    base = getattr(settings, "MIRA_BASE_URL", "").rstrip("/")
    if not base:
        return ""
    return f"{base}{reverse(url_name)}{'?' + query if query else ''}"
