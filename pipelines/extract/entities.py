"""Who is cutting: the company and the unit inside it.

Seeded names are recognised through their aliases; a business that belongs to
a parent (AWS, Instagram, Activision Blizzard) resolves to the parent with the
business as its division. Companies missing from the seed are taken from the
grammatical subject of the cut ("Zephyr Robotics said it would cut...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .classify import AS_CONJUNCTION
from .lexicon import is_common_word, is_english_word, is_first_name, is_gerund, is_place
from .reference import Reference

# Capitalised words that open sentences, name people's roles, places, media or
# time, and so are never a company on their own.
_NOT_NAMES = frozenset(
    """
    the a an in on at for after before as but and or so yet if when while since despite although though because
    meanwhile however also separately still now today yesterday earlier later last next this that these those
    it its it's they their them we our us he she his her i you my according amid among about nearly roughly
    around some more most many all both each every other another several hundreds thousands dozens
    layoffs layoff cuts jobs job staff employees employee workers worker people executives analysts investors
    officials sources shares stock company firm business unit division team group organization department
    ceo cfo coo cto chief executive officer president vice senior director head manager spokesperson spokesman
    spokeswoman chairman founder mr mr. ms ms. mrs mrs. dr dr. sir
    prime minister secretary chancellor governor senator mayor premier
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    u.s. us u.s u.k. uk america american europe european china chinese india indian japan germany
    california washington seattle texas york london silicon valley wall street
    reuters bloomberg cnbc ap afp axios techcrunch wsj verge insider information times journal post
    q1 q2 q3 q4 ai genai covid-19 covid pandemic internal email memo blog statement linkedin-post
    read more related advertisement update updated breaking exclusive report reports
    one two three four five six seven eight nine ten eleven twelve fifteen twenty hundred thousand
    first second third fourth last final another others other affected departing remaining several
    together overall combined total altogether instead rather indeed still even only just
    german french british english canadian australian irish dutch swedish korean japanese italian spanish
    germany france britain england canada australia ireland korea spain italy mexico brazil singapore
    united states kingdom states new zealand north south east west asia africa middle pacific atlantic
    labor union unions workers' employees' staffers investors' analysts' economists economist
    he she his hers him they'd we'd i'm it'll here there where what why how who whom whose which
    please click subscribe sign newsletter photo image video getty
    opinion analysis commentary editorial column explainer podcast watch live interview review
    former current ex longtime veteran junior senior new remaining laid-off fired displaced younger older full-time
    part-time temporary contract hourly salaried unionized local global corporate technical tech engineering sales
    """.split()
)
_LEGAL_SUFFIX = re.compile(
    r"(?:,?\s+(?:Inc|Corp|Corporation|Co|Ltd|Limited|LLC|L\.L\.C|PLC|plc|AG|SE|NV|N\.V|S\.A|SA|GmbH|Holdings?)\.?)+$"
)
# Speed: the boundary test sits after the first capital (a two-character lookbehind) so that the
# pattern opens with a character class, which Python's regex engine scans for in C; a leading
# lookbehind is tried at every position. Same matches. (Likewise _PERSON, _NAME_PAIR, _SPEAKER.)
# "Susan G. Komen for the Cure", "Society for the Protection of Birds": "for the" joins a name too.
_NAME_RUN = re.compile(r"[A-Z](?<![\w&'.-].)[\w&'’.-]*(?:(?:\s+(?:&\s+|of\s+|de\s+|for\s+the\s+)?)[A-Z][\w&'’.-]*)*")

_ANAPHOR = re.compile(
    r"\b(?:it|we|they|(?:the|this|that)\s+(?:[\w-]+\s+){0,3}?(?:company|firm|giant|retailer|automaker|carmaker|"
    r"chipmaker|maker|bank|lender|conglomerate|startup|streamer|studio|publisher|operator|carrier|insurer|airline|"
    r"manufacturer|e-tailer|marketplace|platform|provider|owner|employer|group|behemoth|titan|juggernaut|service|"
    r"network|app|parent|developer|outlet|newspaper|broadcaster|bank|lender|insurer|chain|brand|operator))\b",
    re.I,
)
_GENERIC_SUBJECT = re.compile(
    r"^\s*(?:some|others|several|many|most)\b|"
    r"\b(?:companies|firms|employers|businesses|startups|banks|automakers|retailers|tech\s+giants|industry|sector|"
    r"makers|chipmakers|rivals|peers|competitors|economy|economists|analysts|challenger|the\s+government|agencies|federal)\b",
    re.I,
)
# Words after which a unit name sits in "unit position".
_UNIT_WORD = r"(?:division|unit|team|group|organization|organisation|org|department|dept\.?|business|segment|arm|subsidiary|studio)s?"
_UNIT_AFTER_NEAR = re.compile(rf"(?:\s+(?:\([A-Z]{{2,6}}\)|[\w&'-]+|and)){{0,3}}?\s+{_UNIT_WORD}\b", re.I)
_POSITION_BEFORE = re.compile(
    r"(?:\b(?:its|the|their|our|in|at|from|within|across|inside|to|targeting|targeted|affecting|affected|hitting|hit|"
    r"including|impacting|impacted|of)|[A-Z][\w&.-]*'s)\s+$",
    re.I,
)
_UNKNOWN_UNIT = re.compile(
    rf"(?:\b(?:its|the|their|our)\s+|[A-Z][\w&.-]*'s\s+)"
    rf"(?P<name>[A-Z][\w&.'-]*(?:(?:\s+|,\s+|\s+and\s+|\s+&\s+|\s+of\s+)[A-Z][\w&.'-]*){{0,5}})"
    rf"(?:\s+\([A-Z]{{2,6}}\))?\s+(?P<unit>{_UNIT_WORD})\b",
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    company: str | None  # None for an anaphor ("the company")
    division: str | None = None
    seeded: bool = False
    anaphor: str | None = None


@dataclass(frozen=True)
class DivisionHit:
    start: int
    end: int
    name: str
    known: bool  # from the divisions seed
    parent: str | None = None  # for an unlisted unit: the listed unit it sits in


def clean_company_name(raw: str) -> str:
    name = raw.strip().replace("’", "'")
    name = re.sub(r"'s?$", "", name)
    name = _LEGAL_SUFFIX.sub("", name).strip(" ,.")
    name = re.sub(r"^(?:The)\s+", "", name)
    # "Focus on The Family" and "Focus on the Family" are one name in every table.
    return _INNER_THE.sub(r"\1the", name)


_INNER_THE = re.compile(r"\b((?:of|on|for|and) )The\b")


def seeded_mentions(text: str, ref: Reference) -> list[Mention]:
    out = []
    for m in ref.entity_regex.finditer(text):
        surface = m.group(0)
        if surface.isupper() and _TICKER_AFTER.match(text, m.end()):
            continue  # "(NASDAQ:TSLA)", "NYSE: GM": the exchange a ticker is listed on
        if surface in ref.context_names and (
                (_opens_sentence(text, m.start()) and not _ACTS_ANY_CASE.match(text, m.end())
                 and not _APPOSITION.match(text, m.end()))
                or _IN_PLACE.search(text, max(0, m.start() - 20), m.start())):
            continue  # "Target dates were missed", "Block grants", "based in Zurich": the word, not the company
        following = _NEXT_CAPITALISED.match(text, m.end())
        if following and " " not in surface:
            word = following.group(1)
            if word in _COMPANY_WORDS and word not in _SAME_COMPANY_WORDS:
                continue  # "Tidewater Systems" is another company than the listed "Tidewater"
            if is_first_name(surface) and not is_common_word(word):
                continue  # "Dana Whitlock" is a person, not the listed "Dana"
        company, division = ref.entity_lookup[surface]
        out.append(Mention(m.start(), m.end(), company, division, seeded=True))
    return out


_TICKER_AFTER = re.compile(r"\s*:\s*\[?[A-Z]{1,5}\b")
_IN_PLACE = re.compile(r"\b(?:in|near|outside|across|around)\s+$")
# "Qantas Group", "Bosch Group": the listed company under its group name.
_SAME_COMPANY_WORDS = frozenset({"Group", "Holdings"})
_NEXT_CAPITALISED = re.compile(r" ([A-Z][a-z][\w'-]*)")


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \"'(")
    return not before or before.endswith((".", "!", "?", "\n", ":"))


def unseeded_mentions(text: str, taken: list[tuple[int, int]], people: frozenset[str] = frozenset()) -> list[Mention]:
    out = []
    for m in _NAME_RUN.finditer(text):
        if any(not (m.end() <= s or m.start() >= e) for s, e in taken):
            continue
        # A descriptor right before a listed name ("Edtech Platform Unacademy", "Parts Supplier
        # Bosch") is not a second company.
        if any(text[m.end() : s].strip() == "" and s >= m.end() for s, _ in taken):
            continue
        tokens = m.group(0).split()
        offset = 0
        while tokens and (_descriptor(tokens[0], len(tokens)) or tokens[0] in ("of", "&", "de", "du")):
            offset += len(tokens[0]) + 1
            tokens = tokens[1:]
        name = clean_company_name(" ".join(tokens))
        if not name or all(t.lower().strip(".,'’") in _NOT_NAMES for t in name.split()):
            continue
        if len(name) < 2 or name.isdigit() or not _could_be_company(name, people):
            continue
        start = m.start() + m.group(0).find(tokens[0]) if tokens else m.start()
        if _TITLE_BEFORE.search(text[max(0, start - 40) : start]):
            continue
        out.append(Mention(start, m.end(), name))
    return out


def _descriptor(token: str, remaining: int) -> bool:
    """A leading word that describes the company rather than names it: "Texas-based",
    "Australia's", "Retailer", "Sept." (remaining: how many words are left, this one included)."""
    bare = token.strip("'’.,")
    if bare.lower() in _NATIONALITIES and remaining >= 3:
        return False  # "American Lung Association", "British American Tobacco": part of the name
    if bare.lower() in _NOT_NAMES or bare.lower().endswith("-based"):
        return True
    if re.fullmatch(r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?", token):
        return True
    if remaining > 1 and re.search(r"['’]s$", token) and (is_place(token[:-2]) or is_common_word(token[:-2])):
        return True
    # "Retailer Macy's", "Automaker Stellantis": a trade word before the name. Other ordinary words
    # may open a real name ("Umbrella Pharmaceuticals"), so only trade words come off.
    return remaining > 1 and bare.lower() in _TRADE_WORDS


_NATIONALITIES = frozenset(
    "american british english german french canadian australian irish dutch swedish korean japanese italian "
    "spanish chinese indian european national royal".split()
)
_TRADE_WORDS = frozenset(
    """
    company firm retailer automaker carmaker chipmaker maker manufacturer bank lender insurer airline carrier
    startup start-up platform supplier giant group conglomerate publisher broadcaster studio developer operator
    provider brand chain e-tailer marketplace streamer telecom telco drugmaker pharma biotech fintech edtech
    """.split()
)


def _could_be_company(name: str, people: frozenset[str]) -> bool:
    """An unlisted name is not a company when it is a place or a person the article names
    ("Jassy" after "Andy Jassy"). Ordinary words ("Plans", "Over") are judged by the article,
    which knows whether it ever writes the word as a name (`resolve_subject`'s `common_word`)."""
    words = name.split()
    if is_place(name):
        return False
    return not (name in people or words[-1] in people)


# "Andy Jassy", "Mr Horrocks", "Prime Minister Scott Morrison": people, whose names (and surnames
# on their own later) are never the company.
_PERSON = re.compile(r"(?P<first>[A-Z](?<!\w.)[a-z]+)\s+(?:[A-Z]\.\s+)?(?P<last>[A-Z][a-z][\w'’-]*)\b")
_TITLED = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sir|Dame|Lord|Prime\s+Minister|President|Chancellor|Senator|Sen|Rep|Governor|Gov|"
    r"Minister|Secretary|Mayor|Judge|Justice|CEO|CFO|COO|CTO|[Cc]hief\s+[Ee]xecutive|[Cc]hairman|[Cc]hairwoman|"
    r"[Ff]ounder|[Ss]pokes(?:man|woman|person)|[Aa]nalyst|[Ee]conomist)\.?\s+)"
    r"(?:[A-Z][a-z]+\s+)?(?P<last>[A-Z][a-z][\w'’-]*)"
)


