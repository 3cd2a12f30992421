"""Confidence you can explain: pluggable scorers and the link statuses, with rules as data.

A scorer is one function ``(summary, rules) -> Confidence``, registered by name in
:data:`SCORERS`. The service picks one with ``CAUSAL_WEB_EVIDENCE_SCORER``; library functions
take the name as an argument (default :data:`DEFAULT_SCORER`). Weights and thresholds live in
``scoring.yaml`` next to this module; ``docs/evidence.md`` explains them.

Statuses, in the spirit of the Theory & Techniques Tool's link statuses:

* ``contested``: supporting and refuting items, or opposite stated valences, from different
  independent bases;
* ``hypothesis``: no source states it: every item behind it is a curator's inference (or the
  base is the curator's), or it is a chain hop joined to the hop before by a shared concept only;
* ``established``: at least ``established_min_bases`` independent bases state it, nothing against;
* ``provisional``: anything else that a source states, typically a single base.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from causal_web.errors import QueryError
from causal_web.evidence.summary import EvidenceSummary

__all__ = [
    "DEFAULT_SCORER",
    "RULES_FILE",
    "SCORERS",
    "STATUSES",
    "Confidence",
    "ScoringRules",
    "evidence_status",
    "explain",
    "get_scorer",
    "load_rules",
    "score",
]

RULES_FILE = Path(__file__).with_name("scoring.yaml")
DEFAULT_SCORER = "bases"
STATUSES = ("established", "provisional", "contested", "hypothesis")
_KIND_WORDS = {
    "review": ("review", "reviews"),
    "interview-set": ("interview set", "interview sets"),
    "primary-study": ("primary study", "primary studies"),
    "curator": ("curator base", "curator bases"),
}


@dataclass(frozen=True, slots=True)
class ScoringRules:
    """The contents of ``scoring.yaml``."""

    established_min_bases: int
    non_stating_evidence_types: frozenset[str]
    non_stating_base_kinds: frozenset[str]
    tool_join_is_hypothesis: bool
    contested_confidence: str
    scorers: dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Confidence:
    """A scorer's verdict: a label (high, moderate, low) and the number behind it."""

    label: str
    score: float


@lru_cache(maxsize=8)
def load_rules(path: str | None = None) -> ScoringRules:
    """Read the scoring rules (default: the ``scoring.yaml`` shipped with the package)."""
    file = Path(path) if path else RULES_FILE
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    statuses = data["statuses"]
    return ScoringRules(
        established_min_bases=int(statuses["established_min_bases"]),
        non_stating_evidence_types=frozenset(statuses.get("non_stating_evidence_types", [])),
        non_stating_base_kinds=frozenset(statuses.get("non_stating_base_kinds", [])),
        tool_join_is_hypothesis=bool(statuses.get("tool_join_is_hypothesis", True)),
        contested_confidence=str(statuses.get("contested_confidence", "low")),
        scorers=dict(data["scorers"]),
    )


def _label(value: float, thresholds: dict[str, float]) -> str:
    for label, floor in sorted(thresholds.items(), key=lambda kv: -kv[1]):
        if value >= floor:
            return label
    return "low"


def score_by_bases(summary: EvidenceSummary, rules: ScoringRules) -> Confidence:
    """Weighted independent bases: each supporting base counts its kind's weight (less when only
    the curator's inference or low-rigour items stand behind it); refuting bases count against."""
    params = rules.scorers["bases"]
    weights, factors = params["base_weights"], params.get("rigour_factors", {})

    def weight(base: str) -> float:
        value = float(weights.get(summary.base_kinds.get(base, "review"), 1.0))
        if base not in summary.stating:
            value *= float(params.get("curator_inference_factor", 1.0))
        return value * float(factors.get(summary.rigour.get(base, ""), 1.0))

    total = sum(weight(b) for b in summary.supporting) - sum(
        float(weights.get(summary.base_kinds.get(b, "review"), 1.0)) for b in summary.refuting
    )
    return Confidence(_label(total, params["thresholds"]), round(total, 3))


