"""Fold the per-sentence candidates of one article into distinct cuts.

Articles repeat themselves: the headline, the lede and a later paragraph may
all describe the same cut, each adding a detail (the unit in one sentence, the
figure in another). Within one company:

- mentions of one unit (or of a unit and its parent) are one cut unless
  their figures contradict each other;
- a company-wide mention adds its figure and date to the unit cuts when that
  is unambiguous, and is otherwise a restatement or a part of them ("1,985 of
  them are in Washington"), never a second cut;
- company-wide mentions with no unit named are one cut: later, smaller
  figures are almost always breakdowns of the headline figure;
- a cut whose figure the article gives as a part of another ("including 400 at Twitch", "as part
  of the round": parts.py) stays a cut of its own unit and is linked to its whole
  (`part_of_index`): the whole figure from the same sentence, else the cut of the size the
  sentence names ("of the 9,000"), else the company-wide cut, else a cut of a unit above it;
  the whole's figure must be larger than the part's.

Dates: a fact takes the announcement date (and its precision) of the mention that gives its
figure, or of the first mention that states a date; and the effective period the finest of its
mentions state (earliest on a tie), dropped when it starts before the announcement's period.
"""

from __future__ import annotations

from dataclasses import replace

from . import reason as reasons
from .candidates import Candidate
from .dates import PRECISIONS, Period, period_start, quarter_of
from .model import CutFact
from .reference import Reference
from .status import more_advanced


def _depth(ref: Reference, c: Candidate) -> int:
    if not c.division:
        return 0
    return ref.depth(c.company, c.division) if c.division_known else 1


def _ancestors(c: Candidate) -> list[str]:
    return (c.division_path or "").split(" > ")[:-1]


def _related(ref: Reference, company: str, a: Candidate, b: Candidate) -> bool:
    x, y = a.division, b.division
    if x is None or y is None:
        return False
    if x.lower() == y.lower():
        return True
    if y in _ancestors(a) or x in _ancestors(b):
        return True
    # "Azure for Operators" in the headline, "Azure for Operators and
    # Mission Engineering" in the body.
    lx, ly = x.lower(), y.lower()
    return lx.startswith(ly + " ") or ly.startswith(lx + " ")


def _figure_rank(c: Candidate) -> tuple:
    f = c.figure
    if f is None:
        return (-1, -1, -1, 0)
    # A count the article states beats one worked out from a percentage;
    # then the most exact; then the largest, since the headline figure is
    # the total and later ones tend to be its parts.
    return (0 if f.derived else 1, f.precision, f.low or 0, c.sentence_index >= 0)


def _earlier_total(cluster: list[Candidate], best: Candidate) -> Candidate:
    """The total the article gave first, over a more exact but smaller figure it gave later.

    "plans to cut almost 600 jobs ... the move would put around 475 jobs at risk (at one site)":
    a later figure wholly below an earlier stated one is a breakdown of it, however exact. Only
    stated figures count as totals ("nearly", "more than", "about" or exact; not "up to", a vague
    word or a share of the workforce); figures whose ranges overlap are readings of one figure,
    and there the most exact still wins."""
    if best.figure is None or best.figure.high is None:
        return best
    totals = [c for c in cluster
              if c.figure is not None and c.figure.low is not None and not c.figure.derived and c.figure.precision >= 2
              and c.sentence_index < best.sentence_index and c.figure.low > best.figure.high]
    return max(totals, key=_figure_rank) if totals else best


def _part_and_whole(a: Candidate, b: Candidate) -> bool:
    """One is the other's whole, stated in the same sentence."""
    if a.sentence_index != b.sentence_index or a.figure is None or b.figure is None:
        return False
    return any(x.part_of is not None and x.part_of.whole_start == y.figure.start for x, y in ((a, b), (b, a)))