def people_named(text: str, ref: Reference) -> frozenset[str]:
    names: set[str] = set()
    firms: set[str] = set()
    for m in _PERSON.finditer(text):
        first, last = m.group("first"), m.group("last")
        if not is_first_name(first) or is_common_word(last) or last in _COMPANY_WORDS or is_place(last):
            continue
        if m.group(0) in ref.entity_lookup or last in ref.entity_lookup:
            continue  # "Morgan Stanley", "Charles Schwab": listed companies, not people
        names.update((last, f"{first} {last}"))
    for m in _TITLED.finditer(text):
        last = m.group("last")
        if last not in ref.entity_lookup and not is_common_word(last):
            names.add(last)
    # "Bhushan Sethi ... Sethi emphasizes": a name first written after another name that is no
    # word, place or company is a person's, first name known to the dictionary or not.
    speakers = set(_SPEAKER.findall(text))
    for m in _NAME_PAIR.finditer(text):
        first, last = m.group("first"), m.group("last")
        if last not in speakers:
            continue
        if (first.lower() in _NOT_NAMES or is_common_word(first) or is_place(first) or is_common_word(last)
                or last in _COMPANY_WORDS or first in ref.entity_lookup or m.group(0) in ref.entity_lookup
                or last in ref.entity_lookup):
            continue
        names.update((last, f"{first} {last}"))
    # "Edinburgh-based Baillie Gifford, which employs 1,800 people": a firm named after people,
    # wherever else the article names it.
    for m in _NAME_PAIR.finditer(text):
        if _ORGANISATION_AFTER.match(text, m.end()) or _ORGANISATION_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            firms.update((m.group("last"), m.group(0)))
    return frozenset(names - firms)


