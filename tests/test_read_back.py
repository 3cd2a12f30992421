"""Reading the RDF back: Dataset → N-Quads → Dataset gives the same records, and the same web."""

from __future__ import annotations

import copy
import dataclasses
import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import causal_web
from causal_web.model.loading import load_dataset
from causal_web.model.records import (
    Dataset,
    EvidenceItem,
    Part,
    PartRef,
    Polarity,
    Relation,
    Valence,
)
from causal_web.model.serialise import cmoc_to_dict, concept_to_dict, record_view, source_to_dict
from causal_web.model.synthetic import generate_dataset
from causal_web.rdf.mapping import dataset_to_nquads
from causal_web.rdf.read_back import (
    dataset_from_nquads,
    dataset_from_quads,
    parse_nquads,
    reviews_from_nquads,
    reviews_from_quads,
)
from causal_web.web.chains import trace_chains
from causal_web.web.graph import build_web

FIXTURES = Path(__file__).resolve().parent / "data"
TABLES = (
    "phases",
    "sources",
    "bases",
    "concepts",
    "ioc_types",
    "cmocs",
    "links",
    "mechanisms",
    "nestings",
    "entry_points",
    "demi_regularities",
    "theories",
)


def file_texts(dataset: Dataset) -> set[str]:
    """Sources whose text is a file of the data folder: the RDF holds its name, not its text."""
    return {s.id for s in dataset.sources.values() if s.text}


def assert_same(dataset: Dataset, back: Dataset) -> None:
    for name in TABLES:
        ours, theirs = getattr(dataset, name), getattr(back, name)
        assert list(theirs) == list(ours), f"{name}: IDs or their order differ"
        for key, record in ours.items():
            assert theirs[key] == record, f"{name}[{key}] differs"
    assert back.scheme == dataset.scheme
    assert back.coverage == dataset.coverage
    assert back.all_bases() == dataset.all_bases()
    kept = {k: v for k, v in dataset.texts.items() if k not in file_texts(dataset)}
    assert back.texts == kept


def round_trip(dataset: Dataset, base: str | None = None) -> Dataset:
    if base is None:
        return dataset_from_nquads(dataset_to_nquads(dataset))
    return dataset_from_nquads(dataset_to_nquads(dataset, base), base)


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return causal_web.load().dataset


@pytest.fixture(scope="module")
def bundled_back(bundled: Dataset) -> Dataset:
    return round_trip(bundled)


def test_bundled_data_reads_back_the_same(bundled: Dataset, bundled_back: Dataset) -> None:
    assert_same(bundled, bundled_back)

    # every field but the lookups kept on a loaded dataset (its memo) and the source texts
    def fields(dataset) -> dict:
        return {f.name: getattr(dataset, f.name) for f in dataclasses.fields(dataset) if f.name != "_memo"}

    assert fields(bundled_back) == fields(bundled) | {"texts": bundled_back.texts}


def test_bundled_records_read_back_the_same_views(bundled: Dataset, bundled_back: Dataset) -> None:
    for key, cmoc in bundled.cmocs.items():
        assert cmoc_to_dict(bundled_back.cmocs[key]) == cmoc_to_dict(cmoc)
        assert record_view(bundled_back.cmocs[key]) == record_view(cmoc)
    for key, link in bundled.links.items():
        assert record_view(bundled_back.links[key]) == record_view(link)
    for key, concept in bundled.concepts.items():
        assert concept_to_dict(bundled_back.concepts[key]) == concept_to_dict(concept)
    for key, source in bundled.sources.items():
        assert source_to_dict(bundled_back.sources[key]) == source_to_dict(source)


