"""Job-cut facts from cleaned news text.

    facts = extract_cuts(text, title=title, published_on=published_on)

Plain Python and regular expressions, fast enough to run on every page the
pipeline fetches. Names come from the dbt seeds (companies.csv,
divisions.csv, vague_headcounts.csv, approximation_rules.csv).
"""

import hashlib

from .extractor import extract_cuts
from .model import CutFact
from .reference import DEFAULT_SEEDS_DIR, SEED_FILES, Reference, load_reference

# The rules' own version: raise it when the code changes what it extracts.
RULES_VERSION = "0.5.0"


def seeds_digest(seeds_dir=DEFAULT_SEEDS_DIR) -> str:
    """Short hash of the seed files the rules read: editing an alias or a vague phrase changes what
    is extracted as surely as a code change does."""
    digest = hashlib.sha256()
    for name in SEED_FILES:
        path = seeds_dir / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:10]


# What the pipeline records beside every fact and compares to decide which stored articles to read
# again: rules and reference data together.
EXTRACTOR_VERSION = f"{RULES_VERSION}+seeds.{seeds_digest()}"

__all__ = ["EXTRACTOR_VERSION", "RULES_VERSION", "CutFact", "Reference", "extract_cuts", "load_reference", "seeds_digest"]
