"""An index carries the per-web views serving needs (causal_web.index.warm): after `build_index`
and `open_index` they are there without being derived again, and the routes behind them answer
as they do from a knowledge base loaded from the files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode

import causal_web.guidance.query as guidance_query
import causal_web.rdf.service_description as service_description
from causal_web.api.app import create_app
from causal_web.guidance import action_guidance, guidance_of
from causal_web.index import build_index, open_index
from causal_web.index.warm import SERVING_VIEWS
from causal_web.knowledge_base import KnowledgeBase, load
from causal_web.rdf.service_description import kept_graph_sizes
from causal_web.resources import bundled_data_dir
from causal_web.review_set import select_review

ICAMO = Path(__file__).parent / "data" / "icamo"
ANSWER_LOW = 1  # enabling items score 1 and constraining ones 5: mostly enabling mechanisms are at risk


@pytest.fixture
def not_derived_again() -> Iterator[None]:
    """Reading the guidance files, deriving the prompts or counting the store's graphs now
    fails the test."""
    again = AssertionError("a view kept in the index was derived again")
    with (
        mock.patch.object(guidance_query, "read_guidance_files", side_effect=again),
        mock.patch.object(guidance_query, "derive_prompts", side_effect=again),
        mock.patch.object(service_description, "graph_sizes", side_effect=again),
    ):
        yield


def _guidance_requests(kb: KnowledgeBase) -> list[tuple[str, str, dict | None]]:
    """Every guidance route, with each collaboration type and stage of the data as a filter."""
    guidance = guidance_of(kb)
    requests: list[tuple[str, str, dict | None]] = [
        ("GET", "/guidance", None),
        ("GET", "/ioc-types", None),
        ("GET", "/stages", None),
        ("GET", "/diagnostic", None),
        ("POST", "/diagnostic/score", {"answers": dict.fromkeys(guidance.instrument.items, ANSWER_LOW)}),
    ]
    requests += [("GET", f"/guidance?ioc_type={t}", None) for t in guidance.typology.types]
    requests += [("GET", f"/guidance?stage={s}", None) for s in guidance.stages.stages]
    return requests


def _answers(client: TestClient, requests: list[tuple[str, str, dict | None]]) -> list[tuple[int, object]]:
    found: list[tuple[int, object]] = []
    for method, url, body in requests:
        response = client.request(method, url, json=body)
        found.append((response.status_code, response.json()))
    return found


@pytest.fixture(scope="module")
def from_files() -> list[tuple[int, object]]:
    """The guidance routes' answers from the bundled data loaded from its files."""
    loaded = load()
    return _answers(TestClient(create_app(loaded)), _guidance_requests(loaded))


def test_every_serving_view_is_in_the_opened_index(bundled_index: Path) -> None:
    opened = open_index(bundled_index)
    assert set(opened.kept_views) == set(SERVING_VIEWS)
    assert "kept_views" not in vars(load())  # loaded from the files: derived on first use


def test_the_warmed_guidance_answers_as_the_files_do(
    bundled_index: Path, from_files: list[tuple[int, object]], not_derived_again: None
) -> None:
    opened = open_index(bundled_index)
    client = TestClient(create_app(opened))
    from_index = _answers(client, _guidance_requests(opened))
    assert [status for status, _body in from_index] == [200] * len(from_index)
    assert from_index == from_files
    guidance, scored = from_index[0][1], from_index[4][1]
    assert guidance["total"] > 0  # type: ignore[index]
    assert any(m["prompts"] for m in scored["mechanisms"])  # type: ignore[index]
    described = client.get("/sparql", headers={"Accept": "text/turtle"})  # the service description
    assert described.status_code == 200
    assert "void:triples" in described.text


def test_the_graph_sizes_are_the_stores(bundled_index: Path, not_derived_again: None) -> None:
    opened = open_index(bundled_index)
    sizes = kept_graph_sizes(opened)
    # every quad of the store is in a named graph: a phase's, the catalogue or the ontology
    assert sum(n for _graph, n in sizes) == len(opened.store)
    graphs = {g.value for g in opened.store.named_graphs()}
    assert [g for g, _n in sizes] == sorted(graphs)
    counted = {g: len(list(opened.store.quads_for_pattern(None, None, None, NamedNode(g)))) for g in graphs}
    assert dict(sizes) == counted


def test_each_review_of_a_set_keeps_its_own_guidance(tmp_path: Path) -> None:
    icamo = tmp_path / "icamo"
    shutil.copytree(ICAMO, icamo)
    out = tmp_path / "both"
    phases: list[str] = []
    build_index([bundled_data_dir(), icamo], out, progress=lambda phase, _m: phases.append(phase))
    assert "views" in phases
    loaded = load([bundled_data_dir(), icamo])
    expected = {rid: action_guidance(select_review(loaded, rid)) for rid in ("ioc", "tests")}
    merged = action_guidance(loaded)
    opened = open_index(out)
    with (
        mock.patch.object(guidance_query, "read_guidance_files", side_effect=AssertionError("read again")),
        mock.patch.object(guidance_query, "derive_prompts", side_effect=AssertionError("derived again")),
    ):
        for rid in ("ioc", "tests"):
            assert action_guidance(select_review(opened, rid)) == expected[rid]
        assert action_guidance(opened) == merged
        tests_review = action_guidance(select_review(opened, "tests"))
    # ICAMO's coded entry parts, by hand: ICAMO-1's two interventions (joint working through
    # information), the coded context of ICAMO-2, -3 and -4; ICAMO-5 codes no mechanism, so none.
    ids = sorted(p["id"] for g in tests_review["groups"] for p in g["prompts"])
    assert ids == [
        "ICAMO-1/intervention[0]",
        "ICAMO-1/intervention[1]",
        "ICAMO-2/context[0]",
        "ICAMO-3/context[0]",
        "ICAMO-4/context[0]",
    ]