def test_bundled_details_survive(bundled_back: Dataset) -> None:
    """Facts read off data/cmocs by hand."""
    r21_016 = bundled_back.cmocs["R21-016"]
    assert [p.label for p in r21_016.context] == ["Shared vision"]
    assert r21_016.mechanism == [Part("Reduced conflict", "conflict", Polarity.DECREASE)]
    assert r21_016.outcome == [Part("Enhanced trust", "trust", Polarity.INCREASE)]
    assert r21_016.split_inferred and r21_016.phase == "review-2021" and r21_016.file == "review-2021.yaml"
    assert r21_016.citation.curated_file == "review2021_cmocs.csv" and r21_016.citation.row == "16"
    r21_001 = bundled_back.cmocs["R21-001"]
    assert [p.concept for p in r21_001.context] == ["partnership-functioning", "trust"]  # the order kept
    assert r21_001.relations[0].relation == "and"
    assert r21_001.relations[0].parts == (PartRef("context", 0), PartRef("context", 1))
    # R21-EP1: each reference goes with the source at the same place
    point = bundled_back.entry_points["R21-EP1"]
    assert point.references[0] == "Cereste et al. [48]" and point.sources[0] == "R21-S007"
    assert point.references[2] == "Fulop [93]" and point.sources[2] == "R21-S040"
    assert bundled_back.concepts["trust"].alt_labels[0] == "Enhanced trust"
    assert bundled_back.scheme["id"] == "ioc"


@pytest.mark.parametrize("folder", ["icamo", "contested"])
def test_fixture_folders_read_back_the_same(folder: str) -> None:
    dataset = load_dataset(FIXTURES / folder)
    assert_same(dataset, round_trip(dataset))


def test_a_text_file_comes_back_as_its_name_only() -> None:
    dataset = load_dataset(FIXTURES / "contested")
    back = round_trip(dataset)
    assert back.sources["review-paper"].text == "texts/review-paper.txt"
    assert "review-paper" in dataset.texts and "review-paper" not in back.texts
    assert back.texts["interview-report"] == dataset.sources["interview-report"].abstract


@pytest.mark.parametrize("seed", [3, 11, 2026])
def test_synthetic_data_reads_back_the_same(seed: int) -> None:
    dataset = generate_dataset(500, seed=seed)
    assert_same(dataset, round_trip(dataset))


def test_a_base_iri_of_its_own() -> None:
    dataset = load_dataset(FIXTURES / "icamo")
    base = "https://example.org/reviews/icamo/"
    text = dataset_to_nquads(dataset, base)
    assert "https://w3id.org/causal-web/cmocs/" not in text
    assert_same(dataset, dataset_from_nquads(text, base))
    # read under another base, none of the records is found
    assert dataset_from_nquads(text).cmocs == {}


def test_bundled_data_under_another_base(bundled: Dataset) -> None:
    assert_same(bundled, round_trip(bundled, "http://localhost:8000/"))


def test_quads_in_any_order_read_back_the_same(bundled: Dataset) -> None:
    quads = list(parse_nquads(dataset_to_nquads(bundled)))
    random.Random(14).shuffle(quads)
    assert_same(bundled, dataset_from_quads(quads))


def test_quads_from_a_store_with_the_ontology_read_back_the_same(bundled: Dataset) -> None:
    kb = causal_web.load()
    quads = list(kb.store.quads_for_pattern(None, None, None, None))
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert kb.iris.graph("ontology") in graphs
    assert_same(bundled, dataset_from_quads(quads))


def test_edge_cases_the_mapping_used_to_lose() -> None:
    """Each of these was dropped or merged by the mapping before it wrote what reads them back."""
    dataset = copy.deepcopy(load_dataset(FIXTURES / "icamo"))
    first, second = list(dataset.concepts)[:2]
    # related stated on one side only, written both ways in SKOS
    dataset.concepts[first].related = [second]
    dataset.concepts[second].related = []
    dataset.concepts[first].alt_labels = ["zeta", "alpha", "zeta"]  # order and a repeat
    dataset.concepts[first].exact_match = ["https://example.org/vocab/x", second]
    cmoc_id = next(iter(dataset.cmocs))
    cmoc = dataset.cmocs[cmoc_id]
    cmoc.ioc_types, cmoc.ioc_types_inferred = [], True
    source = next(iter(dataset.sources.values()))
    cmoc.evidence = [EvidenceItem(source.id, base=source.base or source.id), *cmoc.evidence]
    coded = [ref for ref in _refs(cmoc) if cmoc.part(ref).concept]
    cause, effect = coded[0], coded[-1]
    cmoc.relations = [
        Relation("enables", source=cause, target=effect, inferred=True, notes="no valence given"),
        Relation("constrains", source=cause, target=effect, valence=Valence.POSITIVE),
        *cmoc.relations,
    ]
    back = round_trip(dataset)
    assert back.concepts[first].related == [second] and back.concepts[second].related == []
    assert back.concepts[first].alt_labels == ["zeta", "alpha", "zeta"]
    assert back.concepts[first].exact_match == ["https://example.org/vocab/x", second]
    assert back.cmocs[cmoc_id].ioc_types_inferred
    assert back.cmocs[cmoc_id].relations == cmoc.relations
    # an item that names its source's own base reads back as naming none: the same base
    assert back.cmocs[cmoc_id].evidence[0].base == ""
    assert back.base_of(back.cmocs[cmoc_id].evidence[0]) == dataset.base_of(cmoc.evidence[0])
    back.cmocs[cmoc_id].evidence[0] = cmoc.evidence[0]
    assert_same(dataset, back)


