"""Article in, job-cut facts out."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from . import lexicon
from . import reason as reasons
from .candidates import Candidate
from .classify import (_FUTURE_CUT, RECENCY, SentenceReading, Trigger, background_mask, cut_clause, non_event_in, read_sentence,
                       without_size_dates)
from .datelines import mask_datelines
from .dates import DAY, Dated, announcement, effective_period, first_absolute_date
from .entities import (DivisionHit, Mention, Subject, anaphor_mentions, clause_window, credits_the_news, find_divisions,
                       opening_company,
                       people_named, resolve_subject, seeded_mentions)
from .headcount import Figure, applicants_figure, find_figures, with_base
from .location import find_location
from .merge import merge_candidates
from .model import CutFact
from .parts import read_parts
from .reference import Reference, load_reference
from .sentences import Sentence, split_sentences
from .status import ANNOUNCED, COMPLETED, PLANNED, gives_horizon, sentence_status, tells_completion

log = logging.getLogger(__name__)

# Past this, the rest of a page is comments, link lists or a runaway scrape;
# a news report states its cut well before.
MAX_CHARS = 200_000

# Typographic characters mapped to ASCII one for one, so offsets survive.
_NORMALISE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                            "\u00a0": " ", "\u2009": " ", "\u202f": " "})
# Words that make a neighbouring sentence about a cut, perhaps an earlier one.
_CUT_WORDS = re.compile(
    r"\b(?:layoffs?|lay-?offs?|laid\s+off|cuts?|cutting|rounds?|reductions?|job\s+losses|eliminat\w+|dismiss\w+|fired|waves?)\b",
    re.I,
)
_NO_STALE_DAYS = 100_000
_WORD_TOKEN = re.compile(r"\w(?:[\w&'-]*\w)?")
# "its near-7000 employees", "an almost-800-strong team": the qualifier and its number as two words
# (same length, so offsets into the text hold).
_HYPHENATED_QUALIFIER = re.compile(r"\b(near|nearly|almost|around|about|some|over|under)-(?=\d)", re.I)
# How far back (in sentences) "the company" may reach for any name the sentence names, and for a
# name that opens its sentence ("Nottinghamshire County Council has published its budget. However,
# the council said ... It warned that around 750 jobs are at risk"): an opener is what the
# paragraph is about, a name further in is often an object ("retire its Boeing 747 planes").
_RECENT_SENTENCES = 1
_RECENT_OPENERS = 3


@dataclass
class _Article:
    text: str
    sentences: list[Sentence]
    published_on: date | None
    ref: Reference
    fallback_date: date | None = None
    title: str = ""
    title_subject: Mention | None = None
    dominant: str | None = None
    # First known company named in each sentence, by sentence index.
    sentence_subjects: dict[int, str] = field(default_factory=dict)
    sentence_openers: set[int] = field(default_factory=set)  # indexes whose subject opens the sentence
    last_cut_company: str | None = None
    # Companies whose first cut mention in the article is a past one: an
    # undated mention afterwards is taken to be that past cut again (a
    # retrospective, a lawsuit over old layoffs).
    past_first: set[str] = field(default_factory=set)
    fresh: set[str] = field(default_factory=set)
    denied: set[str] = field(default_factory=set)
    last_stated: Dated | None = None  # the latest date a cut sentence gave ("the same day")
    people: frozenset[str] = frozenset()  # people the article names: never the company
    _words: frozenset[str] | None = None  # every word of the text as written, for is_common_word
    about_old_cuts: bool = False  # the headline is about a lawsuit, survey or rehiring
    _bases: list[tuple[int, int]] | None = None  # (offset, workforce size)
    # Per sentence index: its text with earlier cuts blanked (None when the whole sentence is
    # background), and the listed companies it names.
    _context: dict[int, tuple[str | None, frozenset[str]]] = field(default_factory=dict)
    _readings: dict[int, SentenceReading] = field(default_factory=dict)

    def accept_name(self, name: str) -> bool:
        """An unlisted company name is trusted once the article repeats it or
        its headline carries it; a capitalised word seen once is too often
        just the start of a sentence."""
        if len(name) < 2:
            return False
        # Headlines are often in title case, where every word is capitalised;
        # there the name must also appear in the body.
        in_body = self.text.count(name) - (1 if self.title and self.text.startswith(self.title) and name in self.title else 0)
        if name in self.title:
            return in_body >= 1
        return in_body >= 2

    def is_common_word(self, name: str) -> bool:
        """"Tariffs have hurt farmers ... the tariffs imposed": an unlisted one-word name the
        article also writes in lower case is a common noun that opened a sentence; so is a
        frequent English word ("Plans", "Over", "Agreement") whatever the article does."""
        if " " in name:
            return False
        if self._words is None:
            self._words = frozenset(_WORD_TOKEN.findall(self.text))
        return name.lower() in self._words or lexicon.is_common_word(name)

    def reading(self, index: int) -> SentenceReading:
        """read_sentence for body sentence `index`, once: the neighbour rules read ahead."""
        found = self._readings.get(index)
        if found is None:
            found = self._readings[index] = read_sentence(self.sentences[index].text, self.published_on)
        return found

    def context_sentence(self, index: int, company: str) -> str | None:
        """Sentence `index`, background clauses blanked, when it may explain a cut by `company`:
        not background as a whole, and not about another listed company (round-ups describe
        several cuts one after another)."""
        if not 0 <= index < len(self.sentences):
            return None
        text = self.sentences[index].text
        if text == self.title:
            return None
        if index not in self._context:
            background = self.reading(index).background
            named = frozenset(m.company for m in seeded_mentions(text, self.ref))
            # Clauses about earlier cuts ("Smaller rounds earlier this year had targeted low
            # performers") are blanked, so their reasons do not become this cut's. Only words
            # marking the past count here, not dates: dates resolve into the past by design, so
            # "restructuring planned for late April" would read as an old event.
            if not background and _CUT_WORDS.search(text):
                text = background_mask(text, self.published_on, stale_days=_NO_STALE_DAYS)
            self._context[index] = (None if background else text, named)
        masked, named = self._context[index]
        if masked is None or named - {company}:
            return None
        return masked

    def workforce_base(self, offset: int, sentence: Sentence | None = None) -> int | None:
        if self._bases is None:
            self._bases = []
            for s in self.sentences:
                for fig in find_figures(s.text, self.ref):
                    if fig.role == "base" and fig.low:
                        self._bases.append((s.start + fig.start, fig.low))
        if sentence is not None:
            # "cut less than 10% of its global workforce, which totaled 35,000 people": the size the
            # sentence itself gives, wherever in it, before any size told earlier in the article.
            own = [b for b in self._bases if sentence.start <= b[0] < sentence.end]
            if own:
                return min(own, key=lambda b: abs(b[0] - offset))[1]
        before = [b for b in self._bases if b[0] <= offset]
        if before:
            return before[-1][1]
        return self._bases[0][1] if self._bases else None


def extract_cuts(text: str, *, title: str | None = None, published_on: date | None = None,
                 reference: Reference | None = None, raise_errors: bool = False) -> list[CutFact]:
    """Cut facts in one article. A failure inside the rules returns no facts (the pipeline goes on
    with the next page) unless `raise_errors`, which `layoffs eval` sets so a crash is counted,
    not scored as a page with nothing in it."""
    try:
        if not isinstance(text, str):
            return []
        if title is not None and not isinstance(title, str):
            title = None
        if published_on is not None and not isinstance(published_on, date):
            published_on = None
        return _extract(text, title, published_on, reference or load_reference())
    except Exception:  # the pipeline must keep going on one bad page
        if raise_errors:
            raise
        log.exception("extract_cuts failed; returning no facts")
        return []


def _extract(text: str, title: str | None, published_on: date | None, ref: Reference) -> list[CutFact]:
    text = text[:MAX_CHARS]
    norm = _HYPHENATED_QUALIFIER.sub(r"\1 ", mask_datelines(text.translate(_NORMALISE)))
    norm_title = (title or "").translate(_NORMALISE).strip()[:1000]
    article = _Article(text=norm, sentences=split_sentences(norm), published_on=published_on, ref=ref, title=norm_title)
    article.people = people_named(norm, ref)
    if published_on is None:
        article.fallback_date = first_absolute_date(norm)
    counts = Counter(m.company for m in seeded_mentions(norm, ref))
    article.dominant = counts.most_common(1)[0][0] if counts else None

    candidates: list[Candidate] = []
    if norm_title:
        at = norm.find(norm_title)
        span = (at, at + len(norm_title)) if at >= 0 else (0, 0)
        title_sentence = Sentence(span[0], span[1], norm_title)
        article.title_subject = _title_subject(article, norm_title)
        candidates += _read(article, title_sentence, -1, evidence=(title or "").strip()[:1000])
        title_reading = read_sentence(norm_title, published_on)
        if title_reading.denial and article.title_subject is not None:
            article.denied.add(article.title_subject.company)
        # A headline about a lawsuit, a survey or rehiring: the body's undated cuts are the old
        # ones it is about ("thousands of employees were laid off after the buyout").
        article.about_old_cuts = bool(_OLD_CUTS_STORY.search(norm_title))

    if not norm_title and article.sentences:
        # no headline (a bare text): the opening sentence says what the story is about
        article.about_old_cuts = bool(_OLD_CUTS_STORY.search(article.sentences[0].text))
    for index, sentence in enumerate(article.sentences):
        named = [m for m in seeded_mentions(sentence.text, ref) if not credits_the_news(sentence.text, m, ref)]
        if named:
            article.sentence_subjects[index] = named[0].company
            if _opens(sentence.text, named[0].start):
                article.sentence_openers.add(index)
        else:
            opener = opening_company(sentence.text, article.people, article.accept_name, article.is_common_word)
            if opener is not None:
                # "Leicestershire County Council has also agreed its budget. ... The budget will lead
                # to 700 posts being lost": a round-up's unlisted company is the next sentence's too.
                article.sentence_subjects[index] = opener
                article.sentence_openers.add(index)
        if sentence.text == norm_title:
            continue  # the headline repeated as the first line
        candidates += _read(article, sentence, index, evidence=text[sentence.start:sentence.end])
    candidates = [c for c in candidates if c.company not in article.denied]
    return merge_candidates(_unify_names(candidates, norm_title, set(counts)), ref)


def _title_subject(article: _Article, title: str) -> Mention | None:
    reading = read_sentence(title, None)
    if reading.triggers:
        subject = resolve_subject(reading.masked, reading.triggers[0].start, article.ref, article.accept_name, article.is_common_word,
                           people=article.people)
        if subject.mention is not None:
            return subject.mention
    seeded = seeded_mentions(title, article.ref)
    if seeded:
        return seeded[0]
    return None


def _context_company(article: _Article, index: int, masked: str | None = None) -> Mention | None:
    """The company "it" / "the company" / "the streaming service" points to.

    In order: a company opening this or the previous sentence (round-ups
    name each company just before describing its cut), the company of the
    last cut read, the headline's company, the most named company.

    `masked` is this sentence with its background blanked: a company this sentence names only in a
    background clause ("... and follows thousands of layoffs at tech giants including Amazon") is
    not what "its" in the cut clause points to."""
    for back in range(0, _RECENT_OPENERS + 1):
        company = article.sentence_subjects.get(index - back)
        if back > _RECENT_SENTENCES and (index - back) not in article.sentence_openers:
            continue
        if back == 0 and company is not None and masked is not None and not _names(masked, company, article.ref):
            continue
        if company is not None and index >= 0:
            return Mention(-1, -1, company, None, seeded=True)
    if article.last_cut_company is not None:
        return Mention(-1, -1, article.last_cut_company, None, seeded=article.last_cut_company in article.ref.companies)
    if article.title_subject is not None:
        return article.title_subject
    if article.dominant:
        return Mention(-1, -1, article.dominant, None, seeded=True)
    return None


def _opens(text: str, start: int) -> bool:
    """The name is the sentence's first words ("The American Lung Association said", "Last month,
    Oldham Council's cabinet ..."): at most two words and a comma before it."""
    return len(_WORD_TOKEN.findall(text[:start])) <= 2


