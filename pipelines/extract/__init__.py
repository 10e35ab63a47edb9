"""Job-cut facts from cleaned news text.

    facts = extract_cuts(text, title=title, published_on=published_on)

Plain Python and regular expressions, fast enough to run on every page the
pipeline fetches. Names come from the dbt seeds (companies.csv,
divisions.csv, vague_headcounts.csv, approximation_rules.csv).
"""

from .extractor import extract_cuts
from .model import CutFact
from .reference import Reference, load_reference

EXTRACTOR_VERSION = "0.2.1"

__all__ = ["EXTRACTOR_VERSION", "CutFact", "Reference", "extract_cuts", "load_reference"]
