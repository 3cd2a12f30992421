"""Property tests over random small CMOC sets: chains are valid paths backed by their
evidence and within the hop cap; files round-trip through the canonical form."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from causal_web.model.canonical import canonical_files
from causal_web.model.loading import read_dataset
from causal_web.model.records import (
    CMOC,
    CausalLink,
    Citation,
    Concept,
    Dataset,
    Phase,
    Polarity,
    Sign,
    Slot,
    Source,
)
from causal_web.web.chains import trace_chains
from causal_web.web.graph import build_web

CONCEPTS = [f"c{i}" for i in range(8)]
polarities = st.sampled_from(list(Polarity))


@st.composite
def slots(draw, min_size: int = 0, max_size: int = 2) -> list[Slot]:
    names = draw(st.lists(st.sampled_from(CONCEPTS), min_size=min_size, max_size=max_size, unique=True))
    return [
        Slot(
            label=f"label {n} {draw(st.text('abc ', max_size=5))}".strip(),
            concept=n,
            polarity=draw(polarities),
        )
        for n in names
    ]


@st.composite
def datasets(draw) -> Dataset:
    data = Dataset()
    data.phases = {p: Phase(p, p, i + 1, "s0") for i, p in enumerate(["p1", "p2"])}
    data.sources = {s: Source(s, kind="paper") for s in ["s0", "s1", "s2"]}
    data.concepts = {c: Concept(c, c.upper()) for c in CONCEPTS}
    for i in range(draw(st.integers(1, 14))):
        cmoc = CMOC(
            id=f"X-{i:03d}",
            phase=draw(st.sampled_from(["p1", "p2"])),
            citation=Citation("s0", "Table 1", str(i + 1)),
            sources=draw(st.lists(st.sampled_from(["s0", "s1", "s2"]), min_size=1, max_size=2, unique=True)),
            context=draw(slots()),
            mechanism=draw(slots()),
            outcome=draw(slots()),
        )
        if cmoc.context or cmoc.mechanism or cmoc.outcome:
            data.cmocs[cmoc.id] = cmoc
    for i in range(draw(st.integers(0, 4))):
        a, b = draw(st.lists(st.sampled_from(CONCEPTS), min_size=2, max_size=2, unique=True))
        data.links[f"X-L{i:02d}"] = CausalLink(
            id=f"X-L{i:02d}",
            phase="p1",
            citation=Citation("s1", "Table 2", str(i + 1)),
            sources=["s1"],
            source=Slot(a, a),
            target=Slot(b, b),
            relation="unspecified",
            sign=draw(st.sampled_from(list(Sign))),
        )
    return data


def _backs(dataset: Dataset, record: str, source: str, target: str) -> bool:
    if record in dataset.links:
        link = dataset.links[record]
        return (link.source.concept, link.target.concept) == (source, target)
    cmoc = dataset.cmocs[record]
    entries = {s.concept for s in cmoc.context + cmoc.mechanism}
    ends = {s.concept for s in cmoc.outcome} or {s.concept for s in cmoc.mechanism}
    return source in entries and target in ends


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=datasets(),
    start=st.sampled_from(CONCEPTS),
    end=st.sampled_from(CONCEPTS),
    max_hops=st.integers(1, 5),
    via=st.none() | st.sampled_from(CONCEPTS),
)
def test_chains_are_valid_backed_and_bounded(data, start, end, max_hops, via):
    web = build_web(data)
    result = trace_chains(web, start, end, via=via, max_hops=max_hops, limit=25)
    for chain in result.chains:
        assert 1 <= len(chain.hops) <= max_hops
        assert chain.concepts[0] == start and chain.concepts[-1] == end
        assert len(set(chain.concepts)) == len(chain.concepts)  # a simple path
        for before, hop in zip(chain.hops, chain.hops[1:], strict=False):
            assert before.target == hop.source
            assert hop.stitched == (not set(before.sources) & set(hop.sources))
        for hop in chain.hops:
            assert hop.records
            for record in hop.records:
                assert _backs(data, record, hop.source, hop.target), (record, hop)
            cited = set()
            for record in hop.records:
                cited |= set((data.cmocs.get(record) or data.links[record]).sources)
            assert set(hop.sources) == cited
        expected = Sign.POSITIVE
        for hop in chain.hops:
            expected = expected * hop.sign
        assert chain.sign is expected
        if via is not None:
            assert via in chain.passes_through
    assert len(result.chains) <= 25


def _write(dataset: Dataset, folder: Path) -> None:
    from causal_web.model.canonical import dump_yaml
    from causal_web.model.serialise import (
        cmoc_to_dict,
        concept_to_dict,
        link_to_dict,
        phase_to_dict,
        source_to_dict,
    )

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "phases.yaml").write_text(
        dump_yaml({"phases": [phase_to_dict(p) for p in dataset.phases.values()]})
    )
    (folder / "sources.yaml").write_text(
        dump_yaml({"sources": [source_to_dict(s) for s in dataset.sources.values()]})
    )
    (folder / "concepts.yaml").write_text(
        dump_yaml(
            {
                "scheme": {},
                "concepts": [concept_to_dict(c) for c in dataset.concepts.values()],
                "ioc_types": [],
            }
        )
    )
    (folder / "coverage.yaml").write_text(dump_yaml({"ledger": []}))
    records = {
        "cmocs": [cmoc_to_dict(c) for c in dataset.cmocs.values()],
        "links": [link_to_dict(link) for link in dataset.links.values()],
    }
    (folder / "records.yaml").write_text(dump_yaml({k: v for k, v in records.items() if v}))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=datasets())
def test_model_round_trips_through_the_files(data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("roundtrip")
    for cmoc in data.cmocs.values():
        cmoc.file = "records.yaml"
    for link in data.links.values():
        link.file = "records.yaml"
    _write(data, folder)
    back, report = read_dataset(folder)
    assert report.ok, report.summary()
    assert back.cmocs == data.cmocs
    assert back.links == data.links
    # and the written files are already canonical
    files = canonical_files(folder)
    for name, text in files.items():
        assert (folder / name).read_text() == text, name
