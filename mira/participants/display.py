"""Turns stored codes of a case into what a reader sees (country names, labels, dates)."""

import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mira.core.geo import country_name, language_name
from mira.participants.models import Participant


def _date(value) -> str:
    if isinstance(value, datetime.datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _flat_choices(choices) -> dict:
    labels = {}
    for value, label in choices:
        if isinstance(label, list | tuple):
            labels.update(_flat_choices(label))
        else:
            labels[str(value)] = str(label)
    return labels


def form_value(field: forms.Field, value) -> str:
    """A value as the form field offers it, for showing it in a comparison."""
    if value in (None, ""):
        return ""
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(value)
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return _date(value)
    if hasattr(field, "choices"):
        labels = _flat_choices(field.choices)
        if isinstance(field, forms.MultipleChoiceField):
            return ", ".join(labels.get(code, code) for code in str(value).split())
        return labels.get(str(value), str(value))
    return str(value)


def languages_display(codes: list[str]) -> str:
    return ", ".join(language_name(code) for code in codes)


def master_data(participant: Participant) -> list[tuple[str, list[tuple[str, str]]]]:
    """The master data card of the case page: (heading, [(label, value)]) groups; empty values are left out."""
    p = participant
    interpreter = ""
    if p.needs_interpreter:
        interpreter = _("yes, %(language)s") % {"language": language_name(p.interpreter_language)}
    counsellor = p.assigned_counsellor
    age = ngettext("%(age)d year", "%(age)d years", p.age) % {"age": p.age}
    groups = [
        (
            _("Person"),
            [
                (_("Name"), p.full_name),
                (_("Name in original script"), p.original_name),
                (_("Date of birth"), f"{_date(p.date_of_birth)} ({age})"),
                (_("Gender"), p.get_gender_display()),
            ],
        ),
        (
            _("Nationality and languages"),
            [
                (_("Nationalities"), p.nationality_display),
                (_("Languages"), languages_display(p.language_codes)),
                (_("Interpreter"), interpreter or _("not needed")),
                (_("Language for documents"), p.get_preferred_language_display()),
            ],
        ),
        (
            _("Address and contact"),
            [
                (_("Street and number"), p.street),
                (_("Place"), f"{p.postcode} {p.city}"),
                (_("District"), p.district),
                (_("Phone"), p.phone),
                (_("Email"), p.email),
            ],
        ),
        (
            _("Residence status"),
            [
                (_("Residence status"), p.get_residence_status_display()),
                (_("Valid until"), _date(p.residence_valid_until)),
            ],
        ),
        (
            _("Counselling"),
            [
                (_("Assigned counsellor"), counsellor.get_full_name() or counsellor.username),
                (
                    _("Referred by"),
                    ", ".join(v for v in (p.get_referral_source_display(), p.referral_source_detail) if v),
                ),
                (_("Vulnerabilities"), ", ".join(str(label) for label in p.vulnerability_labels)),
                (_("Remarks"), p.notes),
            ],
        ),
        (
            _("Return"),
            [
                (_("Return country"), country_name(p.return_country)),
                (_("Region"), p.return_region),
                (_("Planned departure"), _date(p.planned_departure)),
                (_("Departure date"), _date(p.departure_date)),
                (_("Reason for withdrawal"), p.withdrawal_reason),
            ],
        ),
        (
            _("Case file"),
            [
                (_("Opened on"), _date(p.opened_on)),
                (_("Closed on"), _date(p.closed_on)),
                (
                    _("Eligibility checked"),
                    f"{_date(p.eligibility_checked_at)} · {p.get_eligibility_evidence_display()}",
                ),
            ],
        ),
    ]
    return [(heading, [(label, value) for label, value in rows if value]) for heading, rows in groups]