def _names(text: str, company: str, ref: Reference) -> bool:
    return company in text or any(m.company == company for m in seeded_mentions(text, ref))


def _unify_names(candidates: list[Candidate], title: str, named: set[str] = frozenset()) -> list[Candidate]:
    """One spelling per unlisted company: "Zephyr" and "Zephyr Robotics" in
    one article are the same firm; keep the headline's form, else the
    shorter."""
    names = {c.company for c in candidates if not c.company_seeded}
    listed = {c.company for c in candidates if c.company_seeded} | set(named)
    mapping: dict[str, str] = {}
    for name in names:
        # "Zurich to cut 440 jobs" over "Zurich Insurance plans to cut ...": a short form of a
        # listed company the article names is that company.
        longer = [n for n in listed if n.startswith(name + " ") or n.endswith(" " + name)]
        if len(longer) == 1:
            mapping[name] = longer[0]
            continue
        related = [n for n in names if n == name or n.startswith(name + " ") or name.startswith(n + " ")]
        in_title = [n for n in related if n in title]
        mapping[name] = (min(in_title, key=len) if in_title else min(related, key=len))
    if not mapping:
        return candidates
    return [replace(c, company=mapping.get(c.company, c.company), company_seeded=c.company_seeded or mapping.get(c.company) in listed)
            for c in candidates]