def _refs(cmoc) -> list[PartRef]:
    return [PartRef(name, index) for name, index, _part in cmoc.parts()]


def _edges(web) -> list[tuple]:
    return sorted(
        (u, v, key, tuple(d["cmocs"]), tuple(d["links"]), tuple(d["sources"]), tuple(d["bases"]))
        for u, v, key, d in web.graph.edges(keys=True, data=True)
    )


def _hops(web) -> dict:
    return {(u, v): hop.valence_counts for u, row in web.hops.items() for v, hop in row.items()}


def test_the_web_of_the_read_back_data_is_the_same(bundled: Dataset, bundled_back: Dataset) -> None:
    web, again = build_web(bundled), build_web(bundled_back)
    assert _edges(again) == _edges(web)
    assert _hops(again) == _hops(web)
    # R21-016: shared vision (present) → reduced conflict: −; reduced conflict → enhanced trust: −;
    # and as one hop, shared vision → enhanced trust: +
    assert "R21-016" in again.graph.edges["shared-vision", "conflict", "-"]["cmocs"]
    assert "R21-016" in again.graph.edges["conflict", "trust", "-"]["cmocs"]
    hop = again.hops["shared-vision"]["trust"]
    assert hop.records == ["R21-016"] and hop.valence_counts == {"+": 1, "-": 0, "unspecified": 0}
    # R21-014: slow pace of development (present) → reduced trust: −
    assert "R21-014" in again.hops["slow-pace-of-development"]["trust"].records
    assert again.hops["slow-pace-of-development"]["trust"].valence == "-"


def test_synthetic_web_is_the_same() -> None:
    dataset = generate_dataset(500, seed=5)
    web, again = build_web(dataset), build_web(round_trip(dataset))
    assert _edges(again) == _edges(web)
    assert _hops(again) == _hops(web)


@pytest.mark.parametrize(
    ("start", "end", "concepts", "first_records", "valence"),
    [
        # R21-016 (shared vision → trust through conflict), then R21-001/R21-002 (trust → task achievement)
        (
            "shared-vision",
            "task-achievement",
            ["shared-vision", "trust", "task-achievement"],
            ["R21-016"],
            "+",
        ),
        # R21-014: slow pace of development → reduced trust, then trust → task achievement: −
        (
            "slow-pace-of-development",
            "task-achievement",
            ["slow-pace-of-development", "trust", "task-achievement"],
            ["R21-014"],
            "-",
        ),
    ],
)
def test_chains_on_the_read_back_data_are_the_same(
    bundled: Dataset,
    bundled_back: Dataset,
    start: str,
    end: str,
    concepts: list,
    first_records: list,
    valence: str,
) -> None:
    ours = trace_chains(build_web(bundled), start, end)
    theirs = trace_chains(build_web(bundled_back), start, end)
    assert theirs.to_dict() == ours.to_dict()
    best = theirs.chains[0]
    assert best.concepts == concepts
    assert best.hops[0].records == first_records
    assert best.valence == valence


def test_chains_with_more_hops_are_the_same(bundled: Dataset, bundled_back: Dataset) -> None:
    ours = trace_chains(build_web(bundled), "shared-vision", "collaborative-behaviour", max_hops=4)
    theirs = trace_chains(build_web(bundled_back), "shared-vision", "collaborative-behaviour", max_hops=4)
    assert ours.chains and theirs.to_dict() == ours.to_dict()


MAPPINGS = (
    "concept,relation,match,notes\n"
    "joint-working,exactMatch,collaborative-behaviour,the same idea in the IOC review\n"
    "shared-budget,closeMatch,resource-allocation,\n"
)