_ORGANISATION_AFTER = re.compile(r",?\s+which\s+(?:employs|has|had|was|is|owns|runs|manages|makes|operates)\b")
_ORGANISATION_BEFORE = re.compile(r"\w-based\s+$")
_SPEAKER = re.compile(
    r"([A-Z](?<![\w-].)[a-z][\w'’-]+)\s+(?:said|says|told|tells|added|adds|noted|notes|wrote|writes|"
    r"explained|explains|emphasi[sz]es|emphasi[sz]ed|argued|argues|believes|thinks)\b"
)


_NAME_PAIR = re.compile(r"(?P<first>[A-Z](?<![\w.-].)[a-z]+)\s+(?P<last>[A-Z][a-z][\w'’-]+)\b")


_COMPANY_WORDS = frozenset(
    """
    Group Holdings Bank Motors Airlines Airways Media Music Studios Games Entertainment Technologies Technology
    Labs Capital Partners Systems Networks Pharmaceuticals Energy Foods Brands Financial Insurance Health
    Communications Software Robotics Ventures Interactive Digital Industries Electric Steel Airlines Mobile
    Systems Solutions Health Healthcare Logistics Motor Semiconductor Semiconductors Biosciences Therapeutics
    """.split()
)


# A capitalised name after a job title is a person ("chief executive Elon Musk").
_TITLE_BEFORE = re.compile(
    r"(?:\bchief\s+(?:executive|\w+\s+officer)|\bCEO|\bCFO|\bCOO|\bCTO|\bpresident|\bfounder|\bco-founder|\bchairman|"
    r"\bchairwoman|\bchair|\bspokesperson|\bspokesman|\bspokeswoman|\bhead|\bdirector|\bmanager|\bexecutive|\bofficer|"
    r"\banalyst|\bminister|\bsenator|\bgovernor|\bmayor|\bjudge|\bMr\.|\bMs\.|\bMrs\.|\bDr\.)\s+$",
    re.I,
)


# "Focus on the Family (FOTF)", "American Lung Association (ALA)": a name with the acronym it will
# go by. The initials must spell the acronym, so "Intel (INTC)" (a ticker) and "(AP)" are no match.
_DEFINED_NAME = re.compile(
    r"(?P<name>[A-Z][\w&'’.-]*(?:\s+(?:(?:of|on|for|the|and|de|du|&)\s+)*[A-Z][\w&'’.-]*){1,6})\s+\((?P<acronym>[A-Z]{2,7})\)"
)
_CONNECTORS = frozenset({"of", "on", "for", "the", "and", "de", "du", "&"})


