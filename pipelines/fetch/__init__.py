"""Polite, bounded HTTP fetching of news pages.

Usage::

    from pipelines.fetch import FetchSettings, PoliteFetcher

    with PoliteFetcher(FetchSettings.from_mapping(config.get("fetch"))) as fetcher:
        for result in fetcher.fetch_many(urls):
            ...
"""

from pipelines.fetch.client import FetchResult, PoliteFetcher
from pipelines.fetch.settings import FetchSettings
from pipelines.fetch.urls import is_fetchable_url, normalize_url

__all__ = ["FetchResult", "FetchSettings", "PoliteFetcher", "is_fetchable_url", "normalize_url"]
