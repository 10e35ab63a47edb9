"""Fold the per-sentence candidates of one article into distinct cuts.

Articles repeat themselves: the headline, the lede and a later paragraph may
all describe the same cut, each adding a detail (the unit in one sentence, the
figure in another). Facts that cannot contradict each other are combined;
facts that can (two different units, two figures that do not overlap) stay
apart.
"""

from __future__ import annotations

from dataclasses import replace

from .candidates import Candidate
from .dates import quarter_of
from .model import CutFact
from .reference import Reference


def _related(ref: Reference, company: str, a: str, b: str) -> bool:
    return a == b or a in ref.ancestors(company, b) or b in ref.ancestors(company, a)


def _rank(c: Candidate, ref: Reference) -> tuple:
    # Most exact figure, then most specific unit, then a stated date, then
    # the body over the headline, then the earliest sentence.
    return (c.precision, ref.depth(c.company, c.division) if c.division_known else (1 if c.division else 0),
            c.date_stated, c.sentence_index >= 0, -c.sentence_index)


def merge_candidates(candidates: list[Candidate], ref: Reference) -> list[CutFact]:
    by_company: dict[str, list[Candidate]] = {}
    for cand in candidates:
        by_company.setdefault(cand.company.lower(), []).append(cand)

    facts: list[CutFact] = []
    share_ids: dict[tuple[int, int], int] = {}
    for group in by_company.values():
        company = group[0].company
        clusters: list[list[Candidate]] = []

        # Units first, most specific first, so a parent-level mention joins
        # the sub-unit it is the parent of.
        with_unit = sorted((c for c in group if c.division), key=lambda c: -ref.depth(company, c.division))
        for cand in with_unit:
            home = next(
                (cl for cl in clusters if cl[0].division and _related(ref, company, cl[0].division, cand.division)
                 and all(cand.overlaps(o) for o in cl)),
                None,
            )
            if home is None:
                clusters.append([cand])
            else:
                home.append(cand)

        unit_clusters = list(clusters)
        for cand in sorted((c for c in group if not c.division), key=lambda c: c.sentence_index):
            compatible = [cl for cl in unit_clusters if all(cand.overlaps(o) for o in cl)]
            if unit_clusters and compatible and len(compatible) == len(unit_clusters):
                _donate(cand, unit_clusters)
                continue
            if unit_clusters and compatible:
                _donate(cand, compatible)
                continue
            home = next((cl for cl in clusters if not cl[0].division and all(cand.overlaps(o) for o in cl)), None)
            if home is None:
                clusters.append([cand])
            else:
                home.append(cand)

        for cluster in clusters:
            facts.append(_to_fact(cluster, ref, share_ids))

    # A group of one shares nothing.
    sizes: dict[int, int] = {}
    for fact in facts:
        if fact.shared_headcount_group is not None:
            sizes[fact.shared_headcount_group] = sizes.get(fact.shared_headcount_group, 0) + 1
    facts = [replace(f, shared_headcount_group=None) if f.shared_headcount_group and sizes[f.shared_headcount_group] < 2 else f
             for f in facts]
    facts.sort(key=lambda f: (f.evidence_start, f.company, f.division or ""))
    return facts


def _donate(cand: Candidate, clusters: list[list[Candidate]]) -> None:
    """A company-wide mention adds to unit facts instead of becoming its own.

    Its figure only moves when the destination is unambiguous: one unit, or
    units that already split one figure (they came from one sentence)."""
    if cand.has_count() or (cand.figure is not None and cand.figure.pct is not None):
        lacking = [cl for cl in clusters if not any(c.figure is not None for c in cl)]
        if len(clusters) == 1 or (lacking and len({cl[0].sentence_index for cl in lacking}) == 1 and len(lacking) == len(clusters)):
            key = (cand.sentence_index, cand.figure.start) if len(clusters) > 1 else None
            for cl in clusters:
                cl.append(replace(cand, division=cl[0].division, division_known=cl[0].division_known,
                                  division_path=cl[0].division_path, share_key=key or cl[0].share_key))
            return
    for cl in clusters:
        cl.append(replace(cand, division=cl[0].division, division_known=cl[0].division_known,
                          division_path=cl[0].division_path, figure=None if len(clusters) > 1 else cand.figure,
                          share_key=cl[0].share_key))


def _to_fact(cluster: list[Candidate], ref: Reference, share_ids: dict[tuple[int, int], int]) -> CutFact:
    primary = max(cluster, key=lambda c: _rank(c, ref))
    figure_source = max(cluster, key=lambda c: (c.precision, c.sentence_index >= 0, -c.sentence_index))
    unit_source = max(cluster, key=lambda c: (ref.depth(c.company, c.division) if c.division_known else (1 if c.division else 0)))
    dated = [c for c in cluster if c.date_stated and c.announced_on is not None]
    announced = primary.announced_on
    if not primary.date_stated and dated:
        announced = min(dated, key=lambda c: c.sentence_index).announced_on

    figure = figure_source.figure
    pct = figure.pct if figure else None
    if pct is None:
        pct = next((c.figure.pct for c in cluster if c.figure is not None and c.figure.pct is not None), None)

    share = figure_source.share_key
    group = None
    if share is not None:
        group = share_ids.setdefault(share, len(share_ids) + 1)

    return CutFact(
        company=primary.company,
        division=unit_source.division,
        division_path=unit_source.division_path,
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
    )


def _confidence(primary: Candidate, figure_source: Candidate, unit_source: Candidate, cluster: list[Candidate], ref: Reference) -> float:
    score = 0.4
    if primary.company in ref.companies:
        score += 0.2
    score += {4: 0.2, 3: 0.17, 2: 0.14, 1: 0.1, 0: 0.05}.get(figure_source.precision, 0.0)
    if unit_source.division:
        score += 0.1 if unit_source.division_known else 0.07
    if any(c.company_explicit for c in cluster):
        score += 0.05
    if len({c.sentence_index for c in cluster}) > 1:
        score += 0.04
    return round(min(score, 0.99), 2)
