"""Imported once by the worker pool's forkserver (pipelines/parallel.py): builds the extractor's
reference data and word lists (about 2 s) there, so every clean and extract worker forked from it
starts with them instead of building its own copy. Importing it has no other effect."""

from datetime import date

from pipelines.extract import extract_cuts

extract_cuts("Acme Corp will cut 10 jobs, the company said.", published_on=date(2024, 1, 2))
