"""Where a cut stands: announced, planned or completed.

Three values, so that a table of cuts can tell a promise from a fact:

- **completed**: people have already gone or been told. The cut clause puts a cut verb in the
  past or perfect tense with no modal in front ("laid off 115 people on Tuesday", "has cut 4,000
  roles", "Microsoft cut roughly 1,000 jobs on Monday", "were let go"), or says the cut has begun
  ("began laying off", "started informing employees"). Not past: a verb in a relative clause
  ("employees whose positions were eliminated will get severance"), a bare "cut" after several
  subjects ("Unity, Twitch and Discord cut staff" is a present), and a noun ("the latest cut").
  The cut sentence, or one of the three after it, telling of notices already sent ("employees
  were notified", "were told by email", "notices started reaching inboxes", "lost their jobs",
  "lost access to internal systems") also makes it completed, unless that sentence is about
  another company or is background.
- **planned**: the cut is framed as a plan that lies ahead: a plan verb ("plans to cut",
  "expects to eliminate", "intends to reduce"), or a future verb ("will", "would", "to") with a
  horizon ("by the end of the year", "over the next three years", "over the coming months",
  "beginning in July", "next year"). A following sentence that gives the cuts such a horizon
  ("the reductions would take place over the coming months"), one of the two after the cut
  sentence, counts too.
- **announced**: everything else: the company said it is cutting or will cut, with no horizon
  and no sign yet that anyone has been told ("said on Tuesday it is cutting", "will cut 650
  jobs", "is laying off").

Completed wins over planned, and planned over announced, within one sentence and across the
sentences of one article that describe the same cut: a headline that says "plans to cut" and a
body that says "would cut" describe a plan; a body that then says "employees were notified"
describes a cut that has happened. Across outlets the marts rank them differently (completed >
announced > planned): there, a later report that the cut is under way outranks an earlier plan.
"""

from __future__ import annotations

import re

from .classify import find_triggers

ANNOUNCED = "announced"
PLANNED = "planned"
COMPLETED = "completed"
STATUSES = (ANNOUNCED, PLANNED, COMPLETED)

_RANK = {ANNOUNCED: 0, PLANNED: 1, COMPLETED: 2}

# The cut is under way, whatever the tense of the rest of the sentence.
_UNDER_WAY = re.compile(
    r"\b(?:began|begun|begins?|started|starts?|starting)\s+(?:(?:another|a|the|its|their)\s+(?:new\s+)?(?:round|wave)\s+of\s+)?"
    r"(?:laying\s+off|layoffs|cutting|eliminating|dismissing|notifying|informing|telling|sending\s+(?:out\s+)?(?:layoff\s+)?notices)\b",
    re.I,
)
# A modal, an infinitive, a negation or a present passive just before a verb takes it out of the past.
_NOT_PAST_BEFORE = re.compile(
    r"\b(?:will|would|wo|shall|could|may|might|must|should|to|not|never|does|do|did|can|be|being|is|are|am)\s+"
    r"(?:[\w-]+\s+){0,2}$|'ll\s+$|n't\s+(?:[\w-]+\s+){0,2}$",
    re.I,
)
# Verbs whose past form a cut clause uses. "cut", "shed" and "let" are also present forms, but
# with one company as the subject the present takes an -s, so the bare form reads as the past.
_PAST_FORMS = re.compile(
    r"(?:laid|cut|shed|let|eliminated|slashed|axed|trimmed|reduced|removed|sacked|fired|dismissed|downsized|"
    r"gutted|disbanded|lost)\b",
    re.I,
)
_PERFECT_OR_PASSIVE = re.compile(r"\b(?:has|have|had|were|was)\s+(?:(?:already|now|also|since|been|just|quietly)\s+)*$", re.I)
# A relative clause describes people or the company ("employees whose positions were
# eliminated will get severance", "Cisco, which has trimmed staff in past downturns"); it does
# not say this cut has happened.
_RELATIVE_BEFORE = re.compile(r"\b(?:who|whose|which|whom)\b[^,;:]*$", re.I)
# "Unity, Twitch and Discord cut staff": with several subjects the bare form is the present.
_AMBIGUOUS = re.compile(r"(?:cut|shed|let)\b", re.I)
_PLURAL_SUBJECT = re.compile(r"\band\s+[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*\s+$|\b(?:companies|firms|employers|they|we)\s+$")
# "the cut affects", "a cut of 100", "the eliminated roles": a noun or an adjective, not a verb.
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|those|these|this|that|of)\s+$", re.I)
# A verb in the past takes an object: a figure, a quantity, a determiner or the staff themselves.
_OBJECT_AFTER = re.compile(
    r"\s+(?:go\s+of\s+|off\s+)?(?:\d|(?:about|around|roughly|some|nearly|almost|approximately|more|over|up\s+to|as\s+many|"
    r"at\s+least|between|hundreds|thousands|dozens|several|a|an|the|its|their|his|her|another|most|half|jobs|positions|roles|"
    r"staff|workers|employees|people)\b)",
    re.I,
)

