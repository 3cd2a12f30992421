"""The catalogue of a synthetic web: phases, evidence bases, sources, the vocabulary, the ledger.

:mod:`causal_web.model.synthetic` builds the records on top of these: the fixed IOC-style
concepts and the words generated concept labels are made of, Zipf-like pickers (so that a few
concepts carry most of the evidence, as in real reviews), the typed phases, the review
project's evidence bases and the included studies.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from collections.abc import Sequence
from typing import Any

from causal_web.model.records import Citation, Concept, ConceptGroup, Dataset, EvidenceBase, Phase, Source

__all__ = [
    "ACTORS",
    "BASES",
    "COLLABORATION_TYPES",
    "CORE",
    "CURATOR",
    "DECREASE_WORDS",
    "ENTRY_POINTS",
    "INCREASE_WORDS",
    "INTERVENTIONS",
    "INTERVIEWS",
    "IOC_TYPES",
    "PHASES",
    "PROJECT",
    "SECTIONS",
    "SURNAMES",
    "THEORIES",
    "VENUES",
    "Picker",
    "Weighted",
    "add_coverage",
    "add_phases",
    "make_catalogue",
    "make_concepts",
]

_FIXED_CONCEPTS = (
    # id, label, group, role
    ("trust", "Trust", ConceptGroup.CORE_MECHANISM, "mechanism"),
    ("faith", "Faith", ConceptGroup.CORE_MECHANISM, "mechanism"),
    ("confidence", "Confidence", ConceptGroup.CORE_MECHANISM, "mechanism"),
    ("capacity", "Capacity", ConceptGroup.SUPPORTING_MECHANISM, "mechanism"),
    ("legitimacy", "Legitimacy", ConceptGroup.SUPPORTING_MECHANISM, "mechanism"),
    ("complexity", "Complexity", ConceptGroup.SUPPORTING_MECHANISM, "mechanism"),
    ("conflict", "Conflict", ConceptGroup.SUPPORTING_MECHANISM, "mechanism"),
    ("risk-tolerance", "Risk tolerance", ConceptGroup.SUPPORTING_MECHANISM, "mechanism"),
    ("collaborative-behaviour", "Collaborative behaviour", None, "behaviour"),
    ("competitive-behaviour", "Competitive behaviour", None, "behaviour"),
    ("cultural-efficacy", "Cultural efficacy", ConceptGroup.PERFORMANCE_DOMAIN, "outcome"),
    ("organisational-efficiency", "Organisational efficiency", ConceptGroup.PERFORMANCE_DOMAIN, "outcome"),
    (
        "technological-effectiveness",
        "Technological effectiveness",
        ConceptGroup.PERFORMANCE_DOMAIN,
        "outcome",
    ),
    ("care-quality", "Care quality", ConceptGroup.LONG_TERM_OUTCOME, "outcome"),
    ("safety", "Safety", ConceptGroup.LONG_TERM_OUTCOME, "outcome"),
    ("efficiency", "Efficiency", ConceptGroup.LONG_TERM_OUTCOME, "outcome"),
    ("experience", "Experience", ConceptGroup.LONG_TERM_OUTCOME, "outcome"),
)
CORE = ("trust", "faith", "confidence")
_SUPPORTING = ("capacity", "legitimacy", "complexity", "conflict", "risk-tolerance")
_BEHAVIOURS = ("collaborative-behaviour", "competitive-behaviour")
_DOMAINS = ("cultural-efficacy", "organisational-efficiency", "technological-effectiveness")
_LONG_TERM = ("care-quality", "safety", "efficiency", "experience")

_CONTEXT_ADJECTIVES = (
    "Shared", "Formal", "Informal", "Local", "Regional", "Historical", "Mandated", "Voluntary",
    "Clinical", "Managerial", "Financial", "Strategic", "Operational", "Cross-boundary", "Joint",
    "Devolved", "Integrated", "Competitive", "Stable", "Distributed", "Prior", "Weak", "Strong",
    "Unclear", "Aligned",
)  # fmt: skip
_CONTEXT_NOUNS = (
    "vision", "governance", "leadership", "communication", "accountability", "data sharing",
    "funding", "workforce planning", "regulation", "contracts", "role clarity", "priority setting",
    "stakeholder engagement", "project management", "evaluation", "culture", "history of joint work",
    "co-location", "information systems", "commissioning", "patient pathways", "incentives",
    "board membership", "memoranda of understanding", "resource pooling", "decision rights",
    "performance targets", "staff turnover",
)  # fmt: skip
_SETTINGS = (
    "in primary care", "in acute trusts", "across the integrated care system", "in mental health services",
    "in community care", "in social care", "at board level", "at ward level", "between GP practices",
    "with the voluntary sector", "in public health", "across regions",
)  # fmt: skip
_MECHANISM_ASPECTS = (
    "in leaders", "between frontline staff", "in the contract", "in the partnership", "in shared goals",
    "in partner data", "in governance", "built on past joint work", "across professions", "in managers",
    "in the regulator", "in commissioners",
)  # fmt: skip
_OUTCOME_NOUNS = (
    "service integration", "patient flow", "staff morale", "joint working", "information flow",
    "referral times", "waiting lists", "readmissions", "continuity of care", "financial balance",
    "innovation", "organisational learning", "commitment", "engagement", "reputation",
    "shared decision-making", "goal alignment", "task achievement", "duplication of effort",
    "access to resources", "service gaps", "influence over others", "best-practice sharing",
)  # fmt: skip
INCREASE_WORDS = ("Enhanced", "Greater", "High", "Improved", "Increased", "Better")
DECREASE_WORDS = ("Reduced", "Low", "Lesser", "Poor", "Decreased", "Weakened")
SECTIONS = (
    "PARTNERSHIP PERFORMANCE / Synergy and collaborative inertia",
    "PARTNERSHIP FUNCTIONING / Trust",
    "PARTNERSHIP FUNCTIONING / Conflict",
    "CONTEXT / Entry points",
    "OUTCOMES / Performance domains",
)
IOC_TYPES = (
    ("mandated", "Mandated collaboration"),
    ("integrative", "Integrative collaboration"),
    ("voluntary", "Voluntary collaboration"),
    ("merger", "Merger"),
    ("alliance", "Alliance"),
)
COLLABORATION_TYPES = ("Mergers", "Partnerships (mixed)", "Alliances", "Networks", "Joint ventures")
VENUES = (
    "BMC Health Services Research",
    "Social Science & Medicine",
    "Health Policy",
    "Journal of Health Organization and Management",
    "Public Management Review",
    "BMJ Open",
)
SURNAMES = (
    "Adams", "Begum", "Chen", "Davies", "Evans", "Fraser", "Gupta", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quinn", "Roberts", "Smith", "Taylor",
)  # fmt: skip


# The review project's papers are one evidence base, its interviews another (docs/data-format.md).
PROJECT, INTERVIEWS, CURATOR = "synthetic-project", "synthetic-interviews", "synthetic-curator"
BASES = (
    (PROJECT, "Synthetic review project: its literature review and refinement", "review"),
    (INTERVIEWS, "Synthetic review project: realist interviews and focus groups", "interview-set"),
    (CURATOR, "The curator's own assembly of the synthetic web", "curator"),
)
PHASES = (
    # id, label, type, document, document kind, base, evidence type, share of the CMOCs, ID prefix
    (
        "synthetic-review",
        "Initial realist review (synthetic)",
        "initial",
        "synthetic-review-paper",
        "paper",
        PROJECT,
        "review-author-statement",
        0.40,
        "SR",
    ),
    (
        "synthetic-refined",
        "Refined programme theory (synthetic)",
        "refined",
        "synthetic-refined-paper",
        "paper",
        PROJECT,
        "review-author-statement",
        0.20,
        "SF",
    ),
    (
        "synthetic-evaluation",
        "Realist evaluation (synthetic)",
        "tested",
        "synthetic-evaluation-set",
        "evidence-set",
        INTERVIEWS,
        "interview-data",
        0.25,
        "SE",
    ),
    (
        "synthetic-summary",
        "Programme summary (synthetic)",
        "synthesis",
        "synthetic-summary-report",
        "summary",
        PROJECT,
        "review-author-statement",
        0.15,
        "SS",
    ),
)

ACTORS = (
    "Frontline staff", "Middle managers", "Board members", "Commissioners", "Clinical leads",
    "Patients and carers", "Voluntary sector partners", "GP practices", "Social care providers",
    "Finance directors", "Project managers", "Regulators",
)  # fmt: skip
INTERVENTIONS = (
    "Joint commissioning board", "Shared care record", "Pooled budget", "Integrated discharge team",
    "Partnership agreement", "Co-located services", "Joint training programme", "Alliance contract",
    "Shared performance dashboard", "Merger of trusts",
)  # fmt: skip
ENTRY_POINTS = (
    ("Funding, resource or efficiency concerns", "Partnering to avoid a shortfall of money or resources"),
    ("Policy or mandate", "Partnering because a national or regional body requires it"),
    ("Shared problem", "Partnering to tackle a problem no organisation can solve alone"),
    ("Prior relationships", "Partnering with organisations that have worked together before"),
    ("Quality improvement", "Partnering to improve the care patients receive"),
    ("Strategic positioning", "Partnering to gain influence or standing in the local system"),
)
THEORIES = (
    ("Social exchange theory", "Partners reciprocate what they receive, and trust grows with each exchange."),
    ("Institutional theory", "Organisations conform to what their field expects of legitimate partners."),
    ("Resource dependence theory", "Organisations partner to secure resources they cannot produce alone."),
)


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:70].strip("-")


class _Namer:
    """Unique concept labels and slugs drawn from combinations of words, then numbered."""

    def __init__(self, rng: random.Random, parts: Sequence[Sequence[str]]) -> None:
        combos = [" ".join(p) for p in itertools.product(*parts)]
        rng.shuffle(combos)
        self.combos = combos
        self.position = 0
        self.variant = 1
        self.used: set[str] = set()

    def next(self, taken: set[str]) -> tuple[str, str]:
        while True:
            if self.position >= len(self.combos):
                self.position = 0
                self.variant += 1
            base = self.combos[self.position]
            self.position += 1
            label = " ".join((base if self.variant == 1 else f"{base} (variant {self.variant})").split())
            label = label[0].upper() + label[1:]
            slug = _slug(label)
            if slug not in taken:
                taken.add(slug)
                return slug, label


class Weighted:
    """Draws from fixed items with fixed weights: ``random.choices`` without its per-call setup."""

    def __init__(self, rng: random.Random, items: Sequence, weights: Sequence[float]) -> None:
        self.rng, self.items = rng, list(items)
        self.cum = list(itertools.accumulate(weights))
        self.total, self.last = self.cum[-1], len(self.items) - 1

    def pick(self) -> Any:
        return self.items[min(bisect.bisect_right(self.cum, self.rng.random() * self.total), self.last)]


class Picker(Weighted):
    """Draws from a list with Zipf-like weights, so a few items carry most of the evidence."""

    def __init__(self, rng: random.Random, items: Sequence[str], exponent: float = 1.0) -> None:
        super().__init__(rng, items, [1.0 / (rank + 1) ** exponent for rank in range(len(items))])


def make_concepts(rng: random.Random, n_cmocs: int) -> tuple[dict[str, Concept], dict[str, list[str]]]:
    """The vocabulary and the concept IDs of each layer of the web."""
    concepts: dict[str, Concept] = {}
    taken: set[str] = set()
    for cid, label, group, role in _FIXED_CONCEPTS:
        concepts[cid] = Concept(
            id=cid,
            pref_label=label,
            definition=f"{label}: a fixed concept of the synthetic IOC-style programme theory.",
            group=group.value if group else None,
            role=role,
        )
        taken.add(cid)
    total = max(n_cmocs // 5, 40)
    extra = total - len(concepts)
    n_mech = max(extra // 5, 6)
    n_out = max(extra // 4, 8)
    n_ctx = extra - n_mech - n_out
    layers: dict[str, list[str]] = {
        "context": [],
        "mechanism": [*CORE, *_SUPPORTING],
        "intermediate": list(_BEHAVIOURS),
        "domain": list(_DOMAINS),
        "long-term": list(_LONG_TERM),
    }
    contexts = _Namer(rng, [_CONTEXT_ADJECTIVES, [n.lower() for n in _CONTEXT_NOUNS], ("", *_SETTINGS)])
    for _ in range(n_ctx):
        cid, label = contexts.next(taken)
        broader = []
        # Some contexts are narrower than an earlier, more general one.
        if layers["context"] and rng.random() < 0.15:
            broader = [rng.choice(layers["context"][: max(1, len(layers["context"]) // 4)])]
        concepts[cid] = Concept(
            id=cid,
            pref_label=label,
            alt_labels=[f"{rng.choice(INCREASE_WORDS)} {label.lower()}"] if rng.random() < 0.3 else [],
            definition="",
            broader=broader,
            role="context",
        )
        layers["context"].append(cid)
    parents = [*CORE, *_SUPPORTING]
    mechanisms = _Namer(rng, [[concepts[p].pref_label for p in parents], _MECHANISM_ASPECTS])
    for _ in range(n_mech):
        cid, label = mechanisms.next(taken)
        parent = next(p for p in parents if label.lower().startswith(concepts[p].pref_label.lower()))
        concepts[cid] = Concept(id=cid, pref_label=label, broader=[parent], role="mechanism")
        layers["mechanism"].append(cid)
    outcomes = _Namer(rng, [_OUTCOME_NOUNS, ("", *_SETTINGS)])
    for index in range(n_out):
        cid, label = outcomes.next(taken)
        # A third of the outcomes sit under a performance domain or a long-term outcome.
        layer = "intermediate"
        broader: list[str] = []
        if index % 3 == 1:
            layer, broader = "domain", [rng.choice(_DOMAINS)]
        elif index % 3 == 2 and index % 2:
            layer, broader = "long-term", [rng.choice(_LONG_TERM)]
        concepts[cid] = Concept(id=cid, pref_label=label, broader=broader, role="outcome")
        layers[layer].append(cid)
    return concepts, layers


def make_catalogue(
    rng: random.Random, n_cmocs: int
) -> tuple[dict[str, EvidenceBase], dict[str, Source], list[str]]:
    """Evidence bases, sources and the included studies' IDs."""
    bases = {bid: EvidenceBase(bid, label, kind, notes="Synthetic.") for bid, label, kind in BASES}
    sources: dict[str, Source] = {}
    for _phase, label, _type, doc, kind, base, *_rest in PHASES:
        sources[doc] = Source(
            id=doc,
            kind=kind,
            base=base,
            title=f"{label}: a generated document for benchmarks",
            authors="Synthetic A, Generator B",
            year="2022",
            venue="causal-web benchmarks",
            notes="Synthetic: generated by causal_web.model.synthetic; not a real publication.",
        )
    studies = []
    n_studies = max(n_cmocs // 10 - len(PHASES), 6)
    review_docs = [PHASES[0][3], PHASES[1][3]]
    shared_base = ""
    for index in range(1, n_studies + 1):
        sid = f"SYN-S{index:06d}"
        part_of = review_docs[index % 2]
        # About one study in twelve is reported in two or three papers: one base for all of them.
        if shared_base and rng.random() < 0.5:
            base, shared_base = shared_base, ""
        elif rng.random() < 0.08:
            base = shared_base = f"syn-b{index:06d}"
            bases[base] = EvidenceBase(base, f"Synthetic primary study {index}", "primary-study")
        else:
            base = ""  # an included study is a base of its own
        sources[sid] = Source(
            id=sid,
            kind="study",
            base=base,
            title=f"Collaboration study {index}" if rng.random() < 0.7 else "",
            authors=f"{rng.choice(SURNAMES)} et al.",
            year=str(rng.randint(1995, 2021)) if rng.random() < 0.8 else "",
            venue=rng.choice(VENUES) if rng.random() < 0.6 else "",
            collaboration_type=rng.choice(COLLABORATION_TYPES),
            part_of=part_of,
            citation=Citation(part_of, "Table 1", str(index), curated_file="synthetic_studies.csv"),
        )
        studies.append(sid)
    return bases, sources, studies


def add_phases(dataset: Dataset) -> None:
    for order, (pid, label, kind, doc, *_rest) in enumerate(PHASES, start=1):
        previous = PHASES[order - 2][0] if 1 < order < len(PHASES) else None  # a synthesis stands alone
        dataset.phases[pid] = Phase(
            id=pid,
            label=label,
            order=order,
            type=kind,
            source=doc,
            previous=previous,
            description=f"Synthetic theory version {order} ({kind}) for benchmarks.",
        )


def add_coverage(dataset: Dataset, counts: list[int]) -> None:
    study_docs = sorted({s.part_of for s in dataset.sources.values() if s.part_of})
    for doc in study_docs:
        dataset.coverage.append(
            {
                "id": f"{doc}-studies",
                "source": doc,
                "item": "Table 1, included studies",
                "record_type": "study",
                "table": "Table 1",
                "known": sum(1 for s in dataset.sources.values() if s.part_of == doc),
                "gaps": [],
            }
        )
    for (pid, _label, _type, doc, *_rest), count in zip(PHASES, counts, strict=True):
        dataset.coverage.append(
            {
                "id": f"{pid}-cmocs",
                "source": doc,
                "item": "Table 3, CMOCs",
                "record_type": "cmoc",
                "table": "Table 3",
                "known": count,
                "gaps": [],
            }
        )
    dataset.coverage.append(
        {
            "id": "synthetic-refined-links",
            "source": PHASES[1][3],
            "item": "Table 2, stated links",
            "record_type": "link",
            "table": "Table 2",
            "known": None,
            "gaps": ["Synthetic data: links are a sample, not a full table."],
        }
    )
    dataset.coverage.append(
        {
            "id": "synthetic-entry-points",
            "source": PHASES[0][3],
            "item": "Table 2, entry points",
            "record_type": "entry-point",
            "table": "Table 2",
            "known": len(dataset.entry_points),
            "gaps": [],
        }
    )