def _read(article: _Article, sentence: Sentence, index: int, evidence: str) -> list[Candidate]:
    reading = article.reading(index) if index >= 0 else read_sentence(sentence.text, article.published_on)
    if reading.background:
        _note_past(article, sentence, index, reading.raw_triggers[0].start)
        return []
    if not reading.triggers or reading.non_event:
        return []
    if _retold(sentence.text, article.published_on):
        _note_past(article, sentence, index, reading.triggers[0].start)
        return []
    masked = reading.masked

    # One cut per clause that names its own company: "UPS will cut 12,000
    # jobs, and PayPal will cut 2,500" is two cuts; "Meta will cut 10,000
    # jobs as it ..." is one.
    first = reading.triggers[0]
    found = resolve_subject(masked, first.start, article.ref, article.accept_name, article.is_common_word,
                           people=article.people)
    clauses = []
    seen_windows = set()
    for trigger in reading.triggers:
        window = clause_window(masked, trigger.start, between_companies=True)
        if window in seen_windows:
            continue
        seen_windows.add(window)
        view = _only(masked, window)
        if trigger is not first and non_event_in(view[window[0] : window[1]]):
            continue
        own = resolve_subject(view, trigger.start, article.ref, article.accept_name, article.is_common_word,
                           people=article.people)
        clauses.append((view, trigger, own if own.mention is not None else found))
    companies = {c[2].mention.company for c in clauses if c[2].mention is not None}
    if len(companies) <= 1:
        return _candidates(article, sentence, index, evidence, masked, first, found)
    out: list[Candidate] = []
    done: set[str] = set()
    for view, trigger, subject in clauses:
        if subject.mention is None or subject.mention.company in done:
            continue
        done.add(subject.mention.company)
        out += _candidates(article, sentence, index, evidence, view, trigger, subject)
    return out


