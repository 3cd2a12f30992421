"""Seeded synthetic CMOC webs for benchmarks and scale tests.

The generator makes a web shaped like a realist synthesis: about ``n/5`` concepts (the IOC
core mechanisms trust, faith and confidence, the supporting mechanisms, the performance
domains and long-term outcomes, plus many generated contexts, narrower mechanisms and
intermediate outcomes), about ``n/10`` sources, four typed phases (initial, refined, tested,
synthesis), stated links and a mechanism table. CMOCs are layered so that chains exist:
contexts act through mechanisms (often the core ones) on intermediate outcomes, which are the
contexts of CMOCs that reach the performance domains, which in turn feed the long-term
outcomes. Concept use is skewed (a few concepts carry most of the evidence), as in real reviews.

It has the realist model's other features in realistic shares: evidence items judged to
confirm, refute or refine, with locators, evidence types and some ratings; evidence bases (the
review project's papers as one base, its interviews as another, each included study its own
base except a few studies reported in several papers); interventions and actors, mostly
uncoded; a few uncoded parts elsewhere; resource/response splits of the mechanism; relations
with a stated valence, "tempers" and "and"; cut-off fragments (uncoded, record incomplete);
predecessors into earlier phases; nestings between CMOCs (stated or curator-assembled); entry
points, demi-regularities and middle-range theories.

Everything is drawn from one :class:`random.Random`, so a seed always gives the same web.
:func:`write_synthetic` writes it in the format of ``docs/data-format.md`` through the same
serialisers as ``causal-web lint``, so the files load through :func:`causal_web.load`.

>>> from causal_web.model.synthetic import generate_dataset
>>> data = generate_dataset(1000, seed=1)
>>> len(data.cmocs), len(data.concepts) // 10 * 10
(1000, 200)
"""

from __future__ import annotations

import random
from pathlib import Path

from causal_web.atomic import write_file_atomic
from causal_web.model.canonical_emit import BlockEmitter
from causal_web.model.records import (
    CMOC,
    CausalLink,
    Citation,
    Concept,
    Dataset,
    DemiRegularity,
    EntryPoint,
    EvidenceItem,
    MechanismEntry,
    MiddleRangeTheory,
    Nesting,
    Part,
    PartRef,
    Polarity,
    Predecessor,
    Relation,
    Valence,
)
from causal_web.model.serialise import (
    base_to_dict,
    cmoc_to_dict,
    concept_to_dict,
    demi_regularity_to_dict,
    entry_point_to_dict,
    ioc_type_to_dict,
    link_to_dict,
    mechanism_to_dict,
    nesting_to_dict,
    phase_to_dict,
    source_to_dict,
    theory_to_dict,
)
from causal_web.model.synthetic_catalogue import (
    ACTORS,
    CORE,
    CURATOR,
    DECREASE_WORDS,
    ENTRY_POINTS,
    INCREASE_WORDS,
    INTERVENTIONS,
    IOC_TYPES,
    PHASES,
    SECTIONS,
    THEORIES,
    Picker,
    Weighted,
    add_coverage,
    add_phases,
    make_catalogue,
    make_concepts,
)

__all__ = ["GENERATOR_VERSION", "catalogue_documents", "generate_dataset", "write_synthetic"]

GENERATOR_VERSION = 2
"""Bumped whenever the same seed would give a different web (benchmark caches key on it)."""

_FRAGMENT_MARKERS = ("[TRUNCATED]", "[TRUNCATED]", "[...]", "…")
_STATUS_RELATION = {"affirmed": "confirms", "refined": "refines", "refuted": "refutes"}


def _lower(label: str) -> str:
    return label[0].lower() + label[1:]


def _part(rng: random.Random, concepts: dict[str, Concept], cid: str, inferred_rate: float = 0.05) -> Part:
    roll = rng.random()
    name = concepts[cid].pref_label
    if roll < 0.45:
        polarity, label = Polarity.INCREASE, f"{rng.choice(INCREASE_WORDS)} {_lower(name)}"
    elif roll < 0.70:
        polarity, label = Polarity.DECREASE, f"{rng.choice(DECREASE_WORDS)} {_lower(name)}"
    else:
        polarity, label = Polarity.UNSPECIFIED, name
    if rng.random() < 0.03:  # worded so that the curator has not coded it yet
        return Part(f"{label} as the authors put it", None, polarity)
    return Part(label=label, concept=cid, polarity=polarity, inferred=rng.random() < inferred_rate)


