"""How much evidence stands behind a prompt or an item: the one switch between the evidence
scoring of :mod:`causal_web.evidence` and a plain count of independent evidence bases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from causal_web.model.records import Dataset

__all__ = ["EvidenceWeight", "evidence_weight", "pooled_bases"]


@dataclass(frozen=True, slots=True)
class EvidenceWeight:
    """The pooled evidence of some records: independent bases and, when the evidence scorer is
    available, its status, confidence and explanation."""

    bases: tuple[str, ...]
    score: float
    status: str = ""
    confidence: str = ""
    explanation: str = ""
    scorer: str = "evidence-bases"

    @property
    def evidence_bases(self) -> int:
        return len(self.bases)

    def to_dict(self) -> dict:
        return {
            "evidence_bases": self.evidence_bases,
            "bases": list(self.bases),
            "score": self.score,
            "evidence_status": self.status,
            "confidence": self.confidence,
            "explanation": self.explanation,
            "scorer": self.scorer,
        }


def pooled_bases(dataset: Dataset, record_ids: Iterable[str]) -> tuple[str, ...]:
    """The independent evidence bases of the records' evidence items, pooled."""
    bases: set[str] = set()
    for record_id in record_ids:
        record = dataset.record(record_id)
        evidence = getattr(record, "evidence", None) or []
        bases |= dataset.bases_of(evidence)
    return tuple(sorted(bases))


def evidence_weight(dataset: Dataset, record_ids: Iterable[str]) -> EvidenceWeight:
    """The evidence behind ``record_ids``, pooled; ranking and the diagnostic read only this.

    With the evidence package (issue 11) the score is its confidence score over the pooled items;
    without it, the score is the number of independent evidence bases.
    """
    ids = [r for r in dict.fromkeys(record_ids) if dataset.record(r) is not None]
    bases = pooled_bases(dataset, ids)
    try:
        from causal_web.evidence.scorer import load_rules, score
        from causal_web.evidence.summary import summarise_items
    except ImportError:  # the evidence package is optional here
        return EvidenceWeight(bases, float(len(bases)))
    rules = load_rules()
    summary = summarise_items(
        dataset,
        {record_id: ["unspecified"] for record_id in ids},
        rules.non_stating_evidence_types,
        rules.non_stating_base_kinds,
    )
    scored = score(summary, None, rules)
    return EvidenceWeight(
        bases,
        float(scored.get("confidence_score", len(bases))),
        str(scored.get("evidence_status", "")),
        str(scored.get("confidence", "")),
        str(scored.get("explanation", "")),
        "causal_web.evidence",
    )