_DAYS_APART = re.compile(r"\b(?P<n>a|one|two|three)\s+days?\s+(?P<way>earlier|before|later)\b", re.I)
_DAY_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3}
_SAME_DAY = re.compile(r"\b(?:the\s+same\s+day|that\s+(?:same\s+)?day|the\s+same\s+afternoon|hours\s+later)\b", re.I)


def _earlier_date(article: _Article, index: int, reach: int) -> Dated | None:
    for back in range(1, reach + 1):
        if index - back < 0:
            break
        text = background_mask(article.sentences[index - back].text, article.published_on)
        found = announcement(text, article.published_on)
        if found.stated:
            return found
    return None


def _only(text: str, window: tuple[int, int]) -> str:
    start, end = window
    return " " * start + text[start:end] + " " * (len(text) - end)


def _candidates(article: _Article, sentence: Sentence, index: int, evidence: str, masked: str, trigger: Trigger,
                found: Subject) -> list[Candidate]:
    ref = article.ref
    subject = found.mention
    explicit = subject is not None
    inherited_division = None
    if subject is None:
        if not found.needs_context or index < 0:
            return []  # a headline needs its own subject
        subject = _context_company(article, index, masked)
        if subject is None:
            return []
        inherited_division = subject.division
        subject = Mention(-1, -1, subject.company, None, seeded=subject.seeded)
    company = subject.company
    if index >= 0:
        article.last_cut_company = company

    dated = announcement(without_size_dates(masked), article.published_on)
    when, stated, precision = dated.when, dated.stated, dated.precision
    same_day = bool(_SAME_DAY.search(masked))
    shifted = _DAYS_APART.search(masked)
    if not stated and shifted and index > 0:
        # "A day earlier, Delta Air Lines said ...": counted from the last date a cut sentence gave.
        base = article.last_stated.when if article.last_stated else article.published_on
        if base is not None:
            days = _DAY_COUNTS[shifted.group("n").lower()]
            when = base + timedelta(days=-days if shifted.group("way").lower() in ("earlier", "before") else days)
            stated, precision = True, DAY
    if not stated and index > 0 and (same_day or not explicit and article.sentence_subjects.get(index - 1) == company):
        # "On Thursday it was SAP's turn. The German software maker said
        # it would cut...": the date sits in the sentence before.
        earlier = article.last_stated if same_day and article.last_stated else _earlier_date(article, index, 1)
        if earlier is not None:
            when, stated, precision = earlier.when, True, earlier.precision
    if stated and when is not None:
        article.last_stated = Dated(when, True, precision)
    if when is None:
        when = article.fallback_date
        precision = DAY if when is not None else None
    # "will cut about 1,000 jobs in 2025": the period the cut takes effect in, kept apart.
    effective = effective_period(masked, article.published_on)
    if when is not None and article.published_on is not None and when > article.published_on:
        # "will cut 7,800 jobs by the end of 2025" in a 2021 article: that is when the cut takes
        # effect; it was announced no later than the day it was published.
        when, precision = article.published_on, DAY
    if company in article.past_first and company not in article.fresh and not stated and not RECENCY.search(masked):
        return []
    article.fresh.add(company)

    divisions = find_divisions(sentence.text, masked, trigger.start, company, ref, subject, trigger.end)
    if not divisions and inherited_division:
        divisions = [DivisionHit(-1, -1, inherited_division, True)]

    figures = [f for f in find_figures(masked, ref) if f.role == "count"]
    figures = _fold_percentages(figures, article, sentence.start, ref, sentence if index >= 0 else None)
    scheme = masked[trigger.start:trigger.end].lower().startswith(("early", "voluntary"))
    if scheme and not any(f.low is not None for f in figures) and 0 <= index < len(article.sentences) - 1:
        # "offered voluntary retirement to workers aged 53 or older. Those who applied numbered 2,378."
        taken_up = applicants_figure(article.sentences[index + 1].text)
        figures = [replace(taken_up, start=trigger.end, end=trigger.end)] if taken_up else figures
    if not figures and masked[trigger.start:trigger.end].lower().startswith(("furlough", "early", "voluntary")):
        # Furloughs and early-retirement or voluntary-exit schemes count as a cut when they are
        # counted ("furlough 1,941 pilots", "2,378 took early retirement"); an offer with no
        # number ("is offering voluntary exit packages") is a scheme, not yet a cut.
        return []
    if article.about_old_cuts and not stated and not _FUTURE_CUT.search(masked):
        return []
    if not explicit and _GENERIC_AGENT.search(masked):
        # "tens of thousands of workers laid off by tech firms": an industry's cuts, no company's
        return []
    if explicit and not figures and subject.start >= 0 and _EXAMPLES_OF_MANY.search(sentence.text, 0, subject.start):
        # "has forced global investment banks including Credit Suisse, Goldman Sachs and UBS to slash
        # staff": examples of an industry's trend, no cut of theirs the article reports.
        return []
    if not explicit and not figures and not _points_back(masked, trigger.start):
        # "The layoffs extend beyond ...", "if the layoffs were handled well ...": no name, no
        # pronoun for one and no figure; the sentence talks about cuts, it reports none.
        return []
    if _in_list_of_companies(masked, company, ref) and all(f.precision <= 1 for f in figures):
        # "tech giants like Microsoft, Twitter, Zoom and Spotify have cut tens of thousands of
        # jobs": a list sharing one vague figure sums up an industry; it is no cut of each.
        return []

    lo, hi = cut_clause(masked, trigger.start)
    clause = masked[lo:hi]
    status = _status(article, index, masked, clause, company)
    reason_weights = tuple(_reason_weights(article, index, masked, company).items())
    location = find_location(clause)

    # Figures given as parts of another ("9,000 jobs, including 400 at Twitch"): see parts.py.
    parts = read_parts(masked, figures, ref, company, subject.start)
    pairs = _pair(divisions, parts.for_pairing(bool(divisions)), trigger.start)
    shared = len(pairs) > 1 and len({id(f) for _, f in pairs if f is not None}) == 1 and pairs[0][1] is not None
    out = []
    for hit, fig in parts.with_wholes(pairs):
        out.append(Candidate(
            company=company,
            company_seeded=company in ref.companies,
            company_explicit=explicit,
            division=hit.name if hit else None,
            division_known=hit is not None and hit.known,
            division_path=_path(ref, company, hit, subject) if hit else None,
            figure=fig,
            announced_on=when,
            date_stated=stated,
            sentence_index=index,
            evidence=evidence,
            evidence_start=sentence.start,
            evidence_end=sentence.end,
            share_key=(index, fig.start) if shared and fig is not None and fig.start not in parts.wholes else None,
            status=status,
            reasons=reason_weights,
            location=location,
            announced_precision=precision,
            effective=effective,
            part_of=parts.part_of(fig),
        ))
    return out


