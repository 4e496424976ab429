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

# Postcodes of single organisations (Großkundenpostleitzahlen: a fines office, the
# Deutsche Post, companies). They exist, but nobody lives at them.
ORGANISATION_POSTCODES = frozenset({"06553", "99075", "99081"})

# Countries most returnees from Thuringia go back to; listed first in country choices.
FREQUENT_COUNTRIES = (
    "AF", "AL", "AM", "AZ", "GE", "IQ", "IR", "XK", "LY", "MD", "MK", "NG", "RU", "RS", "SY", "TR", "UA", "VN",
)  # fmt: skip

# Codes that ISO 3166 does not (yet) assign but that counselling meets: Kosovo (user-assigned XK).
_EXTRA_COUNTRIES = {
    "XK": {"de": "Kosovo", "en": "Kosovo", "ar": "كوسوفو", "fa": "کوزوو", "ru": "Косово", "tr": "Kosova"},
}


# Names the ISO catalogues of the participant languages leave in English (Türkiye's new ISO name).
_COUNTRY_NAMES = {"ar": {"TR": "تركيا"}, "fa": {"TR": "ترکیه"}}


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


def postcode_lookup(code: str | None) -> Postcode | None:
    return thuringia_postcodes().get((code or "").strip())


def is_residential_postcode(code: str) -> bool:
    return code not in ORGANISATION_POSTCODES


def district_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(THURINGIA_DISTRICTS)]


@cache
def _iso_translation(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, language: str | None = None) -> str:
    """The everyday name ("Syrien", not "Syrien, Arabische Republik") in the given or current language."""
    if not code:
        return ""
    language = (language or get_language() or "de")[:2]
    if code in _EXTRA_COUNTRIES:
        return _EXTRA_COUNTRIES[code].get(language, _EXTRA_COUNTRIES[code]["en"])
    if code in _COUNTRY_NAMES.get(language, {}):
        return _COUNTRY_NAMES[language][code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    translation = _iso_translation("iso3166-1", language)
    common_name = getattr(country, "common_name", None)
    # Short names ("Syrien", "Iran") only where the catalogue was checked: other catalogues
    # translate some short names wrongly (the Arabic one turns "Moldova" into the Maldives).
    if common_name and language in ("de", "en"):
        return translation.gettext(common_name)
    return translation.gettext(country.name)


def all_country_codes() -> list[str]:
    return [c.alpha_2 for c in pycountry.countries] + list(_EXTRA_COUNTRIES)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    language = language or get_language() or "de"
    return _country_choices(language[:2])


@cache
def _country_choices(language: str) -> list[tuple[str, str]]:
    choices = [(code, country_name(code, language)) for code in all_country_codes()]
    return sorted(choices, key=lambda item: item[1].casefold())


def split_country_choices(language: str | None = None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Country choices in two groups: the frequent countries of origin, then all others."""
    choices = country_choices(language)
    frequent = [item for item in choices if item[0] in FREQUENT_COUNTRIES]
    others = [item for item in choices if item[0] not in FREQUENT_COUNTRIES]
    return frequent, others


def country_codes_matching(text: str, language: str | None = None) -> list[str]:
    """Codes of the countries whose name is the text, or starts with it (five letters or more)."""
    needle = text.strip().casefold()
    if len(needle) < 3:
        return []
    return [
        code
        for code, names in _country_search_names((language or get_language() or "de")[:2])
        if needle in names or (len(needle) >= 5 and any(name.startswith(needle) for name in names))
    ]


@cache
def _country_search_names(language: str) -> list[tuple[str, frozenset[str]]]:
    """Each country's names a search compares with (in the language and in English), casefolded;
    built once per language, as every search of the case list asks."""
    return [
        (code, frozenset({name.casefold(), country_name(code, "en").casefold()}))
        for code, name in _country_choices(language)
    ]


# Languages that counselling in MIRA meets most; ISO 639 codes.
COMMON_LANGUAGES = (
    "ar", "fa", "prs", "ps", "ku", "ckb", "tr", "ru", "uk", "ka", "hy", "az", "ro", "sq", "sr", "mk",
    "vi", "en", "fr", "de", "ti", "so", "am", "ur", "es",
)  # fmt: skip


# The common languages the ISO catalogues of the participant languages leave in English.
_LANGUAGE_NAMES = {
    "ar": {
        "prs": "الدارية", "ps": "البشتو", "ckb": "الكردية السورانية", "uk": "الأوكرانية", "ka": "الجورجية",
        "sq": "الألبانية", "ti": "التغرينية", "am": "الأمهرية",
    },
    "fa": {"prs": "دری", "ckb": "کردی سورانی"},
    "ru": {"prs": "дари", "ckb": "курдский (сорани)"},
    "tr": {"prs": "Darice", "ps": "Peştuca", "ti": "Tigrinyaca"},
}  # fmt: skip


def language_name(code: str, language: str | None = None) -> str:
    language = (language or get_language() or "de")[:2]
    if code in _LANGUAGE_NAMES.get(language, {}):
        return _LANGUAGE_NAMES[language][code]
    record = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    if record is None:
        return code
    name = _iso_translation("iso639-3", language).gettext(record.name)
    # ISO names list variants after a semicolon ("Paschtu; Afghanisch"); the first is the everyday one.
    return name.split(";")[0].strip()


def language_choices(language: str | None = None) -> list[tuple[str, str]]:
    language = (language or get_language() or "de")[:2]
    return _language_choices(language)


@cache
def _language_choices(language: str) -> list[tuple[str, str]]:
    return sorted(((code, language_name(code, language)) for code in COMMON_LANGUAGES), key=lambda c: c[1])
