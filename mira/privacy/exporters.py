"""The data-subject export (GDPR Art. 15 and 20): everything the registry of personal data
(mira.core.personal_data) finds about one participant, as JSON (machine-readable) and as a
readable PDF in the participant's language where the labels are translated.

Records of psychological support (restricted, see mira.psychology.selectors.restricted_models)
are never part of it: they are under professional secrecy (§ 203 StGB), which the data
protection officer who hands out the export is not released from. Every export says so in
the same words, whether or not such records exist, so the export itself reveals nothing;
the psychologist discloses them to the person directly.
The change history (earlier versions of the rows) is not part of the export either.
"""

import datetime
import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mira.core.geo import country_name, language_name
from mira.core.models import OfCase
from mira.core.personal_data import REGISTRY, PersonalData
from mira.network.models import Sector
from mira.privacy.models import AccessLog, ConsentPurpose

EXPORT_FORMAT = "mira-data-subject-export/1"

# Fields that hold ISO codes (several separated by spaces): the PDF prints their names.
COUNTRY_FIELDS = frozenset({"nationalities", "nationality", "return_country", "destination_country", "country"})
LANGUAGE_FIELDS = frozenset({"languages", "interpreter_language"})
# Fields that hold codes of a list of choices (several separated by spaces): the PDF prints their labels.
CODE_LIST_FIELDS = {"wished_sectors": Sector, "consent_purposes": ConsentPurpose}

# Said in every export, in the same words (see the module docstring).
RESTRICTED_NOTE = gettext_lazy(
    "If you received psychological support at the counselling centre, its records are kept under "
    "professional secrecy (§ 203 StGB) and are not part of this export. The psychologist discloses "
    "them to you in person on request."
)
HISTORY_NOTE = gettext_lazy(
    "Earlier versions of changed data are kept in a change history for a limited time; "
    "the data protection officer shows them to you on request."
)


@dataclass
class Section:
    entry: PersonalData
    fields: list[models.Field]
    rows: list[models.Model] = field(default_factory=list)

    @property
    def label(self) -> str:
        return capfirst(str(self.entry.model._meta.verbose_name_plural))


# The order of goals, offers and items in their lists, and a flag kept in step with the case's
# stage: MIRA's own bookkeeping, which tells the person nothing.
BOOKKEEPING_FIELDS = frozenset({"position", "case_open"})

# Names of the bookkeeping fields many models share, for the fields that have no name of their own.
COMMON_LABELS = {
    "created_at": gettext_lazy("created at"),
    "created_by": gettext_lazy("created by"),
    "updated_at": gettext_lazy("last changed at"),
}


def _export_fields(entry: PersonalData) -> list[models.Field]:
    link = entry.path.split("__")[0] if entry.path else None
    return [
        f
        for f in entry.model._meta.concrete_fields
        if not f.primary_key
        and f.name != link
        and f.name not in entry.export_exclude
        and f.name not in BOOKKEEPING_FIELDS
        and not _is_copied_centre(f)
        # A column the database computes from the others (a task's pending flag) tells nothing new.
        and not f.generated
    ]


def has_own_label(model_field: models.Field) -> bool:
    """False for a field without a verbose name: Django then makes a plain string of its attribute."""
    return isinstance(model_field.verbose_name, Promise)


def field_label(model_field: models.Field) -> str:
    """The field's name as the export prints it, in the active language."""
    if model_field.name in COMMON_LABELS and not has_own_label(model_field):
        return capfirst(str(COMMON_LABELS[model_field.name]))
    return capfirst(str(model_field.verbose_name))


def _is_copied_centre(f: models.Field) -> bool:
    # The case's centre, which records of the case also carry (mira.core.models.OfCase), is the case's own field.
    return f.name == "centre" and issubclass(f.model, OfCase)


def printed_labels() -> list[Promise]:
    """The translatable names the PDF prints besides its template's own texts: the kinds of data,
    their fields and choices, and the timeline's messages. Every participant language has them all
    (test_export_prints_its_labels_in_every_participant_language)."""
    from mira.participants.events import registered_messages

    labels = [*COMMON_LABELS.values(), *registered_messages()]
    for choices in CODE_LIST_FIELDS.values():
        labels.extend(choices.labels)
    for entry in REGISTRY:
        if entry.restricted:
            continue
        labels.append(entry.model._meta.verbose_name_plural)
        for model_field in _export_fields(entry):
            if has_own_label(model_field):
                labels.append(model_field.verbose_name)
            labels.extend(label for _value, label in model_field.flatchoices)
    return [label for label in labels if isinstance(label, Promise)]


def subject_sections(*, participant) -> list[Section]:
    """The participant's rows of every registered model that may be exported (not restricted)."""
    sections = []
    for entry in sorted(REGISTRY, key=lambda entry: entry.label != "participants.Participant"):
        if entry.restricted:
            continue
        fields = _export_fields(entry)
        related = [f.name for f in fields if f.is_relation]
        # A file kept in the database (the PDF of an earlier export) is not read, let alone printed.
        files = [f.name for f in entry.model._meta.concrete_fields if isinstance(f, models.BinaryField)]
        rows = list(entry.rows(participant).select_related(*related).defer(*files))
        if rows:
            sections.append(Section(entry=entry, fields=fields, rows=rows))
    return sections


