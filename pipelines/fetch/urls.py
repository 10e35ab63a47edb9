"""URL normalisation (so one article is fetched once) and the scheme gate."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import courlan
import tld

FETCHABLE_SCHEMES = frozenset({"http", "https"})

# Parameters that only say how a reader arrived; they never change the article.
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_TRACKING_NAMES = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "igshid",
        "mc_cid", "mc_eid", "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp",
        "ocid", "icid", "smid", "sr_share", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
        "spm", "guccounter", "guce_referrer", "guce_referrer_sig",
    }
)

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def normalize_url(url: str) -> str:
    """Canonical form used as the dedupe key and as the URL actually requested.

    Input that cannot be read as a URL comes back stripped but otherwise
    unchanged, so that ``is_fetchable_url`` can explain what is wrong with it.
    """
    raw = url.strip()
    if not raw:
        return raw
    match = _SCHEME_RE.match(raw)
    if match and match.group(1).lower() not in FETCHABLE_SCHEMES:
        # courlan would percent-encode "javascript:alert(1)" into something
        # that hides what it was; keep refused URLs readable in the reports.
        return raw
    cleaned = courlan.clean_url(raw) or raw
    try:
        parts = urlsplit(cleaned)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return raw
    if not host:
        return cleaned
    netloc = _ascii_host(host)
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if port is not None:
        netloc = f"{netloc}:{port}"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{netloc}"
    path = _remove_dot_segments(parts.path) or "/"
    query = _drop_tracking(parts.query)
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def is_fetchable_url(url: str) -> tuple[bool, str | None]:
    """Syntax-only gate; address checks need DNS and happen at fetch time."""
    text = url.strip()
    if not text:
        return False, "empty URL"
    match = _SCHEME_RE.match(text)
    if not match:
        return False, "missing scheme"
    scheme = match.group(1).lower()
    if scheme not in FETCHABLE_SCHEMES:
        return False, f"scheme {scheme} refused"
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError as exc:
        return False, f"malformed URL: {exc}"
    if not host:
        return False, "missing host"
    return True, None


def host_of(url: str) -> str:
    """Politeness key: one server per host name, whatever the scheme or port."""
    return (urlsplit(url).hostname or "").lower()


def registrable_domain(url: str) -> str | None:
    """The part of the host name one owner controls ("bbc.co.uk" for www.bbc.co.uk,
    "foo.blogspot.com" for a blog), by the Public Suffix List that the `tld` package ships (the
    one courlan uses); None for an IP address, localhost or a name under no known suffix."""
    try:
        return tld.get_fld(url, fail_silently=True, fix_protocol=True)
    except Exception:  # tld on hostile input
        return None


def same_site(url: str, reference: str) -> bool:
    """True when ``url`` is on the registrable domain of ``reference`` (www.bbc.co.uk and
    bbc.co.uk are; bbc.co.uk and evil.co.uk, or two blogspot.com blogs, are not). Hosts with no
    registrable domain (IP addresses, localhost) must match exactly."""
    ours, theirs = registrable_domain(url), registrable_domain(reference)
    if ours is not None or theirs is not None:
        return ours == theirs
    return bool(host_of(url)) and host_of(url) == host_of(reference)


def accepted_canonical(canonical: str | None, fetched_url: str | None) -> str | None:
    """A page's canonical link (or og:url), if it may speak for the page: only on the registrable
    domain of the address the page was fetched from. Any page can claim any address; one claiming
    another outlet's would take that outlet's identity and push its real page out as a duplicate.
    A page with no web address of its own (a saved file) has nothing to compare with: its claim
    is all there is, and is kept."""
    if not canonical:
        return None
    if not fetched_url or not fetched_url.startswith(("http://", "https://")):
        return canonical
    return canonical if same_site(canonical, fetched_url) else None


def origin_of(url: str) -> str:
    """robots.txt scope, which RFC 9309 defines per scheme, host and port."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower().rsplit("@", 1)[-1], "", "", ""))


def _ascii_host(host: str) -> str:
    # courlan turns punycode into Unicode; the wire wants the ASCII form, and
    # one spelling per host keeps the dedupe key stable.
    host = host.lower().rstrip(".")
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _drop_tracking(query: str) -> str:
    if not query:
        return ""
    kept = [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if not _is_tracking(key.lower())
    ]
    return urlencode(kept)


def _is_tracking(key: str) -> bool:
    return key in _TRACKING_NAMES or key.startswith(_TRACKING_PREFIXES)


def _remove_dot_segments(path: str) -> str:
    # RFC 3986 section 5.2.4; courlan leaves "/a/./b/../c" as it is.
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    result = "/".join(output)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result
