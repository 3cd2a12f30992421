"""Response shapes of the evidence views: assessments, contradictions and the evidence matrix.

They follow :mod:`causal_web.evidence` (``score``, ``Contradiction.to_dict`` and
``evidence_matrix``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from causal_web.api.models.base import EXACT

__all__ = [
    "Contradiction",
    "ContradictionList",
    "ContradictionSide",
    "EvidenceAssessment",
    "EvidenceMatrix",
    "EvidenceSummary",
    "HistoryEvent",
    "JudgementCounts",
    "MatrixCell",
    "MatrixValue",
]


class _Exact(BaseModel):
    model_config = EXACT


class JudgementCounts(_Exact):
    confirms: int
    refutes: int
    refines: int


class EvidenceAssessment(_Exact):
    """How strong the evidence is, and why (docs/evidence.md)."""

    evidence_bases: int = Field(description="Independent evidence bases behind it.")
    judgements: JudgementCounts = Field(description="Evidence items by judgement.")
    evidence_types: dict[str, int] = Field(description="Evidence items by evidence type.")
    evidence_status: str = Field(description="established, provisional, contested or hypothesis.")
    confidence: str = Field(description="high, moderate or low, by the configured scorer.")
    confidence_score: float = Field(description="The scorer's number behind the label.")
    explanation: str = Field(description="The reasons in plain words.")


class EvidenceSummary(EvidenceAssessment):
    """A record's own evidence, with the bases it stands on."""

    bases: list[str]


class ContradictionSide(_Exact):
    label: str
    records: list[str]
    bases: list[str]
    evidence: list[dict[str, Any]]


class Contradiction(_Exact):
    """Two sides of one disagreement: opposite outcomes for one configuration, a refuting item
    against a confirming one, or opposite stated valences on one edge."""

    kind: str = Field(description="outcome-polarity, judgement or valence.")
    about: str
    configuration: dict[str, Any]
    bases_differ: bool = Field(description="True when the sides stand on different evidence bases.")
    sides: list[ContradictionSide]


class ContradictionList(_Exact):
    total: int
    contradictions: list[Contradiction]


class MatrixValue(_Exact):
    id: str
    label: str


class MatrixCell(_Exact):
    row: str
    col: str
    cmocs: list[str]
    evidence_bases: int
    bases: list[str]
    evidence_status: str
    confidence: str
    explanation: str


class EvidenceMatrix(_Exact):
    """CMOCs by two dimensions: the cells of an evidence and gap map."""

    rows: str
    cols: str
    row_values: list[MatrixValue]
    col_values: list[MatrixValue]
    max_bases: int
    cells: list[MatrixCell]


class HistoryEvent(_Exact):
    """One change to a record: when, by whom, what was done and why."""

    date: str = Field(description="ISO 8601 date, or date and time.")
    by: str
    what: str = Field(description="What was done: import, reconcile, code, edit, ...")
    why: str = ""
