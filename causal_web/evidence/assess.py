"""The evidence summary, status, confidence and explanation of a record, a hop and an edge.

These are the functions the rest of causal-web calls: chains for every hop, the causal web for
every aggregated edge, and the API for every CMOC it serves.
"""

from __future__ import annotations

from collections.abc import Iterable

from causal_web.evidence.scorer import load_rules, score
from causal_web.evidence.summary import EvidenceSummary, summarise_edge_evidence, summarise_items
from causal_web.model.records import CMOC, Dataset

__all__ = ["assess_edge", "assess_hop", "assess_record", "cmoc_with_evidence", "edge_summary"]


def edge_summary(
    dataset: Dataset, evidence: Iterable[object], joined_by_tool: bool = False
) -> EvidenceSummary:
    """The pooled evidence of the records behind a hop or an edge."""
    rules = load_rules()
    summary = summarise_edge_evidence(
        dataset, evidence, rules.non_stating_evidence_types, rules.non_stating_base_kinds
    )
    summary.joined_by_tool = joined_by_tool
    return summary


def assess_edge(dataset: Dataset, evidence: Iterable[object], scorer: str | None = None) -> dict:
    """``evidence_bases``, judgements, evidence types, ``evidence_status``, ``confidence`` and
    ``explanation`` of an aggregated edge, from its :class:`~causal_web.web.graph.EdgeEvidence`."""
    return score(edge_summary(dataset, evidence), scorer)


def assess_hop(dataset: Dataset, hop: object, nesting: str | None = None, scorer: str | None = None) -> dict:
    """The same for a chain hop (a :class:`~causal_web.web.graph.HopEvidence`); ``nesting`` is how
    it joins the hop before, and a ``tool`` join makes it a hypothesis."""
    summary = edge_summary(dataset, hop.evidence, joined_by_tool=nesting == "tool")  # type: ignore[attr-defined]
    return score(summary, scorer)


def assess_record(dataset: Dataset, record_id: str, scorer: str | None = None) -> dict:
    """The evidence summary of one record by its own items. A record's own relations may carry
    both signs (a context that enables one mechanism and constrains another), so valences are
    not read against each other within one record."""
    rules = load_rules()
    summary = summarise_items(
        dataset, {record_id: ["unspecified"]}, rules.non_stating_evidence_types, rules.non_stating_base_kinds
    )
    return {**score(summary, scorer, rules), "bases": summary.bases}


def cmoc_with_evidence(dataset: Dataset, cmoc: CMOC, scorer: str | None = None) -> dict:
    """A CMOC as the API serves it: its record, plus ``evidence_summary``."""
    from causal_web.model.serialise import record_view

    return {**record_view(cmoc), "evidence_summary": assess_record(dataset, cmoc.id, scorer)}
