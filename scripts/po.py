"""Helps keep the catalogues complete.

python scripts/po.py todo mira/participants/locale/de/LC_MESSAGES/django.po
    prints the untranslated and fuzzy entries as JSON {msgid: ""} (plurals as [singular, plural])
python scripts/po.py apply mira/participants/locale/de/LC_MESSAGES/django.po translations.json
    fills entries from JSON {msgid: msgstr} (plurals: {msgid: [form0, form1]}) and clears fuzzy flags
"""

import json
import sys

import polib


def todo(path: str) -> None:
    catalogue = polib.pofile(path)
    pending = {}
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            if "fuzzy" in entry.flags or not all(entry.msgstr_plural.values()):
                pending[entry.msgid] = [entry.msgid, entry.msgid_plural]
        elif "fuzzy" in entry.flags or not entry.msgstr:
            pending[entry.msgid] = ""
    print(json.dumps(pending, ensure_ascii=False, indent=1))


def apply(path: str, translations_path: str) -> None:
    catalogue = polib.pofile(path, wrapwidth=0)
    with open(translations_path, encoding="utf-8") as handle:
        translations = json.load(handle)
    filled = 0
    for entry in catalogue:
        if entry.msgid not in translations:
            continue
        value = translations[entry.msgid]
        if entry.msgid_plural:
            entry.msgstr_plural = dict(enumerate(value))
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        filled += 1
    catalogue.save(path)
    print(f"{filled} entries filled in {path}")


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"todo": todo, "apply": apply}[command](*arguments)
