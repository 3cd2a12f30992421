"""Remote SPARQL stores, against a real Oxigraph server: `causal-web push`, then `causal-web serve
--sparql-endpoint` (a real uvicorn process) answering as the embedded store does."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from live_server import free_port
from rdflib import Graph
from rdflib.compare import isomorphic
from remote_store import Oxigraph, oxigraph_server, push_bundled, remote_live_server, run_push

import causal_web
from causal_web.api.app import create_app
from causal_web.api.settings import Settings
from causal_web.rdf.iris import DEFAULT_BASE_IRI
from causal_web.remote import load_remote
from causal_web.remote.load import RemoteReviewSet
from causal_web.resources import bundled_data_dir
from causal_web.review_set import select_review

pytestmark = pytest.mark.server

ICAMO = Path(__file__).parent / "data" / "icamo"
CW = "https://w3id.org/causal-web/ns#"
BUNDLED_PHASES = ("review-2021", "refined-2021", "summary-2022", "evaluation-2022")
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory) -> Oxigraph:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(scope="module")
def pushed(oxigraph: Oxigraph) -> Oxigraph:
    """The store after `causal-web push` of the bundled data (default base IRI)."""
    push_bundled(oxigraph)
    return oxigraph


@pytest.fixture(scope="module")
def remote(pushed: Oxigraph, tmp_path_factory):
    """`causal-web serve --sparql-endpoint` on the pushed store, with a 2 s SPARQL limit and a
    cap of 25 rows."""
    log = tmp_path_factory.mktemp("remote-serve") / "serve.log"
    env = {**os.environ, "CAUSAL_WEB_SPARQL_TIMEOUT": "2", "CAUSAL_WEB_SPARQL_MAX_ROWS": "25"}
    with remote_live_server(log, pushed, env=env) as (url, _process):
        yield url


@pytest.fixture(scope="module")
def embedded():
    """The same service on the embedded store, in process, with the same limits."""
    app = create_app(causal_web.load(), Settings(sparql_timeout=2, sparql_max_rows=25, sparql_workers=1))
    with TestClient(app) as client:
        yield client


def _get(url: str, path: str, **kwargs) -> httpx.Response:
    return httpx.get(url + path.lstrip("/"), timeout=60, **kwargs)


def _graph_triples(server: Oxigraph, graph: str) -> int:
    rows = server.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"])


def _store_graph(server: Oxigraph, graph: str) -> Graph:
    """One named graph of the server, as an rdflib graph (blank nodes kept)."""
    response = httpx.get(server.store, params={"graph": graph}, headers={"Accept": "application/n-triples"})
    response.raise_for_status()
    return Graph().parse(data=response.text, format="nt")


def _embedded_graph(kb, graph: str) -> Graph:
    quads = kb.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    text = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES).decode()
    return Graph().parse(data=text, format="nt")


# -- push ---------------------------------------------------------------------------------


def test_push_writes_every_graph_of_the_embedded_store(pushed, kb):
    graphs = {f"{DEFAULT_BASE_IRI}graphs/{name}" for name in (*BUNDLED_PHASES, "catalogue", "ontology")}
    rows = pushed.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {row["g"]["value"] for row in rows} == graphs
    # the same triples, graph by graph; the ontology's blank nodes (OWL lists and restrictions)
    # came through as the same structure
    for graph in sorted(graphs):
        assert isomorphic(_store_graph(pushed, graph), _embedded_graph(kb, graph)), graph
    # the 40 CMOCs of the bundled data, each typed in its phase's graph
    rows = pushed.select(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ ?c a <{CW}CMOC> }} }}")
    assert rows[0]["n"]["value"] == "40"


def test_push_again_replaces_each_graph_and_the_graph_store_protocol_does_the_same(oxigraph, kb):
    before = {g: _graph_triples(oxigraph, g) for g in (f"{DEFAULT_BASE_IRI}graphs/catalogue",)}
    done = run_push("--graph-store", oxigraph.store, "--batch-size", "500")
    assert done.returncode == 0, done.stderr
    summary = done.stderr.strip().splitlines()[-1]
    assert summary.startswith(f"Pushed {len(kb.store):,} triples in 6 named graphs to {oxigraph.store}")
    assert "through the Graph Store Protocol" in summary
    # batches of 500: every graph but the ontology (blank nodes: one request) is split
    sizes = Counter(q.graph_name.value for q in kb.store)
    ontology = f"{DEFAULT_BASE_IRI}graphs/ontology"
    expected = 1 + sum(-(-n // 500) for g, n in sizes.items() if g != ontology)
    assert f"in {expected} requests" in summary
    # replaced, not doubled
    for graph, count in before.items():
        assert _graph_triples(oxigraph, graph) == count == sizes[graph]


def test_push_to_a_dead_endpoint_is_refused_with_a_clear_error():
    dead = f"http://127.0.0.1:{free_port()}/update"
    done = run_push("--endpoint", dead)
    assert done.returncode == 2
    assert f"POST {dead} failed: could not reach the SPARQL store" in done.stderr
    assert "Traceback" not in done.stderr


def test_push_names_the_endpoint_and_the_status_it_answered(oxigraph):
    wrong = oxigraph.url + "no-such-endpoint"
    done = run_push("--endpoint", wrong)
    assert done.returncode == 2
    assert f"POST {wrong} failed: the SPARQL store answered HTTP 404" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_push("--endpoint", "ftp://example.org/update")
    assert done.returncode == 2 and "must be an http:// or https:// address" in done.stderr


def test_push_of_two_reviews_keeps_their_named_graphs(tmp_path):
    base = "http://example.org/two/"
    icamo = tmp_path / "icamo"
    shutil.copytree(ICAMO, icamo)
    with oxigraph_server(tmp_path) as server:
        done = run_push(
            "--endpoint",
            server.update,
            "--base-iri",
            base,
            "--data",
            str(bundled_data_dir()),
            "--data",
            str(icamo),
        )
        assert done.returncode == 0, done.stderr
        rows = server.select(
            f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{base}")) }}'
        )
        graphs = {row["g"]["value"] for row in rows}
        # review IDs are the schemes' IDs: ioc (bundled) and tests (icamo, phases initial and tested)
        expected = {f"{base}graphs/ioc/{name}" for name in (*BUNDLED_PHASES, "catalogue")}
        expected |= {f"{base}graphs/tests/{name}" for name in ("initial", "tested", "catalogue")}
        expected |= {f"{base}graphs/{name}" for name in ("reviews", "ontology")}
        assert graphs == expected
        # the ICAMO CMOCs sit in the tests review's graphs only
        rows = server.select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{base}cmocs/ICAMO-1> a <{CW}CMOC> }} }}"
        )
        assert [row["g"]["value"] for row in rows] == [f"{base}graphs/tests/initial"]
        both = causal_web.load([bundled_data_dir(), icamo], base_iri=base)
        for graph in (f"{base}graphs/tests/tested", f"{base}graphs/ioc/catalogue", f"{base}graphs/reviews"):
            assert isomorphic(_store_graph(server, graph), _embedded_graph(both, graph)), graph
        # read back from the store, the reviews are side by side again
        remote = load_remote(server.query, base_iri=base)
    assert isinstance(remote, RemoteReviewSet)
    assert list(remote.reviews) == ["ioc", "tests"]
    assert sorted(select_review(remote, "tests").dataset.cmocs) == [f"ICAMO-{n}" for n in range(1, 6)]
    assert set(remote.dataset.cmocs) == set(both.dataset.cmocs)
    assert len(select_review(remote, "ioc").dataset.cmocs) == 40


# -- serve --sparql-endpoint ----------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"phase": "evaluation-2022"},
        {"mechanism": "trust"},
        {"outcome": "trust", "kind": "all"},
        {"source": "aunger-2021-review", "limit": 5, "offset": 3},
        {"q": "conflict"},
    ],
)
def test_cmocs_answer_as_on_the_embedded_store(remote, embedded, params):
    got = _get(remote, "/cmocs", params=params)
    assert got.status_code == 200
    assert got.json() == embedded.get("/cmocs", params=params).json()
    assert got.json()["total"] > 0


def test_cmocs_of_a_phase_are_the_phase_records(remote):
    body = _get(remote, "/cmocs", params={"phase": "evaluation-2022", "kind": "all", "limit": 200}).json()
    assert body["total"] == len(body["items"]) > 0
    assert {c["phase"] for c in body["items"]} == {"evaluation-2022"}


def test_a_chain_derived_by_hand(remote, embedded):
    # R21-016: shared vision (present) -> trust (enhanced); R21-001 and R21-002: trust -> task
    # achievement; R21-N01 (curator) nests R21-016's outcome into their context.
    params = {"from": "shared-vision", "to": "task-achievement"}
    body = _get(remote, "/chains", params=params).json()
    (chain,) = [c for c in body["chains"] if c["concepts"] == ["shared-vision", "trust", "task-achievement"]]
    first, second = chain["hops"]
    assert first["records"] == ["R21-016"]
    assert second["records"] == ["R21-001", "R21-002"] and second["nesting"] == "curator"
    assert chain["valence"] == "+"
    assert body == embedded.get("/chains", params=params).json()


def test_a_cmoc_as_json_and_turtle(remote, embedded):
    got = _get(remote, "/cmocs/R21-016")
    assert got.status_code == 200
    body = got.json()
    assert body["id"] == "R21-016" and body["phase"] == "review-2021"
    assert "trust" in {part["concept"] for part in body["outcome"]}
    assert body == embedded.get("/cmocs/R21-016").json()
    turtle = _get(remote, "/cmocs/R21-016", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    here = embedded.get("/cmocs/R21-016", headers={"Accept": "text/turtle"}).text
    assert isomorphic(graph, Graph().parse(data=here, format="turtle"))
    assert len(graph) > 20


def test_sparql_select_ask_and_construct_answer_as_on_the_embedded_store(remote, embedded, kb):
    select = f"SELECT ?cmoc WHERE {{ ?cmoc a <{CW}CMOC> }} ORDER BY ?cmoc LIMIT 20"
    got = _get(remote, "/sparql", params={"query": select})
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/sparql-results+json")
    here = embedded.get("/sparql", params={"query": select})
    assert got.json() == here.json()
    first = sorted(f"{DEFAULT_BASE_IRI}cmocs/{id}" for id in kb.dataset.cmocs)[:20]
    assert [b["cmoc"]["value"] for b in got.json()["results"]["bindings"]] == first
    assert got.headers["x-result-rows"] == "20" and got.headers["x-result-truncated"] == "false"

    ask = f"ASK {{ <{DEFAULT_BASE_IRI}cmocs/R21-016> a <{CW}CMOC> }}"
    assert _get(remote, "/sparql", params={"query": ask}).json()["boolean"] is True
    xml = _get(remote, "/sparql", params={"query": ask.replace("R21-016", "R99-999"), "format": "xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert "<boolean>false</boolean>" in xml.text

    cmoc = f"<{DEFAULT_BASE_IRI}cmocs/R21-016>"
    construct = f"CONSTRUCT {{ {cmoc} ?p ?o }} WHERE {{ {cmoc} ?p ?o }}"
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt")):
        got = _get(remote, "/sparql", params={"query": construct}, headers={"Accept": accept})
        assert got.status_code == 200 and got.headers["content-type"].startswith(accept)
        here = embedded.get("/sparql", params={"query": construct}, headers={"Accept": accept})
        assert isomorphic(Graph().parse(data=got.text, format=fmt), Graph().parse(data=here.text, format=fmt))
        assert got.headers["x-result-rows"] == here.headers["x-result-rows"]


def test_sparql_on_the_remote_store_keeps_the_endpoint_checks(remote):
    update = httpx.post(
        remote + "sparql",
        content="INSERT DATA { <a:b> <a:c> <a:d> }",
        headers={"Content-Type": "application/sparql-update"},
        timeout=30,
    )
    assert update.status_code == 403 and update.json()["type"].endswith("/update-refused")
    service = _get(
        remote, "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/q> { ?s ?p ?o } }"}
    )
    assert service.status_code == 403 and service.json()["type"].endswith("/service-refused")
    syntax = _get(remote, "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert syntax.status_code == 400 and syntax.json()["type"].endswith("/sparql-syntax")
    # the row cap of this server is 25: more rows than that are cut, and the headers say so
    capped = _get(remote, "/sparql", params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"})
    assert len(capped.json()["results"]["bindings"]) == 25
    assert capped.headers["x-result-rows"] == "25" and capped.headers["x-result-truncated"] == "true"


def test_a_runaway_query_on_the_remote_store_is_timed_out(remote):
    response = _get(remote, "/sparql", params={"query": CROSS_PRODUCT})
    assert response.status_code == 503
    assert response.json()["type"].endswith("/query-timeout")
    assert "2 s" in response.json()["detail"]
    assert _get(remote, "/health").status_code == 200


def test_graphs_resolve_as_linked_data_from_the_remote_store(remote, embedded):
    graph = f"{DEFAULT_BASE_IRI}graphs/review-2021"
    # the default base IRI is not this server's address, so the IRI is asked for by path
    got = _get(remote, "/graphs/review-2021", headers={"Accept": "application/n-triples"})
    here = embedded.get("/graphs/review-2021", headers={"Accept": "application/n-triples"})
    assert got.status_code == here.status_code == 200
    assert isomorphic(Graph().parse(data=got.text, format="nt"), Graph().parse(data=here.text, format="nt"))
    assert graph in got.text


def test_serve_refuses_a_store_without_the_data(tmp_path):
    from conftest import run_cli

    with oxigraph_server(tmp_path) as empty:
        done = run_cli("serve", "--port", str(free_port()), "--sparql-endpoint", empty.query)
    assert done.returncode == 2
    assert f"The SPARQL store at {empty.query} holds no graph under {DEFAULT_BASE_IRI}graphs/" in done.stderr
    assert "causal-web push" in done.stderr and "Traceback" not in done.stderr


def test_serve_refuses_a_dead_store():
    from conftest import run_cli

    dead = f"http://127.0.0.1:{free_port()}/query"
    done = run_cli("serve", "--port", str(free_port()), "--sparql-endpoint", dead)
    assert done.returncode == 2
    assert f"POST {dead} failed: could not reach the SPARQL store" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_with_data_pushes_it_first_and_needs_the_update_endpoint(tmp_path):
    from conftest import run_cli

    with oxigraph_server(tmp_path) as server:
        done = run_cli("serve", "--sparql-endpoint", server.query, "--data", str(ICAMO))
        assert done.returncode == 2 and "--sparql-update-endpoint" in done.stderr
        assert "Traceback" not in done.stderr
        args = ["--sparql-update-endpoint", server.update, "--data", str(ICAMO)]
        with remote_live_server(tmp_path / "serve.log", server, args=args) as (url, _process):
            body = _get(url, "/cmocs", params={"kind": "all"}).json()
        # the five CMOCs of the ICAMO fixture review
        assert [c["id"] for c in body["items"]] == [f"ICAMO-{n}" for n in range(1, 6)]
        assert _graph_triples(server, f"{DEFAULT_BASE_IRI}graphs/initial") > 0


def test_a_store_that_goes_away_gets_a_502_naming_it(tmp_path):
    with oxigraph_server(tmp_path) as server:
        push_bundled(server)
        kb = load_remote(server.query)
    # the server has stopped: the records still answer from the snapshot, /sparql cannot
    app = create_app(kb, Settings(sparql_timeout=5, sparql_workers=1))
    with TestClient(app) as client:
        assert client.get("/cmocs/R21-016").json()["id"] == "R21-016"
        response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    assert f"POST {server.query} failed: could not reach the SPARQL store" in response.json()["detail"]