def defined_names(text: str) -> list[Mention]:
    """Names an article defines with their acronym: an organisation, whatever its words ("Focus on
    the Family" is two ordinary words and a connector on its own)."""
    out = []
    for m in _DEFINED_NAME.finditer(text):
        words = m.group("name").split()
        acronym = m.group("acronym")
        # The shortest tail of the run whose initials (connectors optional) spell the acronym.
        for first in range(len(words) - 1, -1, -1):
            tail = words[first:]
            if tail[0].lower() in _CONNECTORS:
                continue
            full = "".join(w[0] for w in tail).upper()
            bare = "".join(w[0] for w in tail if w.lower() not in _CONNECTORS).upper()
            if acronym in (full, bare):
                start = m.start("name") + m.group("name").index(" ".join(tail))
                name = clean_company_name(" ".join(tail))
                out.append(Mention(start, m.end("name"), name))
                break
    return out


def opening_company(sentence: str, people: frozenset[str], accept_name, common_word) -> str | None:
    """An unlisted company that opens the sentence as its subject ("Leicestershire County Council
    has ...", "Archiact, the VR developer, said ..."), or None."""
    defined = defined_names(sentence[:120])
    if defined and not sentence[: defined[0].start].strip(" \"'") and _ACTS.match(sentence, defined[0].end):
        return defined[0].company
    run = _NAME_RUN.match(sentence, len(sentence) - len(sentence.lstrip(" \"'")))
    if run is None:
        return None  # most sentences: no capitalised name where they start
    # The name must act or take an apposition right after the run (the check at the end): tested
    # first because it is cheap and rules out most sentences ("Analysts said ..." passes, "Several
    # employees described ..." does not). Any name found below ends where the run ends.
    if not (_ACTS.match(sentence, run.end()) or _APPOSITION.match(sentence, run.end())):
        return None
    found = unseeded_mentions(sentence[: run.end()], [], people)
    if not found:
        return None
    first = found[0]
    if sentence[: first.start].strip(" \"'") or common_word(first.company):
        return None
    if " " not in first.company and (is_english_word(first.company) or is_gerund(first.company)):
        return None  # "Restructuring will ...": a word, whatever its frequency
    if _ACTS.match(sentence, first.end) or _APPOSITION.match(sentence, first.end):
        return first.company
    return None


# "the top four IT firms": in capitals these are acronyms (information technology), not pronouns.
_ACRONYMS = frozenset({"IT", "WE"})


def anaphor_mentions(text: str) -> list[Mention]:
    return [Mention(m.start(), m.end(), None, anaphor=m.group(0).lower()) for m in _ANAPHOR.finditer(text)
            if m.group(0) not in _ACRONYMS]


# Where one clause ends and the one holding the cut begins: the cut's subject
# is the first name after the last of these ("Reuters reported that Zephyr
# will cut", "Blizzard bears the brunt as Microsoft cuts").
_CLAUSE_BREAK = re.compile(
    r"\b(?:said|says|say|told|tells|reported|reports|announced|announces|confirmed|confirms|disclosed|discloses|"
    r"according\s+to|while|whereas|when|because|though|although|but|that|which|who|after|before)\b|[;:]|\s-\s|"
    + AS_CONJUNCTION,
    re.I,
)


# A name that is plainly the one acting: "Zephyr Robotics said", "Zephyr
# will cut", "Zephyr Inc. is laying off".
_ACTS = re.compile(
    r"(?:'s)?(?:\s*\([A-Z]{2,6}\))?\s*,?\s*(?:said|says|will|would|is|are|was|has|have|had|plans|planned|announced|announces|confirmed|"
    r"cut|cuts|laid|lays|eliminated|eliminates|let|to\s+(?:cut|lay|eliminate|shed|slash|trim|reduce)|"
    r"followed|began|begins|started|starts|joined|joins|also|told|tells|informed|notified|disclosed|revealed|reveals|unveiled|unveils|"
    r"employees|workers|staff|staffers)\b"
)
_ACTS_ANY_CASE = re.compile(_ACTS.pattern, re.I)
# "according to a memo reviewed by Business Insider": whoever saw or told the news.
_CREDITED = re.compile(
    r"\b(?:according\s+to|per|reviewed\s+by|reported\s+by|seen\s+by|obtained\s+by|cited\s+by|told|via|"
    r"confirmed\s+to|said\s+to)\s+(?:the\s+)?$",
    re.I,
)
_REPORTS = re.compile(r"\s+(?:has\s+|had\s+|first\s+|also\s+|earlier\s+)?(?:report(?:ed|s)|revealed|reveals)\b")


# "Mylan revealed in a federal filing that it will cut": a company telling its own news.
_OWN_NEWS = re.compile(r"[^.;]{0,40}?\bthat\s+it\b")


def _reports_on_others(text: str, end: int) -> bool:
    """"Sifted reported the cuts": the name is who tells the news, unless what it tells is its own."""
    told = _REPORTS.match(text, end)
    return bool(told) and not _OWN_NEWS.match(text, told.end())


def credits_the_news(text: str, mention: Mention, ref: Reference) -> bool:
    """The mention is the outlet a story is credited to ("Reuters reported", "according to the
    Associated Press"), not a company the sentence is about."""
    return bool(_CREDITED.search(text, 0, mention.start)) or (
        bool(_REPORTS.match(text, mention.end)) and _is_news_outlet(mention.company, ref))


def _is_news_outlet(company: str, ref: Reference) -> bool:
    listed = ref.companies.get(company)
    return listed is not None and (listed.industry or "").lower() in ("media", "news", "publishing")
# "Unity, the maker of ...", "Block, which owns ...": a name with an appositive is a name.
_APPOSITION = re.compile(r",\s+(?:the|a|an|which|whose|who|one|owner|maker|parent|operator)\b")
# "layoffs at Zephyr", "cuts Tuesday by Talisman Energy": the name where the cut happens.
_CUT_AT = re.compile(
    r"\b(?:layoffs|lay-offs|cuts|job\s+cuts|reductions|redundancies)\s+"
    r"(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|this\s+week)\s+)?(?:at|from|by)\s+$",
    re.I,
)


