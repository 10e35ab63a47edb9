"""`warc`: web archives (`path:` a .warc / .warc.gz / .arc file, or a glob of them).

Every successful HTML `response` record becomes a page whose `local_path` is
"<absolute archive path>#<record offset>". Nothing is copied out of the archive: the fetch step
hands that reference to `read_record`, which seeks straight to the record. (Offsets are where
each gzip member starts, so .warc.gz files need no decompression of what comes before.)
"""

from __future__ import annotations

import glob
import html
import re
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from pipelines.fetch import is_fetchable_url, normalize_url
from pipelines.fetch.content import HTML_TYPES, parse_content_type
from pipelines.sources.config import SourceSpec
from pipelines.sources.discovery import DiscoveredPage, DiscoveryItems, DiscoveryProblem
from pipelines.sources.file_memory import AlreadyRead, FileMemory

# Enough of a page to reach its <title>, read while the iterator passes over the record anyway.
_TITLE_WINDOW = 64 * 1024
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_GLOB_CHARS = frozenset("*?[")


class WarcRecordError(OSError):
    """A `local_path` that does not lead to a readable response record.

    An OSError so that code reading saved pages, which already handles unreadable files, handles
    this the same way.
    """


def discover(spec: SourceSpec, files: FileMemory | None = None) -> DiscoveryItems:
    """Every HTML response of the archives; with `files`, archives read before unchanged are skipped."""
    archives = _archives(spec)
    if not archives:
        yield DiscoveryProblem(spec.name, str(spec.options.get("path")), "no WARC file found")
        return
    for path in archives:
        found = 0
        try:
            stat = path.stat()
            if files is not None and (entries := files.entries_if_unchanged(spec.name, path, stat)) is not None:
                yield AlreadyRead(spec.name, str(path), entries)
                continue
            for item in _pages_in(spec, path):
                found += 1
                yield item
        except Exception as error:  # warcio fails many ways on a damaged file; the next file may be fine
            yield DiscoveryProblem(spec.name, str(path), f"unreadable archive: {type(error).__name__}: {error}")
            continue
        if not found:
            # warcio reads garbage as an empty archive or as one odd ARC record rather than failing,
            # so an archive that gives nothing is worth a line in the report.
            yield DiscoveryProblem(spec.name, str(path), "no HTML response records in this file")
        if files is not None:
            # Only an archive read to its end: a damaged one (above) is tried again next run.
            files.read(spec.name, path, stat, entries=found)


def _archives(spec: SourceSpec) -> list[Path]:
    pattern = spec.path_option("path")
    if not _GLOB_CHARS & set(str(spec.options["path"])):
        return [pattern] if pattern.is_file() else []
    return sorted(Path(match) for match in glob.glob(str(pattern), recursive=True) if Path(match).is_file())


def _pages_in(spec: SourceSpec, path: Path) -> DiscoveryItems:
    with path.open("rb") as handle:
        records = ArchiveIterator(handle, arc2warc=True)
        for record in records:
            # dns:, ftp: and other non-HTTP captures have no HTTP headers; they are not web pages.
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = record.http_headers.get_statuscode()
            media_type, _ = parse_content_type(record.http_headers.get_header("Content-Type"))
            # Redirects, errors and images are in crawls too; only a page that was served is an article.
            if not (status or "").startswith("2") or media_type not in HTML_TYPES:
                continue
            target = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
            # Before asking for the offset: warcio finds it by reading the record to its end.
            head = record.content_stream().read(_TITLE_WINDOW)
            offset = records.get_record_offset()
            fetchable, reason = is_fetchable_url(target)
            if not fetchable:
                yield DiscoveryProblem(spec.name, f"{path}#{offset}", f"record URL {target!r}: {reason}")
                continue
            # A page captured twice yields twice; discover_all keeps the first capture.
            yield DiscoveredPage(
                url=normalize_url(target),
                source_name=spec.name,
                source_kind=spec.kind,
                local_path=f"{path.resolve()}#{offset}",
                title=_title(head),
            )


def _title(head: bytes) -> str | None:
    match = _TITLE.search(head)
    if not match:
        return None
    text = " ".join(html.unescape(match.group(1).decode("utf-8", errors="replace")).split())
    return text or None


def read_record(local_path: str, limit: int | None = None) -> bytes:
    """The HTTP body of the record `local_path` points at, at most `limit` bytes of it.

    The body comes back as the page, not as it crossed the wire: warcio undoes chunked transfer
    and gzip or deflate content encoding.
    """
    archive, separator, offset_text = local_path.rpartition("#")
    if not separator or not offset_text.isdigit():
        raise WarcRecordError(f"not a WARC record reference (expected '<file>#<offset>'): {local_path}")
    try:
        with open(archive, "rb") as handle:
            handle.seek(int(offset_text))
            # A record starts with a gzip member or the WARC (or ARC) header itself. Checked first:
            # from an offset inside a record, warcio may now and then make sense of the bytes it
            # lands on (a gzip header's timestamp, say) rather than fail.
            head = handle.read(5)
            if not head.startswith((b"\x1f\x8b", b"WARC/", b"http", b"filed")):
                raise WarcRecordError(f"no record starts at {local_path}")
            handle.seek(int(offset_text))
            record = next(iter(ArchiveIterator(handle, arc2warc=True)), None)
            if record is None or record.rec_type != "response":
                raise WarcRecordError(f"no response record at {local_path}")
            return _read_up_to(record.content_stream(), limit)
    except OSError:
        raise
    except Exception as error:  # an offset inside a record, or a damaged archive
        raise WarcRecordError(f"no readable WARC record at {local_path}: {type(error).__name__}: {error}") from error


def _read_up_to(stream, limit: int | None) -> bytes:
    if limit is None:
        return stream.read()
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
