"""The SPARQL 1.1 Protocol endpoint, in process: the three ways to send a query, the result
formats, content negotiation, the row cap and update refusal."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

import causal_web
from causal_web.api.app import create_app
from causal_web.api.settings import Settings
from causal_web.rdf.namespaces import CW

# app, client and live_server
pytest_plugins = ["api_fixtures"]

CW_NS = "https://w3id.org/causal-web/ns#"
BY_MECHANISM = f"""
PREFIX cw: <{CW_NS}>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?id WHERE {{
  ?cmoc a cw:CMOC ; dcterms:identifier ?id ; cw:kind "cmoc" ;
        cw:hasMechanism/cw:concept <https://w3id.org/causal-web/concepts/perception-of-progress> .
}} ORDER BY ?id
"""
EXPECTED = [f"R21-{n:03d}" for n in range(6, 13)]
SPARQL_JSON = "application/sparql-results+json"


def ids_from_json(text: str) -> list[str]:
    return [row["id"]["value"] for row in json.loads(text)["results"]["bindings"]]


def test_get_query(client):
    response = client.get("/sparql", params={"query": BY_MECHANISM})
    assert response.status_code == 200
    assert response.headers["content-type"] == SPARQL_JSON
    assert ids_from_json(response.text) == EXPECTED
    assert response.headers["x-result-rows"] == "7"
    assert response.headers["x-result-truncated"] == "false"


def test_post_form(client):
    response = client.post("/sparql", data={"query": BY_MECHANISM})
    assert response.status_code == 200
    assert ids_from_json(response.text) == EXPECTED


def test_post_query_body(client):
    response = client.post(
        "/sparql", content=BY_MECHANISM.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 200
    assert ids_from_json(response.text) == EXPECTED


def test_select_as_xml(client):
    response = client.get(
        "/sparql", params={"query": BY_MECHANISM}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert response.headers["content-type"] == "application/sparql-results+xml"
    root = ET.fromstring(response.content)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [b.text for b in root.findall(".//r:binding/r:literal", ns)] == EXPECTED


def test_select_as_csv_and_tsv(client):
    response = client.get("/sparql", params={"query": BY_MECHANISM}, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["id"]
    assert [r[0] for r in rows[1:]] == EXPECTED
    response = client.get(
        "/sparql", params={"query": BY_MECHANISM}, headers={"Accept": "text/tab-separated-values"}
    )
    lines = response.text.splitlines()
    assert lines[0] == "?id"
    assert lines[1:] == [f'"{i}"' for i in EXPECTED]


def test_ask(client):
    yes = client.get("/sparql", params={"query": f"ASK {{ ?c a <{CW_NS}CMOC> }}"})
    assert yes.json() == {"head": {}, "boolean": True}
    no = client.get("/sparql", params={"query": f"ASK {{ ?c a <{CW_NS}NoSuchClass> }}"})
    assert no.json()["boolean"] is False


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        (None, "text/turtle", "turtle"),
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(client, accept, media, fmt):
    query = f"CONSTRUCT {{ ?c a <{CW_NS}CMOC> }} WHERE {{ ?c a <{CW_NS}CMOC> }}"
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    graph = Graph().parse(data=response.text, format=fmt)
    assert len(graph) == len(causal_web.load().cmocs)
    assert (URIRef("https://w3id.org/causal-web/cmocs/R21-016"), RDF.type, CW.CMOC) in graph


def test_describe(client):
    response = client.get("/sparql", params={"query": "DESCRIBE <https://w3id.org/causal-web/cmocs/R21-016>"})
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef("https://w3id.org/causal-web/cmocs/R21-016"), RDF.type, CW.CMOC) in graph


def test_format_parameter_overrides_accept(client):
    response = client.get(
        "/sparql", params={"query": "ASK {}", "format": "xml"}, headers={"Accept": SPARQL_JSON}
    )
    assert response.headers["content-type"] == "application/sparql-results+xml"


def test_default_graph_is_the_union_and_graphs_can_be_named(client):
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?c a <{CW_NS}CMOC> }}"
    everything = int(
        json.loads(client.get("/sparql", params={"query": query}).text)["results"]["bindings"][0]["n"][
            "value"
        ]
    )
    review = client.get(
        "/sparql",
        params={"query": query, "default-graph-uri": "https://w3id.org/causal-web/graphs/review-2021"},
    )
    only_review = int(json.loads(review.text)["results"]["bindings"][0]["n"]["value"])
    assert 0 < only_review < everything


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "PREFIX e: <http://e/>\n# a comment\nDELETE WHERE { ?s ?p ?o }",
        "clear all",
        "DROP GRAPH <https://w3id.org/causal-web/graphs/review-2021>",
        "LOAD <http://example.org/data.ttl>",
        "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_and_change_nothing(client, update):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = client.get("/sparql", params={"query": count}).json()
    for response in (
        client.get("/sparql", params={"query": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", data={"update": update}),
        client.post(
            "/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"}
        ),
        client.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert "read only" in response.json()["detail"]
    assert client.get("/sparql", params={"query": count}).json() == before


def test_malformed_query_is_400_naming_the_parameter(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == "query"
    assert "not valid SPARQL" in body["detail"]


def test_missing_and_empty_query_are_400(client):
    # (a GET with no query at all gets the service description: tests/api/test_sparql_protocol.py)
    for response in (
        client.get("/sparql", params={"query": ""}),
        client.post("/sparql", content=b"", headers={"Content-Type": "application/x-www-form-urlencoded"}),
        client.post("/sparql", content=b"", headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 400
        assert response.json()["parameter"] == "query"


def test_unacceptable_result_format_is_406(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    assert SPARQL_JSON in response.json()["supported"]
    response = client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"}
    )
    assert response.status_code == 406
    assert "text/turtle" in response.json()["supported"]


def test_row_cap():
    app = create_app(causal_web.load(), Settings(sparql_max_rows=3, sparql_workers=1))
    with TestClient(app) as capped:
        response = capped.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert len(response.json()["results"]["bindings"]) == 3
        assert response.headers["x-result-rows"] == "3"
        assert response.headers["x-result-truncated"] == "true"
        graph = capped.get(
            "/sparql",
            params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/n-triples"},
        )
        assert len(graph.text.strip().splitlines()) == 3
        assert graph.headers["x-result-truncated"] == "true"
        small = capped.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"})
        assert small.headers["x-result-truncated"] == "false"