@dataclass(frozen=True)
class Subject:
    mention: Mention | None
    needs_context: bool = False  # the sentence points back at a company named elsewhere


def _first_named(mentions: list[Mention], before: int, seeded_only: bool) -> Mention | None:
    named = [m for m in mentions if m.anaphor is None and m.end <= before and (m.seeded or not seeded_only)]
    return min(named, key=lambda m: m.start) if named else None


def resolve_subject(masked: str, trigger_start: int, ref: Reference, accept_name=lambda name: True,
                    common_word=lambda name: False, people: frozenset[str] = frozenset()) -> Subject:
    """Who is cutting, read from the (background-free) sentence.

    `accept_name` says whether an unlisted name is trusted on its own; `common_word` rules one out
    whatever follows it ("Tariffs have ..." in an article that also writes "the tariffs")."""
    seeded = seeded_mentions(masked, ref)
    # "Reuters reported the first round of layoffs as Unity ...": the outlet telling the news.
    seeded = [m for m in seeded
              if not (_REPORTS.match(masked, m.end)
                      and (_is_news_outlet(m.company, ref) or any(o.start > m.end and o.company != m.company for o in seeded)))
              and not _CREDITED.search(masked, 0, m.start)]
    anaphors = [a for a in anaphor_mentions(masked) if not any(a.start < m.end and m.start < a.end for m in seeded)]
    taken = [(m.start, m.end) for m in seeded] + [(a.start, a.end) for a in anaphors]
    defined = [d for d in defined_names(masked) if not any(d.start < e and s < d.end for s, e in taken)]
    taken += [(d.start, d.end) for d in defined]
    unseeded = defined + [m for m in unseeded_mentions(masked, taken, people)
                if not common_word(m.company) and not _reports_on_others(masked, m.end)
                and (accept_name(m.company) or _ACTS.match(masked, m.end) or _CUT_AT.search(masked, 0, m.start))]
    candidates = sorted(seeded + unseeded + anaphors, key=lambda c: c.start)

    before = [c for c in candidates if c.end <= trigger_start]
    if before:
        clause_start = 0
        for m in _CLAUSE_BREAK.finditer(masked, 0, trigger_start):
            clause_start = m.end()
        in_clause = [c for c in before if c.start >= clause_start]
        chosen = in_clause[0] if in_clause else before[0]
        if chosen.anaphor is None:
            return Subject(chosen)
        # "Zephyr said it would cut": "it" is the company named first.
        # "Andy Jassy said the company would cut": a person, not the company,
        # so only a known company name counts there.
        plain_pronoun = chosen.anaphor in ("it", "we", "they")
        earlier = _first_named(before, chosen.start, seeded_only=not plain_pronoun)
        if earlier is not None:
            return Subject(earlier)
        first = before[0]
        if first.anaphor is not None and first is not chosen:
            chosen = first
        if chosen.anaphor == "they" and _GENERIC_SUBJECT.search(masked[:trigger_start]):
            return Subject(None)
        return Subject(None, needs_context=True)
    if _GENERIC_SUBJECT.search(masked[:trigger_start]):
        return Subject(None)
    for c in candidates:
        if c.start > trigger_start and _STRONG_BREAK.search(masked, trigger_start, c.start):
            break  # "The layoffs extend beyond ..., as figures within Blizzard step down": another clause
        if c.anaphor is not None:
            return Subject(None, needs_context=True)
        if c.seeded:
            return Subject(c)
        # After the cut, an unknown name must be where the cut happens:
        # "layoffs at Zephyr", "Zephyr's layoffs".
        before_text = masked[max(0, c.start - 12) : c.start]
        if re.search(r"\b(?:at|from|of|by|within)\s+$", before_text) or masked[c.end : c.end + 2] == "'s":
            return Subject(c)
    return Subject(None, needs_context=True)


