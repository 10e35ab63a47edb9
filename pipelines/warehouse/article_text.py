"""Reading an article's text from the pipeline's store.

Article texts are page bodies: the published warehouse leaves them out (see publish.py), so this
is how an analyst reads the article behind a fact. The work database allows one writing process
and no reader beside it, and a run writes it in short stretches; so the read waits a little for
a gap and then says plainly that a run holds the store.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb


class ArticleTextError(Exception):
    """The text cannot be read: no store, no such article, or a run holding the store."""


@dataclass(frozen=True)
class StoredArticle:
    url: str
    page_url: str
    title: str | None
    text: str


def read_article_text(work_db: Path, url: str, wait_s: float = 10.0) -> StoredArticle:
    """The stored article whose address (or whose page's address) is `url`."""
    work_db = Path(work_db)
    if not work_db.exists():
        raise ArticleTextError(f"no pipeline store at {work_db}: run `layoffs run` first")
    conn = _open_read_only(work_db, wait_s)
    try:
        row = conn.execute(
            "select url, page_url, title, text from raw.articles where url = $url or page_url = $url "
            "order by url = $url desc limit 1",
            {"url": url},
        ).fetchone()
    finally:
        conn.close()
    if row is None:
        raise ArticleTextError(
            f"no stored article at {url} (the addresses are marts.fct_cut_sources.article_url "
            "and staging.stg_articles.url)"
        )
    return StoredArticle(url=row[0], page_url=row[1], title=row[2], text=row[3])


def _open_read_only(work_db: Path, wait_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    delay = 0.1
    while True:
        try:
            return duckdb.connect(str(work_db), read_only=True)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                raise ArticleTextError(
                    f"a run is writing the pipeline's store ({work_db}) and did not pause within "
                    f"{wait_s:g} s: try again when it finishes (or pass a longer --wait)"
                ) from error
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
