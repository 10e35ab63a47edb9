"""Company names in the one form they are compared in.

Legal suffixes come off through `cleanco` (it knows the forms of many countries: AG, S.A., GmbH,
Inc., plc, K.K. ...) rather than a list of our own; a leading "The" comes off too, so "The
Washington Post" and "Washington Post" meet. Accents stay: "Société Générale" is a different
string from "Societe Generale" in every table an analyst reads, so the extractor must keep them.
"""

from __future__ import annotations

from functools import lru_cache

from cleanco import basename


@lru_cache(maxsize=65536)
def plain_name(name: str) -> str:
    """The name without legal suffixes, as it is written ("Deutsche Bank AG" -> "Deutsche Bank")."""
    cleaned = " ".join(str(name).replace("\u2019", "'").split())
    try:
        stripped = basename(cleaned).strip(" ,")
    except Exception:  # cleanco is for names, not for arbitrary strings
        stripped = cleaned
    return stripped or cleaned


@lru_cache(maxsize=65536)
def company_key(name: str) -> str:
    """Lower-cased comparison key: no legal suffix, no leading article."""
    key = plain_name(name).lower()
    if key.startswith("the ") and len(key) > 4:
        key = key[4:]
    return key