def score_by_belief(summary: EvidenceSummary, rules: ScoringRules) -> Confidence:
    """INDRA-style belief: the chance that not every supporting base is wrong, times the chance
    that every refuting base is wrong, with a prior error rate per kind of base."""
    params = rules.scorers["belief"]
    errors = params["error_rates"]

    def error(base: str) -> float:
        if base not in summary.stating:
            return float(params.get("curator_inference_error", 0.7))
        return float(errors.get(summary.base_kinds.get(base, "review"), 0.4))

    support = 1.0 - math.prod(error(b) for b in summary.supporting) if summary.supporting else 0.0
    against = math.prod(float(errors.get(summary.base_kinds.get(b, "review"), 0.4)) for b in summary.refuting)
    belief = support * against
    return Confidence(_label(belief, params["thresholds"]), round(belief, 3))


Scorer = Callable[[EvidenceSummary, ScoringRules], Confidence]
SCORERS: dict[str, Scorer] = {"bases": score_by_bases, "belief": score_by_belief}


def get_scorer(name: str | None) -> Scorer:
    """The scorer registered as ``name`` (None: the default)."""
    key = name or DEFAULT_SCORER
    if key not in SCORERS:
        raise QueryError(f"unknown evidence scorer {key!r}; use one of: {', '.join(SCORERS)}", "scorer")
    return SCORERS[key]


def _across(a: set[str], b: set[str]) -> bool:
    """True when some base of ``a`` differs from some base of ``b``."""
    return bool(a and b) and not (a == b and len(a) == 1)


def evidence_status(summary: EvidenceSummary, rules: ScoringRules) -> str:
    """established, provisional, contested or hypothesis (module docstring)."""
    if _across(summary.supporting, summary.refuting) or _across(
        summary.valence_bases["+"], summary.valence_bases["-"]
    ):
        return "contested"
    if not summary.stating or (summary.joined_by_tool and rules.tool_join_is_hypothesis):
        return "hypothesis"
    if len(summary.stating) >= rules.established_min_bases and not summary.refuting:
        return "established"
    return "provisional"


def _kinds_phrase(summary: EvidenceSummary, bases: set[str]) -> str:
    parts = []
    for kind, count in summary.kinds_of(bases).items():
        one, many = _KIND_WORDS.get(kind, (kind, kind + "s"))
        parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def explain(summary: EvidenceSummary, status: str) -> str:
    """The reasons in one line: "2 independent bases (1 review, 1 interview set); no refuting evidence"."""
    bits = []
    n = summary.evidence_bases
    if n:
        bits.append(f"{_count(n, 'independent base')} ({_kinds_phrase(summary, set(summary.base_kinds))})")
    else:
        bits.append("no evidence items")
    refuting = summary.judgements.get("refutes", 0)
    if refuting:
        bits.append(
            f"{_count(refuting, 'refuting item')} from {_count(len(summary.refuting), 'base')} "
            f"({_kinds_phrase(summary, summary.refuting)})"
        )
    else:
        bits.append("no refuting evidence")
    plus, minus = summary.valence_bases["+"], summary.valence_bases["-"]
    if plus and minus:
        bits.append(
            f"opposite valences (+ from {', '.join(sorted(plus))}; - from {', '.join(sorted(minus))})"
        )
    if summary.base_kinds and not summary.stating:
        bits.append("only the curator's inference states it")
    if summary.joined_by_tool:
        bits.append("joined to the hop before by a shared concept only (the tool's hypothesis)")
    return "; ".join(bits)


_RANK = {"low": 1, "moderate": 2, "high": 3}


def score(summary: EvidenceSummary, scorer: str | None = None, rules: ScoringRules | None = None) -> dict:
    """The summary with its status, confidence and explanation, as plain data."""
    rules = rules or load_rules()
    status = evidence_status(summary, rules)
    confidence = get_scorer(scorer)(summary, rules)
    label = confidence.label
    if status == "contested" and _RANK.get(label, 0) > _RANK.get(rules.contested_confidence, 0):
        label = rules.contested_confidence
    return {
        **summary.to_dict(),
        "evidence_status": status,
        "confidence": label,
        "confidence_score": confidence.score,
        "explanation": explain(summary, status),
    }