def _json_value(model_field: models.Field, row) -> object:
    if model_field.is_relation:
        related = getattr(row, model_field.name)
        return str(related) if related is not None else None
    value = getattr(row, model_field.attname)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def export_json(*, participant) -> bytes:
    """The machine-readable export: {"format", "case_number", "created_at", "data": {model: [rows]}, "notes"}."""
    data = {}
    for section in subject_sections(participant=participant):
        data[section.entry.label] = [{f.name: _json_value(f, row) for f in section.fields} for row in section.rows]
    document = {
        "format": EXPORT_FORMAT,
        "case_number": participant.case_number,
        "counselling_centre": participant.centre.name,
        "created_at": timezone.localtime().isoformat(),
        "data": data,
        "notes": [str(RESTRICTED_NOTE), str(HISTORY_NOTE)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, cls=_Encoder).encode()


class _Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal | uuid.UUID | datetime.date):
            return str(o)
        return super().default(o)


def display_value(model_field: models.Field, row) -> str:
    """The value as the PDF prints it, in the active language."""
    if row._meta.label == "participants.CaseEvent" and model_field.name in ("kind", "data"):
        from mira.participants.events import event_message

        # The timeline's own words instead of its codes.
        return event_message(row) if model_field.name == "data" else ""
    if model_field.is_relation:
        related = getattr(row, model_field.name)
        return str(related) if related is not None else ""
    value = getattr(row, model_field.attname)
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.name in COUNTRY_FIELDS and isinstance(value, str):
        return ", ".join(country_name(code) for code in value.split())
    if model_field.name in LANGUAGE_FIELDS and isinstance(value, str):
        return ", ".join(language_name(code) for code in value.split())
    if model_field.name in CODE_LIST_FIELDS and isinstance(value, str):
        labels = dict(CODE_LIST_FIELDS[model_field.name].choices)
        return ", ".join(str(labels.get(code, code)) for code in value.split())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, str) and value.startswith("data:image/"):
        return _("(signature image)")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def pdf_language(participant) -> str:
    """The participant's language for documents, German if it has no translation here."""
    from django.conf import settings

    codes = {code for code, _name in settings.LANGUAGES}
    return participant.preferred_language if participant.preferred_language in codes else "de"


# Kinds of data with this few fields are printed as a line per entry, not as a table per entry
# (the timeline of a long case has hundreds of entries).
COLUMNS_AT_MOST = 4


def _read_accesses_by_day(section: Section) -> dict:
    """The read accesses as the PDF prints them: a line per day and kind of access, with how many
    (every single one, with its time, is in the JSON export). A case file opened daily for years
    would otherwise fill hundreds of pages."""
    what = AccessLog._meta.get_field("what")
    kinds = dict(what.flatchoices)
    counts = Counter((timezone.localtime(row.at).date(), row.what) for row in section.rows)
    return {
        "label": section.label,
        "intro": _("Read accesses in all: %(count)s. By day:") % {"count": len(section.rows)},
        "columns": [_("Day"), field_label(what), _("How often")],
        "rows": [
            [date_format(day, "SHORT_DATE_FORMAT"), str(kinds.get(kind, kind)), str(count)]
            for (day, kind), count in counts.items()
        ],
    }


def _pdf_section(section: Section) -> dict:
    """A kind of data as the PDF prints it: "columns" and a line per entry, or a table of
    label and value per entry (empty values left out) where there are many fields."""
    if section.entry.model is AccessLog:
        return _read_accesses_by_day(section)
    labels = [field_label(f) for f in section.fields]
    if len(section.fields) <= COLUMNS_AT_MOST:
        rows = [[display_value(f, row) for f in section.fields] for row in section.rows]
        # A column empty in every entry is left out (the timeline's kind: its words are in the entry).
        shown = [index for index in range(len(labels)) if any(row[index] for row in rows)]
        return {
            "label": section.label,
            "columns": [labels[index] for index in shown],
            "rows": [[row[index] for index in shown] for row in rows],
        }
    return {
        "label": section.label,
        "rows": [
            [
                (label, value)
                for label, f in zip(labels, section.fields, strict=True)
                if (value := display_value(f, row))
            ]
            for row in section.rows
        ],
    }


def export_pdf(*, participant, language: str) -> bytes:
    """The readable export: one table per kind of data, labels in `language` where translated."""
    from django.utils import translation

    from mira.core.pdf import render_pdf

    with translation.override(language):
        sections = [_pdf_section(section) for section in subject_sections(participant=participant)]
    return render_pdf(
        template_name="privacy/data_subject_export_pdf.html",
        context={
            "participant": participant,
            "centre": participant.centre,
            "sections": sections,
            "created_at": timezone.localtime(),
            "restricted_note": RESTRICTED_NOTE,
            "history_note": HISTORY_NOTE,
        },
        language=language,
    )
