"""Name matching across spellings and scripts.

A name typed as "Mohammed", "Muhammad", "Мухаммед" or "محمد" should find the
same person. Each name is transliterated to Latin letters (unidecode), then
reduced to a consonant skeleton: vowels dropped, common
digraphs folded (kh→h, ph→f, ...) and doubled letters collapsed. Two names
match when their skeletons are equal or their transliterations are close
(rapidfuzz ratio).
"""

import re

from rapidfuzz import fuzz
from unidecode import unidecode

_DIGRAPHS = (("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("sh", "s"), ("ch", "c"), ("dh", "d"),
             ("ou", "u"), ("ck", "k"), ("q", "k"), ("w", "v"), ("z", "s"), ("j", "y"), ("x", "ks"))  # fmt: skip
SIMILARITY_THRESHOLD = 85


# The Arabic article ("al-", "el-", "ال") is dropped: "Al-Hassan", "Hassan" and "الحسن" are one name.
_ARTICLE = re.compile(r"(?:^|(?<=\s))(?:ال|[ae]l[- ](?=\w))", re.IGNORECASE)


def transliterate(name: str) -> str:
    text = unidecode(_ARTICLE.sub("", (name or "").strip())).lower()
    return re.sub(r"[^a-z ]+", "", text.replace("-", " ")).strip()


def skeleton(word: str) -> str:
    word = transliterate(word).replace(" ", "")
    if not word:
        return ""
    for source, target in _DIGRAPHS:
        word = word.replace(source, target)
    consonants = re.sub(r"[aeiouy]", "", word) or word[0]
    result = consonants[0]
    for char in consonants[1:]:
        if char != result[-1]:
            result += char
    return result


def name_keys(*names: str) -> str:
    """The skeletons of every word of every name, space-separated and padded for `contains` lookups."""
    keys = []
    for name in names:
        for word in transliterate(name).split():
            key = skeleton(word)
            if key and key not in keys:
                keys.append(key)
    return " " + " ".join(keys) + " " if keys else ""


def names_match(first_a: str, last_a: str, first_b: str, last_b: str) -> bool:
    """True when two full names are the same person's name in another spelling or script."""
    full_a, full_b = transliterate(f"{first_a} {last_a}"), transliterate(f"{first_b} {last_b}")
    if not full_a or not full_b:
        return False
    if fuzz.token_sort_ratio(full_a, full_b) >= SIMILARITY_THRESHOLD:
        return True
    keys_a, keys_b = set(name_keys(first_a, last_a).split()), set(name_keys(first_b, last_b).split())
    return bool(keys_a) and keys_a == keys_b
