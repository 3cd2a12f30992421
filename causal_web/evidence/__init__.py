"""Evidence you can weigh: independent bases, link statuses, contradictions, verified quotes,
the evidence matrix and the audit trail (docs/evidence.md)."""

from causal_web.evidence.assess import assess_edge, assess_hop, assess_record, cmoc_with_evidence
from causal_web.evidence.scorer import (
    DEFAULT_SCORER,
    SCORERS,
    STATUSES,
    Confidence,
    ScoringRules,
    evidence_status,
    explain,
    get_scorer,
    load_rules,
    score,
)
from causal_web.evidence.summary import EvidenceSummary, base_kind, summarise_items

__all__ = [
    "DEFAULT_SCORER",
    "SCORERS",
    "STATUSES",
    "Confidence",
    "EvidenceSummary",
    "ScoringRules",
    "assess_edge",
    "assess_hop",
    "assess_record",
    "base_kind",
    "cmoc_with_evidence",
    "evidence_status",
    "explain",
    "get_scorer",
    "load_rules",
    "score",
    "summarise_items",
]