_PLAN_VERB = re.compile(
    r"\b(?:plans?|planning|intends?|intending|expects?|expected|aims?|aiming|prepares?|preparing|looks?|looking)\s+to\s+"
    r"(?:(?:\w+ly|further|also)\s+)?(?:cut|eliminate|lay|reduce|shed|slash|trim|dismiss|let|axe|remove|shrink|downsize|"
    r"make\s+(?:\w+\s+)?cuts|be\s+(?:cut|eliminated|laid))\b",
    re.I,
)
_FUTURE = re.compile(
    r"\b(?:will|would|shall|going\s+to|set\s+to|to\s+(?:cut|eliminate|lay|reduce|shed|slash|trim|dismiss|let|axe|remove|"
    r"shrink|expect|begin|start|be|take|come|leave|go))\b|'ll\b",
    re.I,
)
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_HORIZON = re.compile(
    r"\b(?:over|during|within|in)\s+the\s+(?:next|coming|following)\s+(?:\w+\s+)?(?:days|weeks|months|quarters?|years?)\b|"
    r"\bover\s+(?:the\s+)?(?:two|three|four|five|several|\d+)\s+(?:\w+\s+)?(?:years|quarters)\b|"
    r"\bby\s+the\s+end\s+of\b|\bbefore\s+the\s+end\s+of\b|"
    r"\b(?:starting|beginning)\s+(?:in|on|from|next|this)\b|"
    r"\bnext\s+(?:year|quarter|fiscal\s+year)\b|\blater\s+(?:this|in\s+the)\s+(?:year|quarter|month)\b|"
    rf"\bby\s+(?:fiscal\s+)?(?:20\d\d|{_MONTH})\b|\bthrough\s+(?:fiscal\s+)?20\d\d\b|"
    r"\bin\s+(?:phases|stages|several\s+waves)\b|"
    # "will cut 19,000 jobs in October": with a future verb (checked by the caller), a month ahead
    rf"\bin\s+(?:{_MONTH})\b",
    re.I,
)
# What a later sentence calls the cut when it goes on to say when it will happen.
_CUT_REFERENCE = re.compile(r"\b(?:reductions?|cuts|layoffs|job\s+losses|exits|departures|eliminations)\b", re.I)

# Sentences telling that people have already been told, or have already gone.
_TOLD = re.compile(
    r"\b(?:were|was|have\s+been|has\s+been|had\s+been)\s+(?:already\s+)?(?:notified|informed|laid\s+off|let\s+go|dismissed|fired|"
    r"told\s+by\s+(?:e-?mail|phone|letter))\b|"
    r"\blost\s+(?:their|his|her)\s+jobs\b|"
    r"\b(?:notices|notifications|e-?mails|calendar\s+invitations|meeting\s+invitations)\s+(?:\w+\s+){0,3}?"
    r"(?:started|began|went\s+out|arrived|were\s+sent|reached|landed)\b|"
    r"\breceiv(?:ed|ing)\s+(?:\w+\s+)?(?:notices|notifications|e-?mails)\s+(?:early|on|that|this|from|late)\b|"
    r"\b(?:learned|learning|told|discovered)\s+(?:\w+\s+){0,3}?(?:roles|jobs|positions)\s+(?:had\s+been|have\s+been|were)\s+"
    r"(?:eliminated|cut)\b|\blearned\s+their\s+fate\b|"
    r"\b(?:lost|losing)\s+access\b|\baccess\s+(?:\w+\s+){0,5}?(?:was|were|had\s+been)\s+(?:switched|shut|cut|turned)\s+off\b|"
    r"\baccess\s+(?:had\s+been|was|were)\s+(?:restricted|revoked)\b",
    re.I,
)
_NEGATED = re.compile(r"\b(?:not|never|yet\s+to)\b|n't\b", re.I)


def more_advanced(a: str, b: str) -> str:
    """The further along of two statuses, by the within-article order above."""
    return a if _RANK[a] >= _RANK[b] else b


def sentence_status(clause: str) -> str:
    """Status of a cut as one clause tells it (background already blanked)."""
    if _UNDER_WAY.search(clause) or _past_cut(clause):
        return COMPLETED
    if _PLAN_VERB.search(clause) or (_FUTURE.search(clause) and _HORIZON.search(clause)):
        return PLANNED
    return ANNOUNCED


def tells_completion(sentence: str) -> bool:
    """A sentence saying that staff have already been told or have gone."""
    for m in _TOLD.finditer(sentence):
        if not _NEGATED.search(sentence[max(0, m.start() - 30) : m.start()]):
            return True
    return bool(_UNDER_WAY.search(sentence))


def gives_horizon(sentence: str) -> bool:
    """A later sentence putting the cut in the future ("the reductions would take place over the
    coming months")."""
    return bool(_CUT_REFERENCE.search(sentence) and _FUTURE.search(sentence) and _HORIZON.search(sentence))


def _past_cut(clause: str) -> bool:
    for trigger in find_triggers(clause):
        words = clause[trigger.start : trigger.end]
        before = clause[max(0, trigger.start - 60) : trigger.start]
        if _RELATIVE_BEFORE.search(before):
            continue
        if re.match(r"(?:were|was)\s+let\s+go\b", words, re.I):
            return True
        verb = _PAST_FORMS.match(words)
        if verb is None or _NOT_PAST_BEFORE.search(before):
            continue
        if _PERFECT_OR_PASSIVE.search(before):
            return True  # "has cut", "were laid off", "had been eliminated"
        if _DETERMINER_BEFORE.search(before):
            continue
        if _AMBIGUOUS.match(words) and _PLURAL_SUBJECT.search(before):
            continue
        if _OBJECT_AFTER.match(clause, trigger.start + verb.end()):
            return True
    return False