def merge_candidates(candidates: list[Candidate], ref: Reference) -> list[CutFact]:
    by_company: dict[str, list[Candidate]] = {}
    for cand in candidates:
        by_company.setdefault(cand.company.lower(), []).append(cand)

    facts: list[CutFact] = []
    # Per fact, the fact it is a part of (both by position in `facts`, before sorting).
    wholes: dict[int, int] = {}
    share_ids: dict[tuple[int, int], int] = {}
    for group in by_company.values():
        company = group[0].company
        unit_clusters: list[list[Candidate]] = []
        for cand in sorted((c for c in group if c.division), key=lambda c: (-_depth(ref, c), c.sentence_index)):
            home = next(
                (cl for cl in unit_clusters
                 if any(_related(ref, company, cand, o) for o in cl) and all(cand.overlaps(o) for o in cl)
                 # units that split one stated figure stay apart
                 and not any(o.share_key is not None and o.share_key == cand.share_key for o in cl)
                 # nor does a part join its whole
                 and not any(_part_and_whole(cand, o) for o in cl)),
                None,
            )
            if home is None:
                unit_clusters.append([cand])
            else:
                home.append(cand)

        wide: list[Candidate] = []
        for cand in sorted((c for c in group if not c.division), key=lambda c: c.sentence_index):
            if not unit_clusters:
                wide.append(cand)
                continue
            compatible = [cl for cl in unit_clusters if all(cand.overlaps(o) for o in cl)]
            if cand.figure is not None and compatible and all(_unstated(cl) for cl in compatible) and \
                    cand.sentence_index < min(c.sentence_index for cl in compatible for c in cl):
                # The company-wide figure came first ("cuts about 9,000 jobs"),
                # the units later and without figures ("Xbox was among the
                # hardest hit"): those units are parts of one company-wide cut.
                wide.append(cand)
                unit_clusters = [cl for cl in unit_clusters if cl not in compatible]
                continue
            if compatible:
                _donate(cand, compatible, len(compatible) == len(unit_clusters))
            elif cand.figure is not None and cand.figure.low is not None and cand.figure.low > _largest(unit_clusters):
                wide.append(cand)  # a company total above every unit figure
            # else: a part of the unit cuts; nothing new

        clusters = unit_clusters + ([wide] if wide else [])
        first = len(facts)
        for cluster in clusters:
            facts.append(_to_fact(cluster, ref, share_ids))
        for i, cluster in enumerate(clusters):
            whole = _whole_of(i, clusters, facts[first:], ref)
            if whole is not None:
                wholes[first + i] = first + whole

    # A group of one shares nothing.
    sizes: dict[int, int] = {}
    for fact in facts:
        if fact.shared_headcount_group is not None:
            sizes[fact.shared_headcount_group] = sizes.get(fact.shared_headcount_group, 0) + 1
    facts = [replace(f, shared_headcount_group=None) if f.shared_headcount_group and sizes[f.shared_headcount_group] < 2 else f
             for f in facts]
    order = sorted(range(len(facts)), key=lambda i: (facts[i].evidence_start, facts[i].company, facts[i].division or ""))
    position = {old: new for new, old in enumerate(order)}
    return [replace(facts[i], part_of_index=position[wholes[i]]) if i in wholes else facts[i] for i in order]


def _figure_overlaps(figure, low: int | None, high: int | None) -> bool:
    return low is not None and high is not None and figure.low <= high and low <= figure.high


def _whole_of(i: int, clusters: list[list[Candidate]], facts: list[CutFact], ref: Reference) -> int | None:
    """The cluster (by position) whose cut cluster `i` is a part of, or None. See the docstring."""
    fact = facts[i]
    if fact.headcount_high is None:
        return None
    # The mentions that give the cut's figure as a part of something.
    linked = [c for c in clusters[i] if c.part_of is not None and c.figure is not None and c.figure.low is not None
              and _figure_overlaps(c.figure, fact.headcount_low, fact.headcount_high)]
    larger = [j for j, other in enumerate(facts)
              if j != i and other.headcount_high is not None and other.headcount_high > fact.headcount_high]
    ancestors = ref.ancestors(fact.company, fact.division) if fact.division else []
    ancestors = ancestors or (fact.division_path or "").split(" > ")[:-1]
    for cand in sorted(linked, key=lambda c: (c.sentence_index < 0, c.sentence_index)):
        link = cand.part_of
        if link.whole_start is not None:
            found = [j for j in larger if any(o.sentence_index == cand.sentence_index and o.figure is not None
                                              and o.figure.start == link.whole_start for o in clusters[j])]
        elif link.whole_value is not None:
            found = [j for j in larger if facts[j].headcount_low <= link.whole_value <= facts[j].headcount_high]
        else:
            found = [j for j in larger if facts[j].division is None or facts[j].division in ancestors]
        if found:
            # The company-wide cut first, then the nearest unit above.
            return min(found, key=lambda j: (facts[j].division is not None, -len(facts[j].division_path or "")))
    return None


def _unstated(cluster: list[Candidate]) -> bool:
    return not any(c.figure is not None for c in cluster)


def _largest(clusters: list[list[Candidate]]) -> int:
    return max((c.figure.high or 0 for cl in clusters for c in cl if c.figure is not None), default=0)


def _donate(cand: Candidate, clusters: list[list[Candidate]], covers_all: bool) -> None:
    """Lend a company-wide mention's figure and date to unit cuts.

    The figure moves only where its destination is unambiguous: a single
    unit, or units that came from one sentence and so already split one
    figure between them."""
    figureless = [cl for cl in clusters if not any(c.figure is not None for c in cl)]
    one_sentence = len({cl[0].sentence_index for cl in figureless}) == 1
    moves = cand.figure is not None and (len(clusters) == 1 or (covers_all and figureless == clusters and one_sentence))
    key = (cand.sentence_index, cand.figure.start) if moves and len(clusters) > 1 else None
    for cl in clusters:
        cl.append(replace(cand, figure=cand.figure if moves else None, share_key=key))


