"""Seeded synthetic CMOC webs for benchmarks and scale tests.

The generator makes a web shaped like a realist synthesis: about ``n/5`` concepts (the IOC
core mechanisms trust, faith and confidence, the supporting mechanisms, the performance
domains and long-term outcomes, plus many generated contexts, narrower mechanisms and
intermediate outcomes), about ``n/10`` sources, four phases, stated links and a mechanism
table. CMOCs are layered so that chains exist: contexts act through mechanisms (often the core
ones) on intermediate outcomes, which are the contexts of CMOCs that reach the performance
domains, which in turn feed the long-term outcomes. Concept use is skewed (a few concepts
carry most of the evidence), as in real reviews.

Everything is drawn from one :class:`random.Random`, so a seed always gives the same web.
:func:`write_synthetic` writes it in the format of ``docs/data-format.md`` through the same
serialisers as ``causal-web lint``, so the files load through :func:`causal_web.load`.

>>> from causal_web.model.synthetic import generate_dataset
>>> data = generate_dataset(1000, seed=1)
>>> len(data.cmocs), len(data.concepts) // 10 * 10
(1000, 200)
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Sequence
from pathlib import Path

from causal_web.atomic import write_file_atomic
from causal_web.model.canonical import catalogue_files, dump_yaml
from causal_web.model.records import (
    CMOC,
    CausalLink,
    Citation,
    Concept,
    ConceptGroup,
    Dataset,
    MechanismEntry,
    Phase,
    Polarity,
    Sign,
    Slot,
    Source,
)
from causal_web.model.serialise import (
    cmoc_to_dict,
    link_to_dict,
    mechanism_to_dict,
)

__all__ = ["GENERATOR_VERSION", "generate_dataset", "write_synthetic"]

GENERATOR_VERSION = 1
"""Bumped whenever the same seed would give a different web (benchmark caches key on it)."""

_PHASES = (
    # id, label, document, document kind, share of the CMOCs, ID prefix
    ("synthetic-review", "Initial realist review (synthetic)", "synthetic-review-paper", "paper", 0.40, "SR"),
    (
        "synthetic-refined",
        "Refined programme theory (synthetic)",
        "synthetic-refined-paper",
        "paper",
        0.20,
        "SF",
    ),
    (
        "synthetic-evaluation",
        "Realist evaluation (synthetic)",
        "synthetic-evaluation-set",
        "evidence-set",
        0.25,
        "SE",
    ),
    ("synthetic-summary", "Programme summary (synthetic)", "synthetic-summary-report", "summary", 0.15, "SS"),
)

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
_CORE = ("trust", "faith", "confidence")
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
_INCREASE_WORDS = ("Enhanced", "Greater", "High", "Improved", "Increased", "Better")
_DECREASE_WORDS = ("Reduced", "Low", "Lesser", "Poor", "Decreased", "Weakened")
_SECTIONS = (
    "PARTNERSHIP PERFORMANCE / Synergy and collaborative inertia",
    "PARTNERSHIP FUNCTIONING / Trust",
    "PARTNERSHIP FUNCTIONING / Conflict",
    "CONTEXT / Entry points",
    "OUTCOMES / Performance domains",
)
_IOC_TYPES = (
    ("mandated", "Mandated collaboration"),
    ("integrative", "Integrative collaboration"),
    ("voluntary", "Voluntary collaboration"),
    ("merger", "Merger"),
    ("alliance", "Alliance"),
)
_COLLABORATION_TYPES = ("Mergers", "Partnerships (mixed)", "Alliances", "Networks", "Joint ventures")
_VENUES = (
    "BMC Health Services Research",
    "Social Science & Medicine",
    "Health Policy",
    "Journal of Health Organization and Management",
    "Public Management Review",
    "BMJ Open",
)
_SURNAMES = (
    "Adams", "Begum", "Chen", "Davies", "Evans", "Fraser", "Gupta", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quinn", "Roberts", "Smith", "Taylor",
)  # fmt: skip


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


class _Picker:
    """Draws from a list with Zipf-like weights, so a few items carry most of the evidence."""

    def __init__(self, rng: random.Random, items: Sequence[str], exponent: float = 1.0) -> None:
        self.rng = rng
        self.items = list(items)
        weights = [1.0 / (rank + 1) ** exponent for rank in range(len(self.items))]
        self.cum = list(itertools.accumulate(weights))

    def pick(self) -> str:
        return self.rng.choices(self.items, cum_weights=self.cum)[0]


def _concepts(rng: random.Random, n_cmocs: int) -> tuple[dict[str, Concept], dict[str, list[str]]]:
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
        "mechanism": [*_CORE, *_SUPPORTING],
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
            alt_labels=[f"{rng.choice(_INCREASE_WORDS)} {label.lower()}"] if rng.random() < 0.3 else [],
            definition="",
            broader=broader,
            role="context",
        )
        layers["context"].append(cid)
    parents = [*_CORE, *_SUPPORTING]
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


def _sources(rng: random.Random, n_cmocs: int) -> tuple[dict[str, Source], list[str]]:
    sources: dict[str, Source] = {}
    for _phase, label, doc, kind, _share, _prefix in _PHASES:
        sources[doc] = Source(
            id=doc,
            kind=kind,
            title=f"{label}: a generated document for benchmarks",
            authors="Synthetic A, Generator B",
            year="2022",
            venue="causal-web benchmarks",
            notes="Synthetic: generated by causal_web.model.synthetic; not a real publication.",
        )
    studies = []
    n_studies = max(n_cmocs // 10 - len(_PHASES), 6)
    review_docs = [_PHASES[0][2], _PHASES[1][2]]
    for index in range(1, n_studies + 1):
        sid = f"SYN-S{index:06d}"
        part_of = review_docs[index % 2]
        sources[sid] = Source(
            id=sid,
            kind="study",
            title=f"Collaboration study {index}" if rng.random() < 0.7 else "",
            authors=f"{rng.choice(_SURNAMES)} et al.",
            year=str(rng.randint(1995, 2021)) if rng.random() < 0.8 else "",
            venue=rng.choice(_VENUES) if rng.random() < 0.6 else "",
            collaboration_type=rng.choice(_COLLABORATION_TYPES),
            part_of=part_of,
            citation=Citation(part_of, "Table 1", str(index), curated_file="synthetic_studies.csv"),
        )
        studies.append(sid)
    return sources, studies


def _slot(rng: random.Random, concepts: dict[str, Concept], cid: str, inferred_rate: float = 0.05) -> Slot:
    roll = rng.random()
    name = concepts[cid].pref_label
    if roll < 0.45:
        polarity, label = Polarity.INCREASE, f"{rng.choice(_INCREASE_WORDS)} {name[0].lower()}{name[1:]}"
    elif roll < 0.70:
        polarity, label = Polarity.DECREASE, f"{rng.choice(_DECREASE_WORDS)} {name[0].lower()}{name[1:]}"
    else:
        polarity, label = Polarity.UNSPECIFIED, name
    return Slot(label=label, concept=cid, polarity=polarity, inferred=rng.random() < inferred_rate)


def _cells(rng: random.Random, concepts: dict[str, Concept], picker: _Picker, two: float) -> list[Slot]:
    """One cell: usually one slot, sometimes a list, sometimes a compound label naming two concepts."""
    first = picker.pick()
    slots = [_slot(rng, concepts, first)]
    roll = rng.random()
    if roll < two:
        second = picker.pick()
        if second != first:
            slot = _slot(rng, concepts, second)
            if roll < two / 4:  # a compound label kept whole in both slots
                slot = Slot(slots[0].label, second, slots[0].polarity, slot.inferred)
            slots.append(slot)
    return slots


def generate_dataset(n_cmocs: int, seed: int = 0) -> Dataset:
    """A realistic synthetic dataset of ``n_cmocs`` CMOCs, the same for the same seed."""
    if n_cmocs < 1:
        raise ValueError(f"n_cmocs must be at least 1, not {n_cmocs}")
    rng = random.Random(seed)
    dataset = Dataset()
    dataset.scheme = {
        "id": "synthetic",
        "title": f"Synthetic IOC-style vocabulary ({n_cmocs} CMOCs, seed {seed})",
    }
    concepts, layers = _concepts(rng, n_cmocs)
    dataset.concepts = concepts
    for iid, label in _IOC_TYPES:
        dataset.ioc_types[iid] = Concept(id=iid, pref_label=label, definition="Synthetic IOC type.")
    dataset.sources, studies = _sources(rng, n_cmocs)
    previous = None
    for order, (pid, label, doc, _kind, _share, _prefix) in enumerate(_PHASES, start=1):
        dataset.phases[pid] = Phase(
            id=pid,
            label=label,
            order=order,
            source=doc,
            previous=previous,
            description=f"Synthetic theory version {order} for benchmarks.",
        )
        previous = pid

    pick = {
        "context": _Picker(rng, layers["context"], 0.9),
        # The core mechanisms lead the mechanism layer, so they carry most of the evidence.
        "mechanism": _Picker(rng, layers["mechanism"], 1.1),
        "core": _Picker(rng, list(_CORE), 0.5),
        "intermediate": _Picker(rng, layers["intermediate"], 0.8),
        "domain": _Picker(rng, layers["domain"], 0.6),
        "long-term": _Picker(rng, layers["long-term"], 0.6),
        "study": _Picker(rng, studies, 0.6),
    }
    # Templates: (share, context layer, mechanism layer or None, outcome layer or None)
    templates = (
        (0.25, "context", "mechanism", "core"),  # contexts build or erode trust, faith, confidence
        (0.30, "context", "mechanism", "intermediate"),
        (0.10, "core", "mechanism", "intermediate"),
        (0.17, "intermediate", "mechanism", "domain"),
        (0.08, "domain", "mechanism", "long-term"),
        (0.06, "context", None, "intermediate"),
        (0.04, "context", "mechanism", None),  # a mechanism list: no outcome stated
    )
    template_cum = list(itertools.accumulate(t[0] for t in templates))
    ioc_ids = [i for i, _ in _IOC_TYPES]
    statuses = ("affirmed", "refined", "refuted", "new", None)
    counts = [round(n_cmocs * share) for *_, share, _prefix in _PHASES]
    counts[0] += n_cmocs - sum(counts)
    for (pid, _label, doc, _kind, _share, prefix), count in zip(_PHASES, counts, strict=True):
        for row in range(1, count + 1):
            _weight, ctx_layer, mech_layer, out_layer = rng.choices(templates, cum_weights=template_cum)[0]
            context = _cells(rng, concepts, pick[ctx_layer], 0.2)
            mechanism = _cells(rng, concepts, pick[mech_layer], 0.08) if mech_layer else []
            outcome = _cells(rng, concepts, pick[out_layer], 0.15) if out_layer else []
            n_sources = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
            cited = sorted({pick["study"].pick() for _ in range(n_sources)})
            if rng.random() < 0.2:
                cited.append(doc)
            cmoc = CMOC(
                id=f"{prefix}-{row:06d}",
                phase=pid,
                citation=Citation(
                    source=doc,
                    table="Table 3",
                    row=str(row),
                    section=rng.choice(_SECTIONS),
                    curated_file=f"{pid}_cmocs.csv",
                ),
                sources=cited,
                context=context,
                mechanism=mechanism,
                outcome=outcome,
                kind="cmoc" if out_layer else "mechanism-list",
                status="new" if pid == _PHASES[0][0] else rng.choices(statuses, weights=(8, 6, 1, 3, 2))[0],
                ioc_types=sorted(rng.sample(ioc_ids, rng.choice((1, 1, 2)))) if rng.random() < 0.3 else [],
                incomplete=rng.random() < 0.02,
                notes=f"Synthetic record (seed {seed})." if rng.random() < 0.1 else "",
            )
            dataset.cmocs[cmoc.id] = cmoc

    refined, refined_doc = _PHASES[1][0], _PHASES[1][2]
    for index in range(1, max(n_cmocs // 50, 2) + 1):
        source = _slot(rng, concepts, pick["mechanism"].pick(), 0.0)
        target = _slot(rng, concepts, pick["intermediate"].pick(), 0.1)
        sign = rng.choice(list(Sign))
        link = CausalLink(
            id=f"SYN-L{index:05d}",
            phase=refined,
            citation=Citation(
                refined_doc, "Table 2", f"SYN-M{index:04d}", curated_file="synthetic_links.csv"
            ),
            sources=[refined_doc],
            source=source,
            target=target,
            relation={Sign.POSITIVE: "increases", Sign.NEGATIVE: "decreases"}.get(sign, "shapes"),
            sign=sign,
        )
        dataset.links[link.id] = link
    mechanism_ids = layers["mechanism"]
    for index in range(1, min(max(n_cmocs // 100, 2), len(mechanism_ids)) + 1):
        concept = concepts[mechanism_ids[index - 1]]
        entry = MechanismEntry(
            id=f"SYN-M{index:04d}",
            phase=refined,
            citation=Citation(refined_doc, "Table 2", str(index), curated_file="synthetic_mechanisms.csv"),
            sources=[refined_doc],
            concept=concept.id,
            label=concept.pref_label,
            initial_label=concept.pref_label if rng.random() < 0.7 else "",
            mechanism_type=rng.choice(("mindset", "behaviour", "structure")),
            most_frequent_outcome=concepts[pick["intermediate"].pick()].pref_label,
            status=rng.choice(("affirmed", "refined", "new")),
        )
        dataset.mechanisms[entry.id] = entry

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
    for (pid, _label, doc, *_rest), count in zip(_PHASES, counts, strict=True):
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
            "source": refined_doc,
            "item": "Table 2, stated links",
            "record_type": "link",
            "table": "Table 2",
            "known": None,
            "gaps": ["Synthetic data: links are a sample, not a full table."],
        }
    )
    return dataset


def _assign_files(dataset: Dataset, records_per_file: int) -> dict[str, dict[str, list]]:
    """File name to its sections: each phase's records in chunks of ``records_per_file``."""
    files: dict[str, dict[str, list]] = {}
    by_phase: dict[str, list] = {}
    for collection in (dataset.cmocs, dataset.links, dataset.mechanisms):
        for record in collection.values():
            by_phase.setdefault(record.phase, []).append(record)
    for phase in dataset.phases:
        records = by_phase.get(phase, [])
        for start in range(0, len(records), records_per_file):
            name = f"{phase}-{start // records_per_file + 1:03d}.yaml"
            sections: dict[str, list] = {}
            for record in records[start : start + records_per_file]:
                record.file = name
                if isinstance(record, CMOC):
                    sections.setdefault("cmocs", []).append(cmoc_to_dict(record))
                elif isinstance(record, CausalLink):
                    sections.setdefault("links", []).append(link_to_dict(record))
                else:
                    sections.setdefault("mechanisms", []).append(mechanism_to_dict(record))
            files[name] = {k: sections[k] for k in ("cmocs", "links", "mechanisms") if k in sections}
    return files


def write_synthetic(folder: Path, n_cmocs: int, seed: int = 0, records_per_file: int = 5000) -> Path:
    """Write a synthetic data folder (created if needed) and return it.

    The folder holds ``phases.yaml``, ``sources.yaml``, ``concepts.yaml``, ``coverage.yaml`` and
    one record file per ``records_per_file`` records of each phase, in canonical form. Existing
    ``*.yaml`` files in the folder are removed first, so the folder holds exactly this web.
    """
    if records_per_file < 1:
        raise ValueError(f"records_per_file must be at least 1, not {records_per_file}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    dataset = generate_dataset(n_cmocs, seed)
    texts = catalogue_files(dataset)
    for name, sections in _assign_files(dataset, records_per_file).items():
        texts[name] = dump_yaml(sections)
    for name, text in texts.items():
        write_file_atomic(folder / name, text)
    return folder