def test_several_reviews_split_back_into_their_datasets(tmp_path: Path) -> None:
    from causal_web.knowledge_base import load
    from causal_web.model.reviews import read_mappings
    from causal_web.resources import bundled_data_dir
    from causal_web.review_set import ReviewSet

    icamo = tmp_path / "icamo"
    shutil.copytree(FIXTURES / "icamo", icamo)
    (icamo / "mappings.csv").write_text(MAPPINGS, encoding="utf-8")
    base = "http://example.org/cw/"
    both = load([bundled_data_dir(), icamo], base_iri=base)
    assert isinstance(both, ReviewSet)
    quads = list(both.store.quads_for_pattern(None, None, None, None))  # the store's order
    found = reviews_from_quads(quads, base)
    assert list(found.reviews) == ["ioc", "tests"]
    assert_same(load_dataset(bundled_data_dir()), found.reviews["ioc"])
    assert_same(load_dataset(icamo), found.reviews["tests"])
    assert found.titles["tests"] == "Concepts of the ICAMO test review"
    # the mapping file's rows, without their notes (the RDF holds the SKOS triple only)
    expected = [dataclasses.replace(m, notes="", file="") for m in read_mappings(icamo)]
    assert found.mappings == sorted(expected, key=lambda m: (m.concept, m.relation, m.match))
    merged, owner = found.merged()
    assert merged == both.dataset
    assert owner == both.owner
    assert "collaborative-behaviour" in merged.concepts["joint-working"].exact_match


def test_one_review_reads_back_as_one_review(bundled: Dataset) -> None:
    found = reviews_from_nquads(dataset_to_nquads(bundled))
    assert list(found.reviews) == ["ioc"]
    assert_same(bundled, found.reviews["ioc"])
    assert found.mappings == []


def test_text_that_is_not_nquads_is_refused_with_its_line(bundled: Dataset) -> None:
    from causal_web.errors import CausalWebError

    text = dataset_to_nquads(bundled).splitlines(keepends=True)
    broken = (
        "".join(text[:3])
        + '<https://w3id.org/causal-web/cmocs/X> <https://w3id.org/causal-web/ns#kind> "cmoc .\n'
    )
    with pytest.raises(CausalWebError, match=r"not valid N-Quads: .*line 4"):
        dataset_from_nquads(broken)
    with pytest.raises(CausalWebError, match="not valid N-Quads"):
        reviews_from_nquads(broken)


def test_a_coverage_entry_that_is_not_json_is_named() -> None:
    from causal_web.errors import CausalWebError

    dataset = load_dataset(FIXTURES / "icamo")
    text = dataset_to_nquads(dataset).replace('"{\\"id', '"[\\"id', 1)
    with pytest.raises(CausalWebError, match=r"coverage/ledger/1: cw:ledgerEntry is not a JSON object"):
        dataset_from_nquads(text)


def test_no_quads_give_an_empty_dataset() -> None:
    assert dataset_from_quads([]) == Dataset()


def test_history_survives_a_store() -> None:
    """A store keeps typed literals in its own form (Oxigraph writes xsd:integer "007" as "7");
    the events' dates, booleans and positions still read back as written."""
    from causal_web.model.history import HistoryEvent

    dataset = copy.deepcopy(load_dataset(FIXTURES / "icamo"))
    cmoc = next(iter(dataset.cmocs.values()))
    cmoc.history = [
        HistoryEvent(
            "2026-11-30T09:15:00Z", "causal-web import", "import", "read from the spreadsheet x.xlsx"
        ),
        HistoryEvent("2026-12-01", "a curator", "code"),
        HistoryEvent("2026-12-01T10:00:00+01:00", "another curator", "edit", "label corrected"),
    ]
    store = ox.Store()
    store.bulk_load(dataset_to_nquads(dataset).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    back = dataset_from_quads(store)
    assert back.cmocs[cmoc.id].history == cmoc.history
    assert_same(dataset, back)
    # what another store may send: zero fractional seconds and booleans as 1/0
    text = dataset_to_nquads(dataset).replace('"2026-11-30T09:15:00Z"', '"2026-11-30T09:15:00.000Z"')
    text = text.replace('"true"^^', '"1"^^').replace('"false"^^', '"0"^^')
    assert_same(dataset, dataset_from_nquads(text))