# Between these the sentence turns to another subject ("Blizzard bears the
# brunt as Microsoft cuts..."); a unit named across one is not the unit cut.
_STRONG_BREAK = re.compile(AS_CONJUNCTION + r"|\b(?:while|whereas|though|although|but|because|after|before)\b|;|\s-\s", re.I)
# Between companies a plain ", and" also starts a new cut ("UPS will cut
# 12,000 jobs, and PayPal 2,500"); between units it only continues a list.
_COMPANY_BREAK = re.compile(_STRONG_BREAK.pattern + r"|,\s+and\s+(?=[A-Z])", re.I)
# A comma clause that describes a unit rather than naming one that is cut:
# "its Platforms and Devices division, the group responsible for Android".
_DESCRIPTIVE = re.compile(
    r"^\s*(?:(?:the|a)\s+(?:[\w-]+\s+){0,3}?(?:group|unit|team|division|business|organization|arm|studio|company|"
    r"publisher|maker|service|developer)\s+(?:responsible|behind|that|which|known|whose|it|best)|responsible\s+for|"
    r"home\s+to|maker\s+of|known\s+for)\b",
    re.I,
)
_RELATIVE = re.compile(r"^\s*(?:which|that|who|whose)\b", re.I)
# "cut jobs across divisions, including Instagram and WhatsApp": units in a
# partial list count only when the sentence names no unit outright.
_INCLUDING = re.compile(
    r"^\s*(?:including|such\s+as|among\s+them|mostly\s+in|mainly\s+in|"
    r"with\s+(?:the\s+)?(?:heaviest|most|biggest|largest|deepest|hardest|bulk|majority))\b",
    re.I,
)
# A unit being closed, sold or spun off is what happens to it, not where the
# stated headcount is cut.
_DISPOSAL_BEFORE = re.compile(
    r"\b(?:clos(?:e|es|ed|ing)|shut(?:s|ting)?\s+down|shutter(?:s|ed|ing)?|wind(?:s|ing)?\s+down|wound\s+down|"
    r"sell(?:s|ing)?|sold|spin(?:s|ning)?\s+off|spun\s+off|spin-off\s+of|sale\s+of|exit(?:s|ed|ing)?|"
    r"phas(?:e|es|ed|ing)\s+out|divest\w*|cancel\w*|disband\w*|"
    # "since it completed its purchase of video game maker Activision Blizzard": what was bought.
    # Not "acquired", which also describes where a cut is ("at the recently acquired Activision").
    # Four words: "maker Activision" before "Blizzard", the alias inside the longer name.
    r"purchase\s+of|acquisition\s+of|takeover\s+of|buyout\s+of|bought)\s+(?:(?:its|the|their|of)\s+)*(?:[\w-]+\s+){0,4}$",
    re.I,
)
_SEGMENT_SPLIT = re.compile(r",\s|;\s*|:\s|\s[—–-]\s|—|\(|\)")
# A lower-case function named as a unit: "its customer support staff".
_LOWER_UNIT = re.compile(
    r"(?:\b(?:its|their|the\s+company's|the\s+firm's|the\s+bank's|the\s+group's)\s+|[A-Z][\w&.-]*'s\s+)"
    # "its U.K. general-insurance unit", "its U.S. commercial business": a place before the unit
    # says where the unit is, not what it is.
    r"(?:(?P<place>U\.S\.|U\.K\.|US|UK|EU|[A-Z][a-z]+)\s+)?"
    r"(?P<name>[a-z][a-z-]+(?:\s+(?:and\s+)?[a-z][a-z-]+){0,2}?)\s+"
    r"(?P<unit>division|unit|team|organization|organisation|department|group|staff|business|operations?|"
    r"company|bank|workforce|arm|segment)s?\b"
)
# "200 jobs in product development", "300 jobs in the government sales team": the function where
# the jobs are, named right after them. Only names ending in a business function count (a place,
# "in October" or "in total" do not).
_JOBS_IN_FUNCTION = re.compile(
    r"\b(?:jobs|positions|roles|posts|staff|employees|workers|people)\s+in\s+"
    r"(?:the\s+)?(?P<name>[a-z][a-z-]+(?:\s+(?:and\s+)?[a-z][a-z-]+){0,2}?)"
    r"(?:\s+(?:team|unit|division|department|business|group|arm|function|organi[sz]ation)s?)?"
    # not the first of a list ("in leveraged finance, loan syndications and sales")
    r"(?=\s+(?:in|at|across|as|by|over)\b|,(?!\s+[a-z]+\s+[a-z]+(?:,|\s+and\b))|[.;]|$)"
)
# "... and 100 jobs in its asset management unit": a unit with its own count, however far from the verb.
_COUNT_IN_BEFORE = re.compile(r"\d[\d,]*\s+(?:[\w-]+\s+)?(?:jobs|positions|roles|posts|staff|employees|workers|people)\s+(?:in|at|from)\s+$")
_FUNCTION_HEADS = frozenset(
    """
    development engineering sales marketing manufacturing research finance accounting support service services
    recruiting recruitment design production logistics compliance legal trading banking lending advertising
    editorial newsroom procurement consulting retail wholesale underwriting claims
    """.split()
)
# "Zomato-owned Blinkit fired 1,500": the owner is the company named, the business it owns the unit.
_OWNED_UNIT = re.compile(r"\w-owned\s+(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*)")
# "Reorganization of manufacturing operations in California and Germany will eliminate about 750
# positions": the function being reorganised is where the jobs go.
_REORGANISED_FUNCTION = re.compile(
    r"\b(?:[Rr]eorgani[sz](?:ation|ing)|[Rr]estructuring|[Cc]onsolidat(?:ion|ing)|[Oo]verhaul(?:ing)?)\s+(?:of\s+)?"
    r"(?:its\s+|the\s+|their\s+)?(?P<name>[a-z][a-z-]+)\s+(?:operations|organi[sz]ation|network|function)\b"
)
# "350 R&D jobs", "250 investment banking jobs": a function named between the figure and the jobs.
_FUNCTION_JOBS = re.compile(
    r"\d[\d,.]*\s+(?:\w+\s+)?(?P<name>R&D|research\s+and\s+development|investment[\s-]banking|retail[\s-]banking)\s+"
    r"(?:jobs|positions|roles|staff|employees|workers)\b|"
    r"\b(?:jobs|positions|roles)\s+in\s+(?:drug\s+|pharma(?:ceutical)?\s+)?(?P<name2>research\s+and\s+development|R&D|investment\s+banking)\b",
    re.I,
)
_LOWER_UNIT_REACH = 50
_GENERIC_UNIT_WORDS = frozenset(
    """
    entire whole global worldwide corporate own other remaining broader larger existing main core new small affected
    various several multiple internal overall total current full-time part-time salaried hourly local leadership
    management executive senior top wider big biggest largest smaller same former u.s. domestic international
    combined respective home office field frontline front-line regional
    parent holding sister factory plant mill warehouse store branch retail-store
    """.split()
)
# An unknown unit introduced by an appositive: "Weta Digital, the visual
# effects tools group it bought".
_APPOSITIVE_UNIT = re.compile(
    r"(?P<name>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4}),\s+(?:the|its|a)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:unit|group|division|studio|business|subsidiary|arm|organization|organisation|lab|labs)\b"
)
# "cut 600 positions in Meta Superintelligence Labs": a capitalised name
# after "in" is a unit when it ends like one (and not a place: "in New York").
_IN_NAMED_UNIT = re.compile(
    r"\b(?:in|at|within|across|inside)\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w&.'-]*(?:\s+(?:&\s+|and\s+|of\s+)?[A-Z][\w&.'-]*){0,5})"
)
_UNIT_LIKE = frozenset(
    """
    Labs Lab Studios Studio Group Division Unit Services Technology Technologies Cloud Platform Platforms Operations
    Engineering Research Devices Stores Games Entertainment Media Networks News Solutions Systems Products Sales
    Marketing Intelligence Superintelligence Hardware Software Ventures Innovation Experiences
    """.split()
)
_WORD = re.compile(r"[A-Z][\w&.'-]*")


