"""Why a cut is made, in the categories Challenger, Gray & Christmas uses for its monthly counts.

A cut gets one of: artificial intelligence, restructuring, cost-cutting, closing, merger, market
conditions, performance-based, or other. The reason is read from cue words, in the sentence that
states the cut and in the sentences around it, because articles often give the reason a
paragraph or two after the figure ("The chief executive said the cuts were part of a
reorganization"):

Cues, by category:

- artificial intelligence: "AI", "artificial intelligence", "automation", "generative", "machine
  learning", "chatbots", "large language models", "AI agents/tools";
- restructuring: "restructuring", "reorganization", "streamline", "simplify", "layers",
  "bureaucracy", "consolidate", "(re)align", "line teams up with", "nimble", "leaner",
  "priorities", overlapping or duplicated work, "right-size", "strategic change", fewer managers;
- cost-cutting: "cost(s)", "expenses", "savings", "save $...", "budget", "overhead", "conserve
  cash", spending running ahead of revenue, more than it "could pay for";
- closing: closing, shutting down, shuttering or winding down stores, plants, offices, sites,
  studios, a business or a unit; "closure"; "stop publishing"; "cease operations";
- merger: "merger", "acquisition", "newly acquired", an acquired company or studio,
  "post-merger", integrating an acquired business, "newly combined", "since/after the deal";
- market conditions: weak, slowing or falling demand, sales, revenue, orders or volumes;
  "economy"/"economic", "slowdown", "downturn", "slump in", "recession", "uncertainty",
  "interest rates", "inflation", "tariffs", "market conditions", "housing market", customers
  tightening budgets, "do more with less"; a pandemic or travel far below normal;
- performance-based: "low performers", "underperforming", performance reviews, management or
  expectations, not meeting expectations, "rated poorly".

Each sentence in the window adds its weight to every category it has a cue for: the cut
sentence 3, the next sentence 2, the two after that and the one before 1 each, the headline 1.
The extractor leaves out neighbours that are background or name another listed company, and
blanks clauses about earlier cuts, so a reason given for an old round does not carry over. A cue
after a negation in its clause ("not about cutting costs", "rather than about performance")
does not count. The category with the most weight wins; a tie goes to the more specific
category, in the order performance-based, closing, merger, artificial intelligence,
restructuring, market conditions, cost-cutting (cost words turn up in almost every business
story, so they decide least). No cue at all: "other". The facts of one cut in one article add
up their weights before the choice.

Two readings are left out on purpose:
- "efficiency" is not a cue for artificial intelligence: business news uses it for cuts to
  management layers ("year of efficiency"), which are restructuring, not automation; an
  efficiency gain from AI tools is caught by the AI words themselves;
- AI as the destination of money ("shift spending toward artificial intelligence", "invest the
  savings in AI") or as the name of the unit cut ("its AI division") is not the reason either:
  it says where the money goes or who is cut, not why the jobs went.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

ARTIFICIAL_INTELLIGENCE = "artificial intelligence"
RESTRUCTURING = "restructuring"
COST_CUTTING = "cost-cutting"
CLOSING = "closing"
MERGER = "merger"
MARKET_CONDITIONS = "market conditions"
PERFORMANCE = "performance-based"
OTHER = "other"

# Most specific first: the order ties are broken in.
REASONS = (PERFORMANCE, CLOSING, MERGER, ARTIFICIAL_INTELLIGENCE, RESTRUCTURING, MARKET_CONDITIONS, COST_CUTTING, OTHER)

# Weight of a sentence by its distance from the cut sentence (negative: before it).
WEIGHTS = {0: 3, 1: 2, 2: 1, 3: 1, -1: 1}
TITLE_WEIGHT = 1

_AI_WORDS = r"(?:\bAI\b|\bA\.I\.|[Aa]rtificial\s+[Ii]ntelligence|[Aa]utomat\w+|[Gg]enerative|[Mm]achine\s+[Ll]earning|[Cc]hatbots?|\bLLMs?\b|[Ll]arge\s+[Ll]anguage\s+[Mm]odels?)"

_CUES: dict[str, re.Pattern] = {
    PERFORMANCE: re.compile(
        r"\blow[\s-]+perform\w*|\b(?:weak|poor|under|low)[\s-]?perform\w*|\bweakest\s+performers\b|"
        r"\bperformance[\s-]+(?:based|reviews?|management|concerns|expectations|ratings?|issues|problems)\b|"
        r"\b(?:not|n't)\s+(?:\w+\s+)?(?:meet|meeting|met)\s+(?:\w+\s+)?(?:performance|expectations)\b|"
        r"\b(?:on|for)\s+performance\b|\brated\s+(?:as\s+)?(?:poorly|low)\b",
        re.I,
    ),
    CLOSING: re.compile(
        r"\b(?:clos(?:e|es|ed|ing)|shut(?:s|ting)?\s+down|shutter(?:s|ed|ing)?|wind(?:s|ing)?\s+down|wound\s+down)\s+"
        r"(?:(?:the|its|their|a|an|\d+|several|dozens\s+of|some|all|about|more\s+than|[\w-]+)\s+){0,4}?"
        r"(?:stores?|plants?|factor(?:y|ies)|sites?|offices?|facilit(?:y|ies)|warehouses?|locations?|buildings?|studios?|"
        r"branch(?:es)?|centers?|centres?|mills?|hubs?|operations|business(?:es)?|units?|divisions?|services?|work)\b|"
        r"\bclosures?\b|\bstop\s+publishing\b|\bceas(?:e|ing)\s+operations\b",
        re.I,
    ),
    MERGER: re.compile(
        r"\bmergers?\b|\bacquisitions?\b|\bnewly\s+acquired\b|\bacquired\s+(?:company|business|teams?|studios?|publisher)\b|"
        r"\bpost-merger\b|\bintegrat\w+\s+(?:of|with)\s+(?:the\s+)?(?:newly\s+)?(?:acquired|purchased|bought)\b|"
        r"\b(?:newly\s+combined|combined\s+company)\b|\b(?:since|after)\s+the\s+(?:deal|purchase|takeover)\b",
        re.I,
    ),
    ARTIFICIAL_INTELLIGENCE: re.compile(_AI_WORDS + r"|\bAI[\s-]+(?:agents?|tools?)\b"),
    RESTRUCTURING: re.compile(
        r"\brestructur\w*|\breorgani[sz]\w*|\breorg\b|\bstreamlin\w*|\bsimplif\w*|\blayers\b|\bbureaucra\w*|"
        r"\bconsolidat\w*|\b(?:re)?align\w*|\bnimble\b|\bleaner\b|\bpriorit(?:y|ies)\b|\boverlap\w*|\bduplicat\w*|"
        r"\bright[\s-]?siz\w*|\borganizational\s+changes\b|\breview\s+of\s+(?:its|the)\s+(?:organi[sz]ation|structure)|"
        r"\bline\s+(?:\w+\s+){0,3}?up\s+with\b|\bstrategic\s+(?:change|shift|review)\b|"
        r"\b(?:fewer|reduc\w+\s+(?:the\s+number\s+of\s+)?|thin\w*\s+out\s+|remov\w+\s+)(?:managers|management)\b",
        re.I,
    ),
    COST_CUTTING: re.compile(
        r"\bcosts?\b|\bcost-cutting\b|\bexpenses?\b|\bsavings\b|\bsave\s+(?:about\s+|roughly\s+|some\s+|as\s+much\s+as\s+|up\s+to\s+)?\$|"
        r"\bbudgets?\b|\bconserv\w+\s+cash\b|\boverhead\b|"
        r"\bspending\s+(?:\w+\s+){0,2}?(?:ahead\s+of|outpac\w+|exceed\w*)|\bcould\s+(?:not\s+)?(?:pay\s+for|afford|support)\b",
        re.I,
    ),
    MARKET_CONDITIONS: re.compile(
        r"\b(?:weak\w*|slow\w*|soft\w*|lower|falling|declin\w+|slump\w*|reduced|sluggish|hurt)\s+(?:\w+\s+)?(?:demand|sales|revenue|orders|volumes?)\b|"
        r"\b(?:demand|sales|revenue|orders|volumes?|deliveries)\s+(?:\w+\s+){0,4}?(?:weaken\w*|slow\w*|fell|fall(?:s|ing)?|declin\w+|drop\w*|soften\w*|shrank|shrink\w*)\b|"
        r"\bslump\s+in\b|\becon(?:omy|omic|omies)\b|\bmacroeconomic\b|\bslowdown\b|\bdownturns?\b|\brecession\b|"
        r"\buncertainty\b|\buncertain\s+(?:economy|environment|outlook|times|market)\b|\binterest\s+rates\b|\binflation\b|\btariffs?\b|\bmarket\s+conditions\b|\bhousing\s+market\b|"
        r"\btighten\w*\s+(?:their\s+)?budgets\b|\bdo\s+more\s+with\s+less\b|"
        # demand that a pandemic took away (Challenger counted these apart in 2020; here they are
        # market conditions)
        r"\b(?:pandemic|coronavirus|covid(?:-19)?)\b|\b(?:travel|traffic|passenger\s+numbers)\s+(?:\w+\s+){0,3}?(?:below|down|collapsed?)\b",
        re.I,
    ),
}
# Money moving toward AI ("shift spending toward data centers for artificial intelligence")
# is where the savings go, not why the jobs went.
_AI_SPENDING = re.compile(
    r"\b(?:spend\w*|invest\w*|money|capital|resources|budgets?|savings|dollars)\s+(?:[\w$,-]+\s+){0,5}?"
    r"(?:toward|towards|on|into|in|for|to)\s+(?:[\w-]+\s+){0,3}?" + _AI_WORDS
)
# "its AI division", "the artificial intelligence organization": the name of the unit cut.
_AI_UNIT = re.compile(
    r"[\s-]+(?:research\s+)?(?:division|unit|organi[sz]ation|group|team|labs?|business|arm|department|org)\b", re.I
)
_NEGATION = re.compile(r"\b(?:not|never|rather\s+than|instead\s+of|unrelated\s+to|no\s+longer)\b|n't\b", re.I)
_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:but|while|and)\b|\bbut\b")


@lru_cache(maxsize=8192)
def sentence_cues(sentence: str) -> frozenset[str]:
    """The reason categories one sentence has a cue for (negated cues left out)."""
    found = set()
    spending = [(m.start(), m.end()) for m in _AI_SPENDING.finditer(sentence)]
    for reason, pattern in _CUES.items():
        for m in pattern.finditer(sentence):
            if _negated(sentence, m.start()):
                continue
            if reason == ARTIFICIAL_INTELLIGENCE and (
                any(s <= m.start() < e for s, e in spending) or _AI_UNIT.match(sentence, m.end())
            ):
                continue
            found.add(reason)
            break
    return frozenset(found)


def score(window: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Weight per category over (sentence, weight) pairs."""
    totals: dict[str, float] = {}
    for sentence, weight in window:
        for reason in sentence_cues(sentence):
            totals[reason] = totals.get(reason, 0.0) + weight
    return totals


def choose(totals: Mapping[str, float]) -> str:
    """The winning category, or "other" when nothing was cued."""
    best = OTHER
    for reason in REASONS[:-1]:
        if totals.get(reason, 0) > totals.get(best, 0):
            best = reason
    return best


def _negated(sentence: str, position: int) -> bool:
    before = sentence[max(0, position - 40) : position]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    return bool(_NEGATION.search(before))