_LIST_SIZE = 3
_OLD_CUTS_STORY = re.compile(
    r"\b(?:lawsuits?|sue[sd]?|suing|severance|class[\s-]action|rehir\w*|re-hir\w*|boomerang\w*|"
    r"survey\w*|poll(?:ed|s)?|bring(?:s|ing)?\s+back|wants?\s+(?:you|them|workers)\s+back|"
    r"(?:invited|asked|invites|asks)\s+(?:\w+\s+)?(?:to\s+)?(?:return|come\s+back))\b",
    re.I,
)
_EXAMPLES_OF_MANY = re.compile(
    r"\b(?:banks|companies|firms|lenders|employers|groups|carmakers|automakers|insurers|airlines|retailers|giants|"
    r"players|rivals|peers|competitors|startups|start-ups|studios|publishers)\s+(?:including|such\s+as|like)\s+"
    r"(?:[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*)*(?:,\s+|\s+and\s+))*$"
)
_GENERIC_AGENT = re.compile(
    r"\b(?:by|at|across|from)\s+(?:(?:tech|big|other|many|several|major|rival|u\.s\.|us)\s+)*"
    r"(?:firms|companies|employers|startups|start-ups|banks|carmakers|automakers|retailers|giants|publishers)\b",
    re.I,
)