def _cell(
    rng: random.Random, concepts: dict[str, Concept], picker: Picker, two: float
) -> tuple[list[Part], bool]:
    """One cell: usually one part, sometimes two, sometimes one compound label naming two concepts
    (kept whole in both parts, which the record joins with an ``and``)."""
    first = picker.pick()
    parts = [_part(rng, concepts, first)]
    roll = rng.random()
    compound = False
    if roll < two:
        second = picker.pick()
        if second != first:
            part = _part(rng, concepts, second)
            if roll < two / 4 and parts[0].coded and part.coded:
                part = Part(parts[0].label, second, parts[0].polarity, part.inferred)
                compound = True
            parts.append(part)
    return parts, compound


def _evidence(
    rng: random.Random,
    judgements: Weighted,
    cited: list[str],
    doc: str,
    doc_type: str,
    table: str,
    row: str,
) -> list[EvidenceItem]:
    """One item per cited source, judged against the record."""
    items = []
    for sid in cited:
        judgement = judgements.pick()
        rated = rng.random() < 0.2
        coder = rng.choice(("coder-1", "coder-2")) if rng.random() < 0.3 else ""
        if sid == doc:
            items.append(
                EvidenceItem(
                    sid, table=table, row=row, judgement=judgement, evidence_type=doc_type, coder=coder
                )
            )
            continue
        items.append(
            EvidenceItem(
                sid,
                page=str(rng.randint(2, 24)),
                judgement=judgement,
                evidence_type="primary-study-finding",
                relevance=rng.choice(("high", "moderate", "low")) if rated else "",
                rigour=rng.choice(("high", "moderate", "low")) if rated else "",
                coder=coder,
            )
        )
    if rng.random() < 0.03:  # the curator read this configuration into the source's text
        items.append(EvidenceItem(doc, table=table, row=row, evidence_type="curator-inference", base=CURATOR))
    return items


