"""Every IRI under the base resolves: the live service, told to mint IRIs under its own
address, answers each IRI of its Turtle export with Turtle that holds the IRI."""

from __future__ import annotations

import httpx
import pytest
from conftest import run_cli
from rdflib import BNode, Dataset, Graph, Literal, URIRef

# live_server
pytest_plugins = ["api_fixtures"]
pytestmark = pytest.mark.server


def _iris_under(graph: Graph, base: str) -> set[str]:
    terms = {term for triple in graph for term in triple}
    return {
        str(term)
        for term in terms
        if isinstance(term, URIRef) and not isinstance(term, (BNode, Literal)) and str(term).startswith(base)
    }


def test_every_iri_in_the_turtle_export_dereferences(live_server, tmp_path):
    base = live_server.get("/health").json()["base_iri"]
    assert base.startswith("http://localhost:")  # the service's own address, as it was told
    out = tmp_path / "export.ttl"
    result = run_cli("export", "--format", "ttl", "--base-iri", base, "-o", str(out))
    assert result.returncode == 0, result.stderr
    export = Graph().parse(out, format="turtle")
    iris = _iris_under(export, base)
    # Records, slots, citations, groups, IOC types, schemes and graphs are all in there.
    for fragment in ("/cmocs/R21-016", "/context/1", "/citation", "/concepts/groups/", "/ioc-types/"):
        assert any(fragment in iri for iri in iris), fragment
    failures = []
    with httpx.Client(timeout=30) as http:
        for iri in sorted(iris):
            response = http.get(iri, headers={"Accept": "text/turtle"})
            if response.status_code != 200:
                failures.append(f"{iri}: {response.status_code}")
                continue
            assert response.headers["content-type"].startswith("text/turtle"), iri
            graph = Graph().parse(data=response.text, format="turtle")
            if not any(URIRef(iri) in triple for triple in graph):
                failures.append(f"{iri}: not in its own description")
    assert not failures, f"{len(failures)} of {len(iris)} IRIs fail: {failures[:10]}"


def test_every_graph_of_the_nquads_export_dereferences(live_server, tmp_path):
    # Turtle has no graph names; N-Quads has one per phase plus the catalogue.
    base = live_server.get("/health").json()["base_iri"]
    out = tmp_path / "export.nq"
    assert run_cli("export", "--format", "nquads", "--base-iri", base, "-o", str(out)).returncode == 0
    names = {str(g.identifier) for g in Dataset().parse(out, format="nquads").graphs()}
    names = {name for name in names if name.startswith(base)} | {f"{base}graphs/ontology"}
    assert f"{base}graphs/catalogue" in names and len(names) >= 6
    for name in sorted(names):
        response = httpx.get(name, headers={"Accept": "text/turtle"}, timeout=30)
        assert response.status_code == 200, name
        graph = Graph().parse(data=response.text, format="turtle")
        assert (URIRef(name), None, None) in graph
        assert len(graph) > 10  # the graph's contents come with its description


def test_head_on_the_live_server(live_server):
    get = live_server.get("/cmocs/R21-016/citation", headers={"Accept": "text/turtle"})
    head = httpx.head(
        live_server.url + "cmocs/R21-016/citation", headers={"Accept": "text/turtle"}, timeout=30
    )
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-type"] == get.headers["content-type"]
