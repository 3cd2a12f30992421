"""The synthetic web generator: seeded, loadable through the real loader, realistic in shape."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest
import yaml
from conftest import DATA, FIXTURES

import causal_web
from causal_web.model.canonical import canonical_files, dump_yaml
from causal_web.model.canonical_emit import BlockEmitter
from causal_web.model.loading import read_dataset
from causal_web.model.records import EVIDENCE_TYPES, JUDGEMENTS, PHASE_TYPES, SLOT_NAMES, Polarity, Valence
from causal_web.model.references import is_fragment
from causal_web.model.synthetic import generate_dataset, write_synthetic
from causal_web.web.chains import trace_chains


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_synthetic(tmp_path_factory.mktemp("synthetic"), 1000, seed=7, records_per_file=300)


@pytest.fixture(scope="module")
def big():
    return generate_dataset(2000, seed=1)


def test_same_seed_same_web_and_files(tmp_path, folder):
    assert repr(generate_dataset(300, seed=3)) == repr(generate_dataset(300, seed=3))
    assert repr(generate_dataset(300, seed=3)) != repr(generate_dataset(300, seed=4))
    again = write_synthetic(tmp_path / "again", 1000, seed=7, records_per_file=300)
    names = sorted(p.name for p in folder.glob("*.yaml"))
    assert names == sorted(p.name for p in again.glob("*.yaml"))
    for name in names:
        assert (folder / name).read_bytes() == (again / name).read_bytes(), name


def test_folder_loads_through_the_loader_without_errors(folder):
    dataset, report = read_dataset(folder)
    assert report.errors == []
    # the only warnings are the uncoded parts the generator makes on purpose
    uncoded = sum(
        p.concept is None and not is_fragment(p.label)
        for c in dataset.cmocs.values()
        for _n, _i, p in c.parts()
    )
    uncoded += sum(not p.coded for link in dataset.links.values() for p in (link.source, link.target))
    assert {p.rule for p in report.problems} == {"coding.uncoded"}
    assert len(report.problems) == uncoded > 0
    assert len(dataset.cmocs) == 1000
    assert dataset.links and dataset.mechanisms and dataset.coverage and dataset.nestings
    assert dataset.entry_points and dataset.demi_regularities and dataset.theories
    assert len(dataset.phases) == 4
    # 1000 CMOCs in chunks of 300: 400 initial, 200 refined (+ links and mechanism entries),
    # 250 tested, 150 synthesis; 50 nestings; one file for the rest
    assert sorted(p.name for p in folder.glob("*.yaml")) == [
        "concepts.yaml", "coverage.yaml", "nestings-001.yaml", "phases.yaml", "sources.yaml",
        "synthesis.yaml", "synthetic-evaluation-001.yaml", "synthetic-refined-001.yaml",
        "synthetic-review-001.yaml", "synthetic-review-002.yaml", "synthetic-summary-001.yaml",
    ]  # fmt: skip
    assert len(dataset.nestings) == 1000 // 20
    # the files hold exactly what the generator made
    made = generate_dataset(1000, seed=7)
    assert repr(dataset.concepts) == repr(made.concepts)
    assert repr(dataset.bases) == repr(made.bases)
    for record_id, cmoc in made.cmocs.items():
        assert dataset.cmocs[record_id].evidence == cmoc.evidence
        assert dataset.cmocs[record_id].relations == cmoc.relations
    kb = causal_web.load(folder)
    assert len(kb.cmocs) == 1000


def test_files_are_in_canonical_form(folder):
    # what `causal-web lint` would write, file by file: nothing to change
    assert canonical_files(folder) == {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.yaml")}


@pytest.mark.parametrize(
    "document",
    [
        {"notes": "two\nlines", "empty": [], "none": {}, "flag": True, "zero": 0, "nothing": None},
        {"yes": "no", "on": ["off", "1", "", "'quoted'", "a: b", "- dash", "#hash", "…"]},
        {"long": " ".join(["word"] * 60), "items": [{"label": " ".join(["x"] * 70), "n": [1, 2]}]},
        {"n": ["16", "08", "0o7", "1.5", "1.5.2", "1e3", "true", "Yes", "NO", "off", "null", "NULL", "y"]},
        {"x": {"y": {"z": ["a - b", "a.b_c", "-a", "a  b", "a ", "SR-000001", "e10", "0x1F", "1_000"]}}},
        {"no": "fine", "null": "x", "id": "word " * 18 + "end", "row": "1" * 78},
        {"k" * 130: "a long key", "v": {"k" * 120: ["x"]}},
        {"float": 1.5},  # not plain data: handed to PyYAML whole
        {"nested": [[1, 2], [3]]},
        {},
    ],
)
def test_the_block_emitter_writes_what_pyyaml_writes(document):
    assert BlockEmitter().dump(document) == dump_yaml(document)


def test_the_block_emitter_on_every_curated_file():
    emitter = BlockEmitter()
    paths = [*DATA.glob("*.yaml"), *(FIXTURES / "good").glob("*.yaml"), *(FIXTURES / "icamo").glob("*.yaml")]
    assert len(paths) > 10
    for path in paths:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert emitter.dump(document) == dump_yaml(document), path.name


def test_folder_passes_cli_validate(folder):
    result = subprocess.run(
        [sys.executable, "-m", "causal_web", "validate", "--no-shacl", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_a_small_folder_passes_the_shacl_shapes(tmp_path):
    small = write_synthetic(tmp_path / "small", 150, seed=2)
    result = subprocess.run(
        [sys.executable, "-m", "causal_web", "validate", str(small)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "ERROR" not in result.stderr


def test_shape_is_realistic(big):
    dataset = big
    assert 380 <= len(dataset.concepts) <= 420  # about n/5
    assert 180 <= len(dataset.sources) <= 220  # about n/10
    assert {c.group for c in dataset.concepts.values()} >= {
        "core-mechanism",
        "supporting-mechanism",
        "performance-domain",
        "long-term-outcome",
    }
    assert any(c.broader for c in dataset.concepts.values())
    parts = [p for c in dataset.cmocs.values() for p in (*c.context, *c.mechanism, *c.outcome)]
    polarities = {p: sum(s.polarity is p for s in parts) / len(parts) for p in Polarity}
    assert all(share > 0.1 for share in polarities.values()), polarities
    assert sum(len(c.context) > 1 for c in dataset.cmocs.values()) > 100  # list cells
    assert sum(len(c.sources) > 1 for c in dataset.cmocs.values()) > 100
    assert len({c.phase for c in dataset.cmocs.values()}) == 4
    # concept use is skewed: the core mechanisms carry much of the evidence
    trust = sum("trust" in c.concepts() for c in dataset.cmocs.values())
    assert trust > len(dataset.cmocs) / 20


def test_phases_are_typed_theory_versions(big):
    phases = sorted(big.phases.values(), key=lambda p: p.order)
    assert tuple(p.type for p in phases) == PHASE_TYPES
    assert [p.previous for p in phases] == [
        None,
        phases[0].id,
        phases[1].id,
        None,
    ]  # a synthesis stands alone


def test_evidence_items_bases_and_judgements(big):
    items = [e for c in big.cmocs.values() for e in c.evidence]
    assert all(c.evidence for c in big.cmocs.values())
    assert {e.evidence_type for e in items} == set(EVIDENCE_TYPES)
    judged = Counter(e.judgement for e in items)
    assert set(judged) == set(JUDGEMENTS) and judged["confirms"] > judged["refines"] > judged["refutes"]
    assert any(e.relevance and e.rigour for e in items) and any(e.coder for e in items)
    # every item has a locator: table and row for the phase's own document, a page for a study
    assert all(e.locator() for e in items)
    studies = [s for s in big.sources.values() if s.kind == "study"]
    # the review project's papers are one base; most studies are bases of their own, a few share one
    assert big.sources["synthetic-review-paper"].base == big.sources["synthetic-refined-paper"].base
    assert big.bases[big.sources["synthetic-evaluation-set"].base].kind == "interview-set"
    shared = Counter(s.base for s in studies if s.base)
    assert shared and max(shared.values()) >= 2
    assert all(big.bases[b].kind == "primary-study" for b in shared)
    assert sum(not s.base for s in studies) > len(studies) / 2
    curator = [e for e in items if e.evidence_type == "curator-inference"]
    assert all(big.base_of(e) == "synthetic-curator" for e in curator)


def test_slots_uncoded_parts_splits_and_relations(big):
    cmocs = list(big.cmocs.values())
    filled = {name: sum(bool(c.slots(name)) for c in cmocs) for name in SLOT_NAMES}
    assert all(filled.values()), filled  # every slot is used somewhere
    split = [c for c in cmocs if c.mechanism_resource]
    assert split and all(c.mechanism_response and not c.mechanism for c in split)
    assert any(c.split_inferred for c in split)
    uncoded = [p for c in cmocs for _n, _i, p in c.parts() if p.concept is None]
    assert len(uncoded) > 100 and all(not p.inferred for p in uncoded)
    assert all(p.concept is None for c in cmocs for p in c.actor)  # actors are not concepts
    stated = [r for c in cmocs for r in c.relations if r.valence.signed]
    assert {r.valence for r in stated} == {Valence.POSITIVE, Valence.NEGATIVE}
    for relation in stated:  # a context with a stated + enables, with a stated - constrains
        assert relation.relation == ("enables" if relation.valence is Valence.POSITIVE else "constrains")
    kinds = Counter(r.relation for c in cmocs for r in c.relations)
    assert kinds["and"] and kinds["tempers"]
    for cmoc in cmocs:
        for relation in cmoc.relations:
            for ref in (relation.source, relation.target, *relation.parts):
                assert ref is None or cmoc.part(ref) is not None, (cmoc.id, ref)
        for relation in cmoc.relations:
            if relation.relation == "and":  # a compound label: one published text, two concepts
                a, b = (cmoc.part(r) for r in relation.parts)
                assert a.label == b.label and a.concept != b.concept


def test_fragments_are_uncoded_and_their_records_incomplete(big):
    incomplete = [c for c in big.cmocs.values() if c.incomplete]
    assert 10 <= len(incomplete) <= 80  # about 2% of 2000
    for cmoc in big.cmocs.values():
        fragments = [p for _n, _i, p in cmoc.parts() if is_fragment(p.label)]
        assert len(fragments) == (1 if cmoc.incomplete else 0), cmoc.id
        assert all(p.concept is None for p in fragments)


def test_predecessors_and_nestings_point_where_they_should(big):
    order = {p.id: p.order for p in big.phases.values()}
    linked = [c for c in big.cmocs.values() if c.predecessors]
    assert len(linked) > 200
    for cmoc in linked:
        for link in cmoc.predecessors:
            assert order[big.cmocs[link.record].phase] < order[cmoc.phase]
            expected = {"affirmed": "confirms", "refined": "refines", "refuted": "refutes"}.get(
                cmoc.status or ""
            )
            assert expected is None or link.relation == expected
    assert {n.provenance for n in big.nestings.values()} == {"stated", "curator"}
    for nesting in big.nestings.values():
        assert nesting.source != nesting.target
        assert nesting.concept in {p.concept for p in big.cmocs[nesting.source].outcome}
        assert nesting.concept in {p.concept for p in big.cmocs[nesting.target].slots(nesting.as_slot)}
    for record in (*big.demi_regularities.values(), *big.theories.values()):
        assert record.cmocs and set(record.cmocs) <= set(big.cmocs)
    assert all(set(p.sources) <= set(big.sources) for p in big.entry_points.values())


def test_link_valences_and_kinds(big):
    links = list(big.links.values())
    assert {link.valence for link in links} == {Valence.POSITIVE, Valence.NEGATIVE, Valence.UNSPECIFIED}
    for link in links:
        assert link.relation == {"+": "increases", "-": "decreases"}.get(link.valence.value, "shapes")
    assert {link.kind for link in links} >= {"stated", "typical-outcome"}


def test_chains_run_from_a_context_through_trust_to_an_outcome(folder):
    kb = causal_web.load(folder)
    web = kb.web
    contexts = [c.id for c in kb.dataset.concepts.values() if c.role == "context"]
    found = None
    for context in contexts[:40]:
        result = trace_chains(web, context, "organisational-efficiency", via="trust", max_hops=4, limit=5)
        if result.chains:
            found = result
            break
    assert found is not None, "no chain from any context through trust to organisational efficiency"
    chain = found.chains[0]
    assert set(chain.passes_through) & web.narrower("trust")
    assert all(hop.records for hop in chain.hops)


def test_a_recorded_nesting_joins_the_hops_of_a_chain(folder):
    kb = causal_web.load(folder)
    dataset = kb.dataset
    for nesting in dataset.nestings.values():
        first, second = dataset.cmocs[nesting.source], dataset.cmocs[nesting.target]
        starts = [p.concept for p in first.context if p.concept and p.concept != nesting.concept]
        ends = [p.concept for p in second.outcome if p.concept and p.concept != nesting.concept]
        if starts and ends and starts[0] != ends[0] and nesting.as_slot == "context":
            break
    else:
        pytest.fail("no nesting between a CMOC with a coded context and one with a coded outcome")
    result = trace_chains(kb.web, starts[0], ends[0], max_hops=2, limit=50, max_expansions=10**6)
    chain = next(c for c in result.chains if c.concepts == [starts[0], nesting.concept, ends[0]])
    assert first.id in chain.hops[0].records and second.id in chain.hops[1].records
    assert chain.hops[0].nesting is None
    assert chain.hops[1].nesting in ("stated", "curator")  # at least as strong as this nesting
    if nesting.provenance == "stated":
        assert chain.hops[1].nesting == "stated"


def test_rejects_nonsense_sizes(tmp_path):
    with pytest.raises(ValueError):
        generate_dataset(0)
    with pytest.raises(ValueError):
        write_synthetic(tmp_path, 10, records_per_file=0)