_COORDINATION = re.compile(
    rf"\s*(?:{_UNIT_WORD}\s*)?,?\s*(?:and|&|as\s+well\s+as|or)\s+(?:(?:its|the|their|at|in|across)\s+)*", re.I
)


def _coordinated(text: str, a: "DivisionHit", b: "DivisionHit") -> bool:
    first, second = (a, b) if a.start < b.start else (b, a)
    if first.end > second.start:
        return False
    return bool(_COORDINATION.fullmatch(text, first.end, second.start))


def _adds_words(text: str, start: int, end: int, covered: list, aliases: set[str]) -> bool:
    for m in _WORD.finditer(text, start, end):
        inside = any(h.start <= start + (m.start() - start) < h.end for h in covered)
        if not inside and m.group(0).lower() not in aliases:
            return True
    return False


_NAME_CONTINUES = re.compile(
    r"\s+(?:for|of)\s+[A-Z][\w&'-]*(?:\s+(?:(?:and|&|for|of)\s+)?[A-Z][\w&'-]*)*|"
    rf"(?:\s+[A-Z][\w&'-]*)+(?=\s+{_UNIT_WORD}\b)"
)


def clause_window(masked: str, trigger_start: int, between_companies: bool = False) -> tuple[int, int]:
    start, end = 0, len(masked)
    for m in (_COMPANY_BREAK if between_companies else _STRONG_BREAK).finditer(masked):
        if m.end() <= trigger_start:
            start = m.end()
        elif m.start() >= trigger_start:
            end = m.start()
            break
    return start, end


