"""Random and hostile input never makes cleaning or extraction raise."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.clean import clean_page
from pipelines.extract import extract_cuts

TAGS = ["html", "head", "body", "article", "p", "div", "script", "style", "title", "meta", "a", "table", "td", "svg", "!--", "![CDATA["]
FRAGMENTS = [
    "Amazon laid off 1,200 workers",
    "cut hundreds of jobs",
    "10% of its 12,000 staff",
    "on Thursday",
    "\x00",
    "\ufeff",
    "&amp;&#0;&#x110000;&nbsp;",
    "<meta charset='utf-7'>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>",
    '<script type="application/ld+json">{"datePublished": "9999-99-99"}</script>',
    "<" * 50,
    "]]>",
    "\u202e",
]

markup = st.recursive(
    st.one_of(st.text(max_size=80), st.sampled_from(FRAGMENTS)),
    lambda children: st.builds(
        lambda tag, inner, close: f"<{tag}>{''.join(inner)}" + (f"</{tag}>" if close else ""),
        st.sampled_from(TAGS),
        st.lists(children, max_size=5),
        st.booleans(),
    ),
    max_leaves=40,
)

quick = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick
@given(st.lists(markup, max_size=8).map("".join))
def test_clean_page_never_raises_on_hostile_markup(html):
    article = clean_page(html, url="http://127.0.0.1/page.html")
    assert article is None or isinstance(article.text, str)


@quick
@given(st.binary(max_size=2000))
def test_clean_page_never_raises_on_random_bytes_decoded_loosely(data):
    clean_page(data.decode("latin-1"))


@quick
@given(
    st.lists(st.one_of(st.text(max_size=120), st.sampled_from(FRAGMENTS)), max_size=12).map(" ".join),
    st.one_of(st.none(), st.text(max_size=60)),
    st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))),
)
def test_extract_cuts_never_raises_and_keeps_its_promises(text, title, published_on):
    for fact in extract_cuts(text, title=title, published_on=published_on):
        assert fact.company
        assert 0 <= fact.evidence_start <= fact.evidence_end <= len(text)
        if fact.headcount_low is not None and fact.headcount_high is not None:
            assert 0 < fact.headcount_low <= fact.headcount_high
        assert 0.0 <= fact.confidence <= 1.0


def test_huge_and_degenerate_inputs():
    deep = clean_page("<p>" * 100_000)  # must return, whatever it returns
    assert deep is None or isinstance(deep.text, str)
    assert extract_cuts("", title=None, published_on=None) == []
    assert isinstance(extract_cuts("laid off " * 20_000, title="x", published_on=date(2024, 1, 1)), list)
