"""The column format of the directory's XLSX and CSV files, shared by export and import.

Headers are fixed, lower-case English keys (the same in every UI language), so a
file exported in one language imports in another. Choice values are written as
codes; the import also accepts the German or English label. See docs/user/network.md.
"""

import datetime
from dataclasses import dataclass

import pycountry
from django.utils import translation
from django.utils.translation import gettext as _

from mira.network.models import OfferKind, OrganisationType, Sector

TRUE_WORDS = frozenset({"yes", "ja", "true", "wahr", "1", "x"})
FALSE_WORDS = frozenset({"no", "nein", "false", "falsch", "0"})
# A cell starting with one of these would be run as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """A cell's value is not valid; the message is shown in the import report."""


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"  # text, choice, country, languages, bool, date, reference
    required: bool = False
    choices: type | None = None
    default: object = ""


ORGANISATION_COLUMNS = (
    Column("reference", "reference", "reference", required=True),
    Column("name", "name", required=True),
    Column("type", "type", "choice", required=True, choices=OrganisationType),
    Column("country", "country", "country", required=True),
    Column("region", "region"),
    Column("city", "city"),
    Column("address", "address"),
    Column("languages", "languages", "languages"),
    Column("contact_person", "contact_person"),
    Column("email", "email"),
    Column("phone", "phone"),
    Column("website", "website"),
    Column("services", "services"),
    Column("coaches_after_return", "coaches_after_return", "bool", default=False),
    Column("active", "active", "bool", default=True),
)

OFFER_COLUMNS = (
    Column("reference", "reference", "reference", required=True),
    Column("organisation_reference", "organisation", "organisation", required=True),
    Column("title", "title", required=True),
    Column("kind", "kind", "choice", required=True, choices=OfferKind),
    Column("sector", "sector", "choice", choices=Sector),
    Column("description", "description"),
    Column("target_group", "target_group"),
    Column("country", "country", "country"),
    Column("region", "region"),
    Column("valid_from", "valid_from", "date", default=None),
    Column("valid_until", "valid_until", "date", default=None),
    Column("active", "active", "bool", default=True),
)

TABLES = {"organisations": ORGANISATION_COLUMNS, "offers": OFFER_COLUMNS}
# Sheet names the import recognises for each table (lower case).
SHEET_NAMES = {"organisations": {"organisations", "organisationen"}, "offers": {"offers", "angebote"}}


# -- export ------------------------------------------------------------------


def cell_for_export(column: Column, instance) -> object:
    """The value written for one column: codes for choices, yes/no, ISO dates."""
    if column.kind == "organisation":
        return instance.organisation.reference
    value = getattr(instance, column.field)
    if column.kind == "bool":
        return "yes" if value else "no"
    if column.kind == "date":
        return value.isoformat() if value else ""
    return value or ""


def defuse_formula(value: object) -> object:
    """Prefixes an apostrophe to text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# -- import ------------------------------------------------------------------


def text_of(raw: object) -> str:
    """A cell as text: None is empty, whole numbers lose their '.0', a defused formula its apostrophe."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    text = str(raw).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for code, label in choices.choices:
        lookup[code.casefold()] = code
        for language in ("de", "en"):
            with translation.override(language):
                lookup[str(label).casefold()] = code
    return lookup


def value_from_cell(column: Column, raw: object) -> object:
    """The field value for a cell, or CellError with a message for the report."""
    if column.kind == "date" and isinstance(raw, datetime.datetime):
        return raw.date()
    if column.kind == "date" and isinstance(raw, datetime.date):
        return raw
    text = text_of(raw)
    if column.kind == "bool":
        if not text:
            return column.default
        if text.casefold() in TRUE_WORDS:
            return True
        if text.casefold() in FALSE_WORDS:
            return False
        raise CellError(_("“%(value)s” is not yes or no.") % {"value": text})
    if not text:
        return column.default
    if column.kind == "choice":
        code = _choice_lookup(column.choices).get(text.casefold())
        if code is None:
            allowed = ", ".join(column.choices.values)
            raise CellError(
                _("“%(value)s” is not a valid value; allowed: %(allowed)s.") % {"value": text, "allowed": allowed}
            )
        return code
    if column.kind == "country":
        code = text.upper()
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            raise CellError(_("“%(value)s” is not an ISO 3166 country code (two letters, e.g. GE).") % {"value": text})
        return code
    if column.kind == "languages":
        codes = text.replace(",", " ").replace(";", " ").lower().split()
        unknown = [code for code in codes if not _is_language_code(code)]
        if unknown:
            raise CellError(
                _("Not an ISO 639 language code: %(codes)s (e.g. ka, ru, ar).") % {"codes": ", ".join(unknown)}
            )
        return " ".join(dict.fromkeys(codes))
    if column.kind == "date":
        for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date)
            except ValueError:
                continue
        raise CellError(_("“%(value)s” is not a date (YYYY-MM-DD or DD.MM.YYYY).") % {"value": text})
    return text


def _is_language_code(code: str) -> bool:
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code) is not None
    if len(code) == 3:
        return pycountry.languages.get(alpha_3=code) is not None
    return False
