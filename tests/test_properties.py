"""Property tests over random small CMOC sets: chains are valid paths backed by their
evidence and within the hop cap; valence is never wiped out by an unsigned record; files
round-trip through the canonical form."""

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
    EvidenceBase,
    EvidenceItem,
    Part,
    Phase,
    Polarity,
    Source,
    Valence,
)
from causal_web.web.chains import trace_chains
from causal_web.web.graph import build_web

CONCEPTS = [f"c{i}" for i in range(8)]
SOURCES = ["s0", "s1", "s2", "s3"]
polarities = st.sampled_from(list(Polarity))
link_valences = st.sampled_from([Valence.POSITIVE, Valence.NEGATIVE, Valence.UNSPECIFIED])


@st.composite
def parts(draw, min_size: int = 0, max_size: int = 2) -> list[Part]:
    names = draw(st.lists(st.sampled_from([*CONCEPTS, None]), min_size=min_size, max_size=max_size))
    return [
        Part(
            label=f"label {n or 'free text'} {draw(st.text('abc ', max_size=5))}".strip(),
            concept=n,
            polarity=draw(polarities),
        )
        for n in names
    ]


def _evidence(sources: list[str]) -> list[EvidenceItem]:
    return [EvidenceItem(source=s, table="Table 1", judgement="confirms") for s in sources]


@st.composite
def datasets(draw) -> Dataset:
    data = Dataset()
    data.phases = {p: Phase(p, p, i + 1, "s0") for i, p in enumerate(["p1", "p2"])}
    # s0 and s1 are two publications of one review (one evidence base); s2, s3 stand alone.
    data.bases = {"review": EvidenceBase("review", "A review", "review")}
    data.sources = {s: Source(s, kind="paper", base="review" if s in ("s0", "s1") else "") for s in SOURCES}
    data.concepts = {c: Concept(c, c.upper()) for c in CONCEPTS}
    for i in range(draw(st.integers(1, 14))):
        cmoc = CMOC(
            id=f"X-{i:03d}",
            phase=draw(st.sampled_from(["p1", "p2"])),
            citation=Citation("s0", "Table 1", str(i + 1)),
            evidence=_evidence(draw(st.lists(st.sampled_from(SOURCES), min_size=1, max_size=2, unique=True))),
            context=draw(parts()),
            mechanism=draw(parts()),
            outcome=draw(parts()),
        )
        if cmoc.context or cmoc.mechanism or cmoc.outcome:
            data.cmocs[cmoc.id] = cmoc
    for i in range(draw(st.integers(0, 4))):
        a, b = draw(st.lists(st.sampled_from(CONCEPTS), min_size=2, max_size=2, unique=True))
        data.links[f"X-L{i:02d}"] = _link(f"X-L{i:02d}", a, b, draw(link_valences))
    return data


def _link(record: str, a: str, b: str, valence: Valence, source: str = "s2") -> CausalLink:
    return CausalLink(
        id=record,
        phase="p1",
        citation=Citation(source, "Table 2", "1"),
        evidence=_evidence([source]),
        source=Part(a, a),
        target=Part(b, b),
        relation="unspecified",
        valence=valence,
    )


def _backs(dataset: Dataset, record: str, source: str, target: str) -> bool:
    if record in dataset.links:
        link = dataset.links[record]
        return (link.source.concept, link.target.concept) == (source, target)
    cmoc = dataset.cmocs[record]
    entries = {p.concept for p in cmoc.context + cmoc.mechanism}
    ends = {p.concept for p in cmoc.outcome if p.concept} or {p.concept for p in cmoc.mechanism}
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
            # stitched is about independent evidence bases, not about sharing a source ID
            assert hop.stitched == (not set(before.bases) & set(hop.bases))
            assert hop.nesting == "tool"  # random data records no nestings
        for hop in chain.hops:
            assert hop.records
            for record in hop.records:
                assert _backs(data, record, hop.source, hop.target), (record, hop)
            cited = set()
            for record in hop.records:
                cited |= set((data.cmocs.get(record) or data.links[record]).sources)
            assert set(hop.sources) == cited
            assert set(hop.bases) == {"review" if s in ("s0", "s1") else s for s in cited}
            assert sum(hop.valence_counts.values()) >= len(hop.records)
        if via is not None:
            assert via in chain.passes_through
    assert len(result.chains) <= 25


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=datasets(), pick=st.integers(0, 10_000))
def test_an_unsigned_record_never_hides_a_signed_hop(data, pick):
    """Adding a record with no stated valence to any hop leaves a signed summary signed."""
    web = build_web(data)
    pairs = sorted((u, v) for u, row in web.hops.items() for v in row)
    if not pairs:
        return
    u, v = pairs[pick % len(pairs)]
    before = web.hops[u][v]
    data.links["X-UNSIGNED"] = _link("X-UNSIGNED", u, v, Valence.UNSPECIFIED, source="s3")
    after = build_web(data).hops[u][v]
    assert after.valence_counts["unspecified"] == before.valence_counts["unspecified"] + 1
    assert after.valence_counts["+"] == before.valence_counts["+"]
    assert after.valence_counts["-"] == before.valence_counts["-"]
    if before.valence in ("+", "-", "mixed"):
        assert after.valence == before.valence
    else:
        assert after.valence == "unspecified"


@settings(max_examples=150, deadline=None)
@given(counts=st.lists(st.sampled_from(["+", "-", "unspecified"]), max_size=12))
def test_summary_valence_follows_the_stated_signs(counts):
    from causal_web.web.graph import summary_valence

    tally = {k: counts.count(k) for k in ("+", "-", "unspecified")}
    signs = {c for c in counts if c != "unspecified"}
    expected = "mixed" if len(signs) == 2 else (signs.pop() if signs else "unspecified")
    assert summary_valence(tally) == expected


def _write(dataset: Dataset, folder: Path) -> None:
    from causal_web.model.canonical import dump_yaml
    from causal_web.model.serialise import (
        base_to_dict,
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
        dump_yaml(
            {
                "bases": [base_to_dict(b) for b in dataset.bases.values()],
                "sources": [source_to_dict(s) for s in dataset.sources.values()],
            }
        )
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
