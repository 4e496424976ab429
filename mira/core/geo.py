"""Reference data: countries, languages, Thuringia's districts and postcodes.

The postcode list ships with the project (core/data/thueringen_plz.csv). Its
district names are spelled inconsistently, so they are normalised here to the
17 districts and 5 independent cities of Thuringia.
"""

import csv
import gettext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "data"

# EU member states, the EEA states beyond the EU, and Switzerland. Everyone else
# (the UK and stateless persons included) is a third-country national.
EU_EEA_CH = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
        "CH",
    ]
)

THURINGIA_DISTRICTS = (
    "Altenburger Land",
    "Eichsfeld",
    "Gotha",
    "Greiz",
    "Hildburghausen",
    "Ilm-Kreis",
    "Kyffhäuserkreis",
    "Nordhausen",
    "Saale-Holzland-Kreis",
    "Saale-Orla-Kreis",
    "Saalfeld-Rudolstadt",
    "Schmalkalden-Meiningen",
    "Sömmerda",
    "Sonneberg",
    "Unstrut-Hainich-Kreis",
    "Wartburgkreis",
    "Weimarer Land",
    "Erfurt",
    "Gera",
    "Jena",
    "Suhl",
    "Weimar",
)

# Postcodes whose area extends beyond Thuringia: the district decides residence.
CROSS_BORDER_POSTCODES = frozenset({"07919"})


def normalise_district(raw: str) -> str:
    """'Kreisfreie Stadt Erfurt', 'Erfurt, Stadt' and 'Landkreis Gotha' become 'Erfurt' and 'Gotha'."""
    name = raw.strip()
    for prefix in ("Kreisfreie Stadt ", "Landkreis "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    if name.endswith(", Stadt"):
        name = name[: -len(", Stadt")]
    if name not in THURINGIA_DISTRICTS:
        raise ValueError(f"Unknown Thuringian district: {raw!r}")
    return name


@dataclass(frozen=True)
class Postcode:
    code: str
    places: tuple[str, ...]
    districts: tuple[str, ...]


@cache
def thuringia_postcodes() -> dict[str, Postcode]:
    result = {}
    with open(DATA_DIR / "thueringen_plz.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            districts = tuple(dict.fromkeys(normalise_district(d) for d in row["districts"].split(";")))
            places = tuple(p.strip() for p in row["places"].split(";") if p.strip())
            result[row["plz"]] = Postcode(code=row["plz"], places=places, districts=districts)
    return result


def postcode_lookup(code: str) -> Postcode | None:
    return thuringia_postcodes().get(code.strip())


def district_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(THURINGIA_DISTRICTS)]


@cache
def _iso_translation(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, language: str | None = None) -> str:
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _iso_translation("iso3166-1", (language or get_language() or "de")[:2]).gettext(country.name) or name


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    language = language or get_language() or "de"
    return _country_choices(language[:2])


@cache
def _country_choices(language: str) -> list[tuple[str, str]]:
    choices = [(c.alpha_2, country_name(c.alpha_2, language)) for c in pycountry.countries]
    return sorted(choices, key=lambda item: item[1].casefold())


# Languages that counselling in MIRA meets most; ISO 639 codes.
COMMON_LANGUAGES = (
    "ar", "fa", "prs", "ps", "ku", "ckb", "tr", "ru", "uk", "ka", "hy", "az", "ro", "sq", "sr", "mk",
    "vi", "en", "fr", "de", "ti", "so", "am", "ur", "es",
)  # fmt: skip


def language_name(code: str, language: str | None = None) -> str:
    record = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    if record is None:
        return code
    return _iso_translation("iso639-3", (language or get_language() or "de")[:2]).gettext(record.name)


def language_choices(language: str | None = None) -> list[tuple[str, str]]:
    language = (language or get_language() or "de")[:2]
    return _language_choices(language)


@cache
def _language_choices(language: str) -> list[tuple[str, str]]:
    return sorted(((code, language_name(code, language)) for code in COMMON_LANGUAGES), key=lambda c: c[1])