def _points_back(masked: str, trigger_start: int) -> bool:
    """The cut's subject is a pronoun or "the company" pointing at a company named before."""
    return any(m.start < trigger_start for m in anaphor_mentions(masked))


def _in_list_of_companies(masked: str, company: str, ref: Reference) -> bool:
    named = {m.company for m in seeded_mentions(masked, ref)}
    return company in named and len(named) >= _LIST_SIZE


# How many sentences after the cut sentence may still tell that staff were notified, or when
# the cut will happen.
_COMPLETION_REACH = 3
_HORIZON_REACH = 2


def _status(article: _Article, index: int, masked: str, clause: str, company: str) -> str:
    status = sentence_status(clause)
    if status == COMPLETED:
        return status
    if tells_completion(masked):
        return COMPLETED
    first = max(index + 1, 0)  # the headline (index -1) is followed by sentence 0
    following = [article.context_sentence(j, company) for j in range(first, first + _COMPLETION_REACH)]
    if any(text is not None and tells_completion(text) for text in following):
        return COMPLETED
    if status == ANNOUNCED and any(text is not None and gives_horizon(text) for text in following[:_HORIZON_REACH]):
        return PLANNED
    return status


def _reason_weights(article: _Article, index: int, masked: str, company: str) -> dict[str, float]:
    window = [(masked, reasons.WEIGHTS[0])]
    first = max(index + 1, 0)
    for offset, weight in reasons.WEIGHTS.items():
        if offset == 0 or (offset < 0 and index < 0):
            continue
        j = first + offset - 1 if offset > 0 else index + offset
        text = article.context_sentence(j, company)
        if text is not None:
            window.append((text, weight))
    if index >= 0 and article.title:
        window.append((article.title, reasons.TITLE_WEIGHT))
    return reasons.score(window)