def _fragment(rng: random.Random, part: Part) -> Part:
    """The part as a cell cut off in the available copy: never coded."""
    cut = max(3, len(part.label) * 2 // 3)
    return Part(part.label[:cut] + rng.choice(_FRAGMENT_MARKERS), None, Polarity.UNSPECIFIED)


def _relations(rng: random.Random, slots: dict[str, list[Part]], compound: dict[str, bool]) -> list[Relation]:
    relations = []
    for name, flag in compound.items():
        if flag:
            relations.append(Relation("and", parts=(PartRef(name, 0), PartRef(name, 1))))
    first_mechanism = next((PartRef(n, 0) for n in ("mechanism", "mechanism_resource") if slots[n]), None)
    if slots["context"] and first_mechanism is not None:
        if rng.random() < 0.12:  # the source states which way the context acts
            valence = rng.choice((Valence.POSITIVE, Valence.NEGATIVE))
            relations.append(
                Relation(
                    "enables" if valence is Valence.POSITIVE else "constrains",
                    source=PartRef("context", 0),
                    target=first_mechanism,
                    valence=valence,
                    inferred=rng.random() < 0.2,
                )
            )
        if len(slots["context"]) > 1 and rng.random() < 0.15:
            relations.append(Relation("tempers", source=PartRef("context", 1), target=first_mechanism))
    return relations


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
    concepts, layers = make_concepts(rng, n_cmocs)
    dataset.concepts = concepts
    for iid, label in IOC_TYPES:
        dataset.ioc_types[iid] = Concept(id=iid, pref_label=label, definition="Synthetic IOC type.")
    dataset.bases, dataset.sources, studies = make_catalogue(rng, n_cmocs)
    add_phases(dataset)

    pick = {
        "context": Picker(rng, layers["context"], 0.9),
        # The core mechanisms lead the mechanism layer, so they carry most of the evidence.
        "mechanism": Picker(rng, layers["mechanism"], 1.1),
        "core": Picker(rng, list(CORE), 0.5),
        "intermediate": Picker(rng, layers["intermediate"], 0.8),
        "domain": Picker(rng, layers["domain"], 0.6),
        "long-term": Picker(rng, layers["long-term"], 0.6),
        "study": Picker(rng, studies, 0.6),
    }
    # Templates: context layer, mechanism layer or None, outcome layer or None; and their shares
    template = Weighted(
        rng,
        (
            ("context", "mechanism", "core"),  # contexts build or erode trust, faith, confidence
            ("context", "mechanism", "intermediate"),
            ("core", "mechanism", "intermediate"),
            ("intermediate", "mechanism", "domain"),
            ("domain", "mechanism", "long-term"),
            ("context", None, "intermediate"),
            ("context", "mechanism", None),  # a mechanism list: no outcome stated
        ),
        (0.25, 0.30, 0.10, 0.17, 0.08, 0.06, 0.04),
    )
    ioc_ids = [i for i, _ in IOC_TYPES]
    statuses = Weighted(rng, ("affirmed", "refined", "refuted", "new", None), (8, 6, 1, 3, 2))
    n_studies = Weighted(rng, (1, 2, 3), (6, 3, 1))
    judgements = Weighted(rng, ("confirms", "refines", "refutes"), (85, 10, 5))
    counts = [round(n_cmocs * phase[7]) for phase in PHASES]
    counts[0] += n_cmocs - sum(counts)
    earlier: list[str] = []  # CMOC IDs of the phases before the current one
    for (pid, _label, _type, doc, _kind, _base, doc_type, _share, prefix), count in zip(
        PHASES, counts, strict=True
    ):
        mine = []
        first_phase = pid == PHASES[0][0]
        for row in range(1, count + 1):
            ctx_layer, mech_layer, out_layer = template.pick()
            slots: dict[str, list[Part]] = {
                "intervention": [],
                "context": [],
                "actor": [],
                "mechanism": [],
                "mechanism_resource": [],
                "mechanism_response": [],
                "outcome": [],
            }
            compound: dict[str, bool] = {}
            slots["context"], compound["context"] = _cell(rng, concepts, pick[ctx_layer], 0.2)
            split = False
            if mech_layer:
                if rng.random() < 0.15:  # the source names the resource and the response
                    split = True
                    slots["mechanism_resource"] = [_part(rng, concepts, pick[mech_layer].pick())]
                    slots["mechanism_response"] = [_part(rng, concepts, pick["core"].pick())]
                else:
                    slots["mechanism"], compound["mechanism"] = _cell(rng, concepts, pick[mech_layer], 0.08)
            if out_layer:
                slots["outcome"], compound["outcome"] = _cell(rng, concepts, pick[out_layer], 0.15)
            if rng.random() < 0.15:
                if rng.random() < 0.4:
                    context = concepts[pick["context"].pick()]
                    slots["intervention"] = [Part(f"Introducing {_lower(context.pref_label)}", context.id)]
                else:
                    slots["intervention"] = [Part(rng.choice(INTERVENTIONS), None)]
            if rng.random() < 0.2:
                slots["actor"] = [Part(rng.choice(ACTORS), None)]
            incomplete = rng.random() < 0.02
            if incomplete:
                last = next(n for n in ("outcome", "mechanism_response", "mechanism", "context") if slots[n])
                slots[last][-1] = _fragment(rng, slots[last][-1])
                compound[last] = False
            if first_phase or rng.random() < 0.3:
                cited = sorted({pick["study"].pick() for _ in range(n_studies.pick())})
                if rng.random() < 0.2:
                    cited.append(doc)
            else:  # later phases stand mostly on their own document
                cited = [doc] + (sorted({pick["study"].pick()}) if rng.random() < 0.2 else [])
            status = "new" if first_phase else statuses.pick()
            predecessors = []
            if earlier and rng.random() < 0.4:
                relation = _STATUS_RELATION.get(status or "", "") or rng.choice(("confirms", "refines"))
                predecessors.append(
                    Predecessor(earlier[rng.randrange(len(earlier))], relation, inferred=rng.random() < 0.3)
                )
            cmoc_id = f"{prefix}-{row:06d}"
            context_label, outcome_label = (
                slots["context"][0].label,
                (slots["outcome"] or slots["context"])[0].label,
            )
            cmoc = CMOC(
                id=cmoc_id,
                phase=pid,
                citation=Citation(
                    source=doc,
                    table="Table 3",
                    row=str(row),
                    section=rng.choice(SECTIONS),
                    curated_file=f"{pid}_cmocs.csv",
                ),
                evidence=_evidence(rng, judgements, cited, doc, doc_type, "Table 3", str(row)),
                **slots,
                title=f"{context_label} and {_lower(outcome_label)}" if rng.random() < 0.2 else "",
                statement=(
                    f"Where there is {_lower(context_label)}, partners respond, "
                    f"and {_lower(outcome_label)} follows."
                    if rng.random() < 0.15
                    else ""
                ),
                kind="cmoc" if out_layer else "mechanism-list",
                status=status,
                relations=_relations(rng, slots, compound),
                ioc_types=sorted(rng.sample(ioc_ids, rng.choice((1, 1, 2)))) if rng.random() < 0.3 else [],
                incomplete=incomplete,
                split_inferred=split and rng.random() < 0.3,
                configuration_inferred=rng.random() < 0.02,
                predecessors=predecessors,
                notes=f"Synthetic record (seed {seed})." if rng.random() < 0.1 else "",
            )
            dataset.cmocs[cmoc.id] = cmoc
            mine.append(cmoc_id)
        earlier.extend(mine)

    _nestings(rng, dataset, n_cmocs)
    _links_and_mechanisms(rng, dataset, layers, pick)
    _synthesis_records(rng, dataset, studies)
    add_coverage(dataset, counts)
    return dataset


def _nestings(rng: random.Random, dataset: Dataset, n_cmocs: int) -> None:
    """Outcomes that become the context (or mechanism) of another CMOC, stated or curator-assembled."""
    entering: dict[str, dict[str, list[str]]] = {"context": {}, "mechanism": {}}
    with_outcome = []
    for cmoc in dataset.cmocs.values():
        for name in ("context", "mechanism"):
            for part in cmoc.slots(name):
                if part.concept is not None:
                    entering[name].setdefault(part.concept, []).append(cmoc.id)
        if any(p.coded for p in cmoc.outcome):
            with_outcome.append(cmoc.id)
    if not with_outcome:
        return
    wanted, made = max(n_cmocs // 20, 1), 0
    seen: set[tuple[str, str]] = set()
    for _attempt in range(wanted * 4):
        if made >= wanted:
            break
        source = dataset.cmocs[with_outcome[rng.randrange(len(with_outcome))]]
        concept = next(p.concept for p in source.outcome if p.concept is not None)
        slot = "context" if rng.random() < 0.85 else "mechanism"
        candidates = entering[slot].get(concept, [])
        if not candidates:
            continue
        target = candidates[rng.randrange(len(candidates))]
        if target == source.id or (source.id, target) in seen:
            continue
        seen.add((source.id, target))
        made += 1
        stated = rng.random() < 0.3
        doc = dataset.cmocs[target].citation.source
        item = EvidenceItem(
            doc if stated else source.citation.source,
            table="Table 3",
            row=dataset.cmocs[target].citation.row if stated else source.citation.row,
            evidence_type="review-author-statement" if stated else "curator-inference",
            base="" if stated else CURATOR,
        )
        nesting = Nesting(
            id=f"SYN-N{made:06d}",
            source=source.id,
            target=target,
            as_slot=slot,
            provenance="stated" if stated else "curator",
            concept=concept,
            evidence=[item],
        )
        dataset.nestings[nesting.id] = nesting


def _links_and_mechanisms(
    rng: random.Random, dataset: Dataset, layers: dict[str, list[str]], pick: dict[str, Picker]
) -> None:
    concepts, n_cmocs = dataset.concepts, len(dataset.cmocs)
    refined, refined_doc = PHASES[1][0], PHASES[1][3]
    kinds = Weighted(rng, ("stated", "typical-outcome", "background", "aggregate"), (80, 10, 5, 5))
    for index in range(1, max(n_cmocs // 50, 2) + 1):
        source = _part(rng, concepts, pick["mechanism"].pick(), 0.0)
        target = _part(rng, concepts, pick["intermediate"].pick(), 0.1)
        valence = rng.choice((Valence.POSITIVE, Valence.NEGATIVE, Valence.UNSPECIFIED))
        kind = kinds.pick()
        row = f"SYN-M{index:04d}"
        link = CausalLink(
            id=f"SYN-L{index:05d}",
            phase=refined,
            citation=Citation(refined_doc, "Table 2", row, curated_file="synthetic_links.csv"),
            evidence=[EvidenceItem(refined_doc, table="Table 2", row=row)],
            source=source,
            target=target,
            relation={Valence.POSITIVE: "increases", Valence.NEGATIVE: "decreases"}.get(valence, "shapes"),
            valence=valence,
            kind=kind,
        )
        dataset.links[link.id] = link
    mechanism_ids = layers["mechanism"]
    initial = [c.id for c in dataset.cmocs.values() if c.phase == PHASES[0][0]]
    for index in range(1, min(max(n_cmocs // 100, 2), len(mechanism_ids)) + 1):
        concept = concepts[mechanism_ids[index - 1]]
        status = rng.choice(("affirmed", "refined", "new"))
        predecessors = []
        if initial and status != "new":
            predecessors.append(Predecessor(initial[rng.randrange(len(initial))], _STATUS_RELATION[status]))
        entry = MechanismEntry(
            id=f"SYN-M{index:04d}",
            phase=refined,
            citation=Citation(refined_doc, "Table 2", str(index), curated_file="synthetic_mechanisms.csv"),
            evidence=[EvidenceItem(refined_doc, table="Table 2", row=str(index))],
            concept=concept.id,
            label=concept.pref_label,
            initial_label=concept.pref_label if rng.random() < 0.7 else "",
            mechanism_type=rng.choice(("mindset", "behaviour", "structure")),
            most_frequent_outcome=concepts[pick["intermediate"].pick()].pref_label,
            status=status,
            predecessors=predecessors,
        )
        dataset.mechanisms[entry.id] = entry


def _synthesis_records(rng: random.Random, dataset: Dataset, studies: list[str]) -> None:
    """Entry points, demi-regularities and middle-range theories."""
    doc = PHASES[0][3]
    ids = list(dataset.cmocs)
    for index, (label, explanation) in enumerate(ENTRY_POINTS, start=1):
        cited = sorted(rng.sample(studies, min(len(studies), rng.randint(1, 4))))
        point = EntryPoint(
            id=f"SYN-EP{index}",
            label=label,
            citation=Citation(doc, "Table 2", str(index), curated_file="synthetic_entry_points.csv"),
            evidence=[EvidenceItem(doc, table="Table 2", row=str(index))],
            explanation=explanation,
            references=[f"{dataset.sources[s].authors} [{s}]" for s in cited],
            sources=cited,
        )
        dataset.entry_points[point.id] = point
    for index in range(1, max(len(ids) // 500, 2) + 1):
        members = sorted(rng.sample(ids, min(len(ids), rng.randint(3, 8))))
        first = dataset.cmocs[members[0]]
        record = DemiRegularity(
            id=f"SYN-DR{index:04d}",
            statement=f"Across settings, {_lower(first.context[0].label)} goes with the same outcomes.",
            cmocs=members,
            evidence=[EvidenceItem(doc, section="Demi-regularities")],
        )
        dataset.demi_regularities[record.id] = record
    for index, (label, description) in enumerate(THEORIES, start=1):
        theory = MiddleRangeTheory(
            id=f"SYN-T{index}",
            label=label,
            cmocs=sorted(rng.sample(ids, min(len(ids), rng.randint(5, 15)))),
            evidence=[EvidenceItem(PHASES[1][3], section="Discussion")],
            description=description,
        )
        dataset.theories[theory.id] = theory


_SECTIONS_OF = (
    ("cmocs", CMOC, cmoc_to_dict),
    ("links", CausalLink, link_to_dict),
    ("mechanisms", MechanismEntry, mechanism_to_dict),
    ("nestings", Nesting, nesting_to_dict),
    ("entry_points", EntryPoint, entry_point_to_dict),
    ("demi_regularities", DemiRegularity, demi_regularity_to_dict),
    ("theories", MiddleRangeTheory, theory_to_dict),
)


def _assign_files(dataset: Dataset, records_per_file: int) -> dict[str, dict[str, list]]:
    """File name to its sections: each phase's records in chunks of ``records_per_file``, then
    the nestings in chunks of their own and one file of the synthesis's other records."""
    groups: dict[str, list] = {phase: [] for phase in dataset.phases}
    for collection in (dataset.cmocs, dataset.links, dataset.mechanisms):
        for record in collection.values():
            groups[record.phase].append(record)
    groups["nestings"] = list(dataset.nestings.values())
    files: dict[str, dict[str, list]] = {}
    for group, records in groups.items():
        for start in range(0, len(records), records_per_file):
            files[f"{group}-{start // records_per_file + 1:03d}.yaml"] = _sections(
                records[start : start + records_per_file]
            )
    rest = [*dataset.entry_points.values(), *dataset.demi_regularities.values(), *dataset.theories.values()]
    if rest:
        files["synthesis.yaml"] = _sections(rest)
    for name, sections in files.items():
        for records in sections.values():
            for record in records:
                record.file = name
    return files


def _sections(records: list) -> dict[str, list]:
    sections: dict[str, list] = {}
    for section, kind, _to_dict in _SECTIONS_OF:
        mine = [r for r in records if type(r) is kind]
        if mine:
            sections[section] = mine
    return sections


def catalogue_documents(dataset: Dataset) -> dict[str, dict]:
    """The four catalogue files as plain data, laid out as :func:`canonical.catalogue_files` does."""
    sources = {"sources": [source_to_dict(s) for s in dataset.sources.values()]}
    return {
        "phases.yaml": {"phases": [phase_to_dict(p) for p in dataset.phases.values()]},
        "sources.yaml": {"bases": [base_to_dict(b) for b in dataset.bases.values()], **sources}
        if dataset.bases
        else sources,
        "concepts.yaml": {
            "scheme": dataset.scheme,
            "concepts": [concept_to_dict(c) for c in dataset.concepts.values()],
            "ioc_types": [ioc_type_to_dict(i) for i in dataset.ioc_types.values()],
        },
        "coverage.yaml": {"ledger": dataset.coverage},
    }


def write_synthetic(folder: Path, n_cmocs: int, seed: int = 0, records_per_file: int = 5000) -> Path:
    """Write a synthetic data folder (created if needed) and return it.

    The folder holds ``phases.yaml``, ``sources.yaml``, ``concepts.yaml``, ``coverage.yaml``, one
    record file per ``records_per_file`` records of each phase and of the nestings, and
    ``synthesis.yaml`` (entry points, demi-regularities, theories), in canonical form. Existing
    ``*.yaml`` files in the folder are removed first, so the folder holds exactly this web.
    """
    if records_per_file < 1:
        raise ValueError(f"records_per_file must be at least 1, not {records_per_file}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    dataset = generate_dataset(n_cmocs, seed)
    emitter = BlockEmitter()  # the text canonical.dump_yaml gives, many times faster
    for name, document in catalogue_documents(dataset).items():
        write_file_atomic(folder / name, emitter.dump(document))
    to_dict = {section: convert for section, _kind, convert in _SECTIONS_OF}
    for name, sections in _assign_files(dataset, records_per_file).items():
        document = {s: [to_dict[s](r) for r in records] for s, records in sections.items()}
        write_file_atomic(folder / name, emitter.dump(document))
    return folder