def _excluded_spans(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(spans that never name the cut unit, spans of partial lists)."""
    spans, partial = [], []
    pos = 0
    pieces = []
    for m in _SEGMENT_SPLIT.finditer(text):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(text)))
    for i, (start, end) in enumerate(pieces):
        piece = text[start:end]
        if _RELATIVE.match(piece):
            spans.append((start, end))
        elif _INCLUDING.match(piece):
            partial.append((start, len(text)))
        elif _DESCRIPTIVE.match(piece) and i > 0:
            spans.append((start, len(text)))
            break
    return spans, partial


def find_divisions(text: str, masked: str, trigger_start: int, company: str, ref: Reference,
                   subject: Mention | None, trigger_end: int | None = None) -> list[DivisionHit]:
    """Units of `company` named where the sentence reports the cut, most
    specific only: a unit disappears when one of its sub-units is named."""
    lo, hi = clause_window(masked, trigger_start)
    excluded, partial = _excluded_spans(text)

    def usable(start: int, end: int) -> bool:
        if start < lo or end > hi or masked[start:end].strip() == "":
            return False
        if _DISPOSAL_BEFORE.search(masked[max(0, start - 50) : start]):
            return False
        return not any(s <= start < e for s, e in excluded)

    hits: list[DivisionHit] = []
    for regex, lookup, folded in ref.division_matchers.get(company, ()):
        for m in regex.finditer(masked):
            surface = m.group(0)
            if not usable(m.start(), m.end()) or not _in_unit_position(masked, m.start(), m.end(), surface):
                continue
            longer = _NAME_CONTINUES.match(masked, m.end()) if surface[:1].isupper() else None
            if longer:
                # "Azure for Operators" is its own unit, not Azure; but in
                # "Azure for Operators and Mixed Reality" the name stops
                # where another listed unit begins.
                end = longer.end()
                for joint in re.finditer(r"\s+(?:and|&)\s+", masked[m.end() : end]):
                    at = m.end() + joint.end()
                    if any(rx.match(masked, at) for rx, _, _ in ref.division_matchers.get(company, ())):
                        end = m.end() + joint.start()
                        break
                hits.append(DivisionHit(m.start(), end, masked[m.start() : end], False))
                continue
            hits.append(DivisionHit(m.start(), m.end(), lookup[surface.lower() if folded else surface], True))
    if subject is not None and subject.division and subject.company == company and subject.start >= 0:
        hits.append(DivisionHit(subject.start, subject.end, subject.division, True))

    aliases = {company.lower()}
    if company in ref.companies:
        aliases.update(a.lower() for a in ref.companies[company].aliases)

    def add_unknown(start: int, end: int, name: str, outer_end: int | None = None) -> None:
        name = name.strip(" ,")
        low = name.lower()
        if not name or low in aliases or low in _NOT_NAMES or not usable(start, end):
            return
        if ref.entity_regex.fullmatch(name):
            return  # another company, not a unit of this one
        outer = outer_end or end
        overlapping = [h for h in hits if not (outer <= h.start or start >= h.end)]
        if overlapping:
            # "its North America Stores division" names more than the listed
            # "stores division"; "its AWS Physical Stores Technology team"
            # names nothing beyond listed names.
            inside = all(h.known and start <= h.start and h.end <= outer for h in overlapping)
            if not inside or not _adds_words(masked, start, end, overlapping, aliases):
                return
            for h in overlapping:
                hits.remove(h)
        hits.append(DivisionHit(start, end, name, False))

    for m in _UNKNOWN_UNIT.finditer(masked):
        add_unknown(m.start("name"), m.end("name"), m.group("name"), m.end())
    for m in _IN_NAMED_UNIT.finditer(masked):
        if m.group("name").split()[-1] in _UNIT_LIKE:
            add_unknown(m.start("name"), m.end("name"), m.group("name"))
    t_end = trigger_end if trigger_end is not None else trigger_start
    for m in _FUNCTION_JOBS.finditer(masked):
        group = "name" if m.group("name") else "name2"
        name = m.group(group)
        if re.fullmatch(r"(?i)research\s+and\s+development|r&d", name):
            name = "R&D"  # one unit, however the article spells it
        add_unknown(m.start(group), m.end(group), name.replace("-", " "))
    for m in _JOBS_IN_FUNCTION.finditer(masked):
        words = m.group("name").split()
        if words[-1].lower() in _FUNCTION_HEADS and not any(w in _GENERIC_UNIT_WORDS for w in words):
            add_unknown(m.start("name"), m.end("name"), m.group("name"))
    for m in _LOWER_UNIT.finditer(masked):
        words = m.group("name").replace("-", " ").split()
        # "its senior management team", "its global staff" say which staff; "its asset management
        # unit" names one (a generic word may end a name, not start it).
        generic = any(w in _GENERIC_UNIT_WORDS for w in words[:-1]) or (len(words) == 1 and words[0] in _GENERIC_UNIT_WORDS)
        if generic or words[-1] in ("based", "wide", "time"):
            continue  # "its office-based workforce", "its company-wide staff": which staff, not a unit
        place = m.group("place")
        if place and place not in ("U.S.", "U.K.", "US", "UK", "EU") and not is_place(place):
            continue
        # A lower-case unit only counts right beside the cut ("reduced its
        # customer support staff"); elsewhere it is usually someone's title
        # ("the head of its entertainment business said").
        counted_here = _COUNT_IN_BEFORE.search(masked[max(0, m.start() - 45) : m.start()])
        if (m.start() - t_end > _LOWER_UNIT_REACH or trigger_start - m.end() > _LOWER_UNIT_REACH) and not counted_here:
            continue
        # "its investment bank" is the bank's investment banking unit.
        suffix = " banking" if m.group("unit").lower() == "bank" else ""
        add_unknown(m.start("name"), m.end("name"), m.group("name") + suffix)
    for m in _APPOSITIVE_UNIT.finditer(text):
        add_unknown(m.start("name"), m.end("name"), m.group("name"))
    for m in _OWNED_UNIT.finditer(masked):
        add_unknown(m.start("name"), m.end("name"), m.group("name"))
    for m in _REORGANISED_FUNCTION.finditer(masked):
        if m.group("name").lower() in _FUNCTION_HEADS:
            add_unknown(m.start("name"), m.end("name"), m.group("name"))

    outright = [h for h in hits if not any(s <= h.start < e for s, e in partial)]
    if outright:
        hits = outright
    # "the devices unit behind Alexa": a unit named for what another unit
    # makes gives way to that unit; alone ("the group that runs its
    # Supercharger network") it is the best name there is.
    described = [h for h in hits if _DESCRIBED_BEFORE.search(masked[max(0, h.start - 30) : h.start])]
    if described and len(described) < len(hits):
        hits = [h for h in hits if h not in described]

    # A listed unit named as the subject ("Reality Labs layoffs hit its VR
    # and Horizon teams") contains the unlisted teams named after the cut.
    framing = [h for h in hits if h.known and h.end <= trigger_start]
    if framing:
        parent = framing[-1].name
        nested = [replace(h, parent=parent) for h in hits if not h.known and h.start >= trigger_start]
        if nested:
            hits = [h for h in hits if h.known and h.name != parent or not h.known and h.start < trigger_start] + nested
    drop = set()
    for hit in hits:
        if not hit.known:
            continue
        for ancestor in ref.ancestors(company, hit.name):
            # "its Assistant group and its Devices and Services organization"
            # names two units cut side by side, even if one contains the other.
            if not any(h.name == ancestor and _coordinated(masked, h, hit) for h in hits):
                drop.add(ancestor)
    seen: set[str] = set()
    result = []
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.name in drop or hit.name in seen:
            continue
        seen.add(hit.name)
        result.append(hit)
    return result


# "the devices unit behind Alexa and Echo": what a unit makes is not a unit.
_DESCRIBED_BEFORE = re.compile(
    r"\b(?:behind|responsible\s+for|makes?|making|builds?|building|runs?|running|oversees|overseeing|owns|sells)\s+(?:the\s+|its\s+)?$",
    re.I,
)


# After a unit's name these make it a product ("Xbox projects", "Alexa
# voice assistant"), not the unit where people are cut.
_PRODUCT_AFTER = re.compile(
    r"\s+(?:projects?|games?|consoles?|headsets?|products?|series|titles?|franchises?|brand|apps?|stores?|speakers?|"
    r"assistant|subscribers|users|customers|creators|streamers|sales|revenue|prices?|phones?|cars|shows?|content|"
    r"stations|chargers|gadgets|launch|releases?)\b",
    re.I,
)


def _in_unit_position(text: str, start: int, end: int, surface: str) -> bool:
    if _PRODUCT_AFTER.match(text, end):
        return False
    # Proper names ("Reality Labs", "AWS") stand on their own; ordinary words
    # ("devices", "retail") only count where a unit is being named.
    if surface[:1].isupper() and not (start == 0 or text[:start].rstrip().endswith((".", '"'))):
        return True
    if _POSITION_BEFORE.search(text[max(0, start - 40) : start]):
        return True
    return bool(_UNIT_AFTER_NEAR.match(text, end)) or bool(re.match(rf"\s+{_UNIT_WORD}\b", text[end:], re.I))