def _to_fact(cluster: list[Candidate], ref: Reference, share_ids: dict[tuple[int, int], int]) -> CutFact:
    units = [c for c in cluster if c.division]
    with_figure = [c for c in units if c.figure is not None]
    # A sub-unit named only in passing ("Xbox and ZeniMax teams are also
    # losing people") does not narrow a cut whose figure was given for the
    # parent unit.
    unit_pool = with_figure or units
    unit_source = max(unit_pool, key=lambda c: (_depth(ref, c), len(c.division or ""), c.sentence_index >= 0, -c.sentence_index)) if unit_pool else None
    figure_source = _earlier_total(cluster, max(cluster, key=_figure_rank))
    figure = figure_source.figure

    if unit_source is not None and unit_source.figure is not None and _figure_rank(unit_source) == _figure_rank(figure_source):
        primary = unit_source
    elif figure is not None:
        primary = figure_source
    else:
        primary = unit_source or min(cluster, key=lambda c: (c.sentence_index < 0, c.sentence_index))

    dated = [c for c in cluster if c.date_stated and c.announced_on is not None]
    date_source = primary
    if not primary.date_stated and dated:
        date_source = min(dated, key=lambda c: (c.sentence_index < 0, c.sentence_index))
    announced = date_source.announced_on
    effective = _effective(cluster, announced)

    pct = figure.pct if figure else None
    if pct is None:
        pct = next((c.figure.pct for c in cluster if c.figure is not None and c.figure.pct is not None), None)

    group = None
    if figure_source.share_key is not None and figure is not None:
        group = share_ids.setdefault(figure_source.share_key, len(share_ids) + 1)

    return CutFact(
        company=primary.company,
        division=unit_source.division if unit_source else None,
        division_path=unit_source.division_path if unit_source else None,
        headcount_low=figure.low if figure else None,
        headcount_high=figure.high if figure else None,
        headcount_text=figure.text if figure else None,
        workforce_pct=pct,
        announced_on=announced,
        quarter=quarter_of(announced),
        evidence=primary.evidence,
        evidence_start=primary.evidence_start,
        evidence_end=primary.evidence_end,
        confidence=_confidence(primary, figure_source, unit_source, cluster, ref),
        shared_headcount_group=group,
        status=_status(cluster),
        reason=_reason(cluster),
        location=_location(cluster, primary),
        announced_precision=date_source.announced_precision if announced is not None else None,
        effective_on=effective.start if effective else None,
        effective_precision=effective.precision if effective else None,
    )


def _effective(cluster: list[Candidate], announced) -> Period | None:
    """The finest effective period the mentions state (the earliest on a tie) that does not start
    before the announcement's period: "effective January 15" in a March article is past."""
    order = {p: i for i, p in enumerate(PRECISIONS)}
    stated = sorted({c.effective for c in cluster if c.effective is not None},
                    key=lambda p: (order[p.precision], p.start))
    return next((p for p in stated if announced is None or p.start >= period_start(announced, p.precision)), None)


def _status(cluster: list[Candidate]) -> str:
    # The mentions of one cut in one article add up: a headline's "plans to cut" and a body's
    # "employees were notified" make a cut that has happened.
    status = cluster[0].status
    for cand in cluster[1:]:
        status = more_advanced(status, cand.status)
    return status


def _location(cluster: list[Candidate], primary: Candidate) -> str | None:
    # The sentence that gives the figure, else the headline. Other sentences that name a place
    # mostly break the cut down ("1,985 of them are in Washington", "employees in the United
    # States will get severance"); the part's site is not the cut's.
    if primary.location:
        return primary.location
    return next((c.location for c in cluster if c.sentence_index < 0 and c.location), None)


def _reason(cluster: list[Candidate]) -> str:
    totals: dict[str, float] = {}
    for cand in cluster:
        for category, weight in cand.reasons:
            totals[category] = totals.get(category, 0.0) + weight
    return reasons.choose(totals)


def _confidence(primary: Candidate, figure_source: Candidate, unit_source: Candidate | None, cluster: list[Candidate],
                ref: Reference) -> float:
    score = 0.4
    if primary.company in ref.companies:
        score += 0.2
    if figure_source.figure is not None:
        score += {4: 0.2, 3: 0.17, 2: 0.14, 1: 0.1, 0: 0.05}.get(figure_source.figure.precision, 0.0)
    if unit_source is not None:
        score += 0.1 if unit_source.division_known else 0.07
    if any(c.company_explicit for c in cluster):
        score += 0.05
    if len({c.sentence_index for c in cluster}) > 1:
        score += 0.04
    return round(min(score, 0.99), 2)