def _path(ref: Reference, company: str, hit: DivisionHit, subject: Mention) -> str:
    if hit.known:
        return ref.division_path(company, hit.name) or hit.name
    # An unlisted team inside a named unit ("Reality Labs layoffs hit its
    # VR and Horizon teams", "AWS's Payments Platform group").
    parent = hit.parent or (subject.division if subject.company == company else None)
    if parent:
        return f"{ref.division_path(company, parent) or parent} > {hit.name}"
    return hit.name


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# "In January, Retail Week revealed that Morrisons is axing 3,000 managers": news an outlet broke in
# an earlier month, told again as the story's background.
_RETOLD = re.compile(
    rf"\s*(?:In|Back\s+in|Earlier\s+in)\s+(?P<month>{'|'.join(_MONTHS)})(?:\s+\d{{4}})?,\s+"
    r"(?:[A-Z][\w&'’.-]*\s+){1,4}(?:revealed|reported|disclosed|first\s+reported)\s+that\b"
)


def _retold(text: str, published_on: date | None) -> bool:
    m = _RETOLD.match(text)
    if m is None:
        return False
    return published_on is None or _MONTHS.index(m.group("month")) + 1 != published_on.month


def _note_past(article: _Article, sentence: Sentence, index: int, trigger_start: int) -> None:
    found = resolve_subject(sentence.text, trigger_start, article.ref, article.accept_name, article.is_common_word,
                           people=article.people)
    company = found.mention.company if found.mention else None
    # Only a pronoun points back ("it cut 500 last year"); "List of startups that fired staff in
    # recent months" names no company, so none of them is marked as told before.
    if company is None and found.needs_context and anaphor_mentions(sentence.text[:trigger_start]):
        context = _context_company(article, index)
        company = context.company if context else None
    if company and company not in article.fresh:
        article.past_first.add(company)


def _fold_percentages(figures: list[Figure], article: _Article, offset: int, ref: Reference,
                      sentence: Sentence | None = None) -> list[Figure]:
    """Join "10,000 jobs, or 13% of its workforce" into one figure and work
    out bare percentages from the workforce size stated elsewhere."""
    counts = [f for f in figures if f.low is not None]
    pcts = [f for f in figures if f.low is None and f.pct is not None]
    if counts and pcts:
        if len(counts) == 1:
            c = counts[0]
            return [Figure(c.start, c.end, c.low, c.high, c.text, pct=c.pct if c.pct is not None else pcts[0].pct,
                           precision=c.precision, role=c.role, base=c.base)]
        return counts
    if pcts:
        base = article.workforce_base(offset + pcts[0].start, sentence)
        return [with_base(p, base, ref) if base else p for p in pcts]
    return counts


def _pair(divisions: list[DivisionHit], figures: list[Figure], anchor: int) -> list[tuple[DivisionHit | None, Figure | None]]:
    if not figures:
        return [(d, None) for d in divisions] or [(None, None)]
    if len(figures) == 1:
        return [(d, figures[0]) for d in divisions] or [(None, figures[0])]
    if not divisions:
        return [(None, min(figures, key=lambda f: abs(f.start - anchor)))]
    # Several figures and several units: each unit takes the figure stated
    # just before it ("cut 100 jobs in Alexa and 200 in Twitch"), or the
    # first one after it.
    pairs = []
    for d in divisions:
        before = [f for f in figures if f.start < d.start]
        fig = before[-1] if before else next((f for f in figures if f.start > d.start), figures[0])
        pairs.append((d, fig))
    return pairs
