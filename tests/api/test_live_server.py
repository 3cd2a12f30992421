"""`causal-web serve` as a real uvicorn server on loopback: a standard SPARQL client, linked
data dereferencing of the data's own IRIs, and the query time limit."""

from __future__ import annotations

import threading
import time

import httpx
import psutil
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS
from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from causal_web.rdf.namespaces import CW

# app, client and live_server
pytest_plugins = ["api_fixtures"]

pytestmark = pytest.mark.server

CW_NS = "https://w3id.org/causal-web/ns#"
BY_MECHANISM = f"""
PREFIX cw: <{CW_NS}>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?cmoc ?id WHERE {{
  ?cmoc a cw:CMOC ; dcterms:identifier ?id ; cw:kind "cmoc" ;
        cw:hasMechanism/cw:concept ?concept .
  ?concept dcterms:identifier "perception-of-progress" .
}} ORDER BY ?id
"""
EXPECTED = [f"R21-{n:03d}" for n in range(6, 13)]
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def wrapper(server, method=GET) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "sparql")
    sparql.setMethod(method)
    return sparql


def test_health_and_base_iri(live_server):
    body = live_server.get("/health").json()
    assert body["status"] == "ok"
    port = live_server.url.rsplit(":", 1)[1].rstrip("/")
    # Told to (base IRI "self"), the service mints the data IRIs under its own address.
    assert body["base_iri"] == f"http://localhost:{port}/"


def test_sparqlwrapper_select_json(live_server):
    sparql = wrapper(live_server)
    sparql.setQuery(BY_MECHANISM)
    sparql.setReturnFormat(JSON)
    result = sparql.query().convert()
    assert [row["id"]["value"] for row in result["results"]["bindings"]] == EXPECTED


def test_sparqlwrapper_select_xml_by_post(live_server):
    sparql = wrapper(live_server, POST)
    sparql.setQuery(BY_MECHANISM)
    sparql.setReturnFormat(XML)
    document = sparql.query().convert()  # an xml.dom.minidom Document
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == EXPECTED


def test_sparqlwrapper_ask_posted_directly(live_server):
    sparql = wrapper(live_server, POST)
    sparql.setRequestMethod(POSTDIRECTLY)  # application/sparql-query body
    sparql.setQuery(f"ASK {{ ?c a <{CW_NS}CMOC> }}")
    sparql.setReturnFormat(JSON)
    assert sparql.query().convert()["boolean"] is True


def test_sparqlwrapper_construct_turtle(live_server):
    sparql = wrapper(live_server)
    sparql.setQuery(f"CONSTRUCT {{ ?c a <{CW_NS}CMOC> }} WHERE {{ ?c a <{CW_NS}CMOC> }}")
    sparql.setReturnFormat(TURTLE)
    data = sparql.query().convert()
    graph = Graph().parse(data=data, format="turtle")
    port = live_server.url.rsplit(":", 1)[1].rstrip("/")
    assert (URIRef(f"http://localhost:{port}/cmocs/R21-016"), RDF.type, CW.CMOC) in graph


def test_sparqlwrapper_sees_a_malformed_query(live_server):
    sparql = wrapper(live_server)
    sparql.setQuery("SELECT * WHERE { ?s ?p }")
    sparql.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        sparql.query()


def test_update_is_refused(live_server):
    response = httpx.post(
        live_server.url + "sparql",
        content=b"INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


def test_iris_in_the_data_dereference_to_their_rdf(live_server):
    sparql = wrapper(live_server)
    sparql.setQuery(BY_MECHANISM)
    sparql.setReturnFormat(JSON)
    rows = sparql.query().convert()["results"]["bindings"]
    iri = rows[0]["cmoc"]["value"]
    assert iri.endswith("/cmocs/R21-006")
    response = httpx.get(iri, headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(iri), RDF.type, CW.CMOC) in graph
    (mechanism_slot,) = graph.objects(URIRef(iri), CW.hasMechanism)
    concept_iri = str(graph.value(mechanism_slot, CW.concept))
    concept = httpx.get(concept_iri, headers={"Accept": "application/ld+json"}, timeout=30)
    assert concept.status_code == 200
    concept_graph = Graph().parse(data=concept.text, format="json-ld")
    assert (URIRef(concept_iri), RDF.type, SKOS.Concept) in concept_graph
    source_iri = str(graph.value(URIRef(iri), CW.supportedBy))
    source = httpx.get(source_iri, headers={"Accept": "application/n-triples"}, timeout=30)
    assert source.status_code == 200
    assert isomorphic(
        Graph().parse(data=source.text, format="nt"),
        Graph().parse(data=httpx.get(source_iri + "?format=ttl", timeout=30).text, format="turtle"),
    )


def test_cors_from_settings(live_server):
    response = live_server.get("/health", headers={"Origin": "http://example.org"})
    assert response.headers["access-control-allow-origin"] == "http://example.org"
    response = live_server.get("/health", headers={"Origin": "http://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_a_runaway_query_is_stopped_and_the_server_keeps_answering(live_server):
    server = psutil.Process(live_server.process.pid)
    workers_before = {p.pid for p in server.children()}
    assert len(workers_before) == 2
    outcome: dict = {}

    def slow() -> None:
        started = time.monotonic()
        outcome["response"] = httpx.get(
            live_server.url + "sparql", params={"query": CROSS_PRODUCT}, timeout=60
        )
        outcome["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    try:
        time.sleep(0.3)  # let the query reach a worker
        # While it runs: the service answers, and the other worker answers SPARQL.
        assert live_server.get("/health").status_code == 200
        assert live_server.get("/cmocs/R21-016").json()["id"] == "R21-016"
        fast = live_server.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert fast.json()["boolean"] is True
        assert thread.is_alive(), "the runaway query should still be running"
    finally:
        thread.join(timeout=60)
    response = outcome["response"]
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/query-timeout")
    limit = live_server.sparql_timeout
    assert f"{limit:g} s" in body["detail"]
    # Generous bounds: it stopped at the limit, not long after it.
    assert limit * 0.9 <= outcome["elapsed"] < limit + 10
    # The worker that ran it was killed and replaced; no runaway process is left.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        workers_after = {p.pid for p in server.children()}
        if len(workers_after) == 2:
            break
        time.sleep(0.1)
    assert len(workers_after) == 2
    assert workers_after != workers_before
    assert live_server.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
