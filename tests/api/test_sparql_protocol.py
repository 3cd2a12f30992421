"""The SPARQL endpoint by the SPARQL 1.1 Protocol, in process: the dataset (FROM, FROM NAMED,
the union default), relative IRIs, the Service Description, the methods it answers, the query
editor page, and the limits on what a request may hold."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from causal_web.resources import ontology_file

# app, client and live_server
pytest_plugins = ["api_fixtures"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
COUNT = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"


def count(client, query: str, **params) -> int:
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def kb(app):
    return app.state.kb


@pytest.fixture(scope="module")
def graph_sizes(kb) -> dict[str, int]:
    """Triples per named graph, counted through the store's own pattern API (not SPARQL)."""
    return {
        graph.value: sum(1 for _ in kb.store.quads_for_pattern(None, None, None, graph))
        for graph in kb.store.named_graphs()
    }


def test_from_counts_only_the_graph_it_names(client, kb):
    ontology = kb.iris.graph("ontology")
    expected = len(Graph().parse(ontology_file(), format="turtle"))
    assert count(client, COUNT.format(**{"from": f"FROM <{ontology}>"})) == expected
    # Without FROM the default graph is the union of every graph, so it holds more.
    assert count(client, COUNT.format(**{"from": ""})) > expected


def test_from_named_limits_the_graphs_graph_can_see(client, kb, graph_sizes):
    review = kb.iris.graph("review-2021")
    query = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{review}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert count(client, query) == graph_sizes[review]
    # FROM NAMED alone leaves an empty default graph.
    empty = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{review}> WHERE {{ ?s ?p ?o }}"
    assert count(client, empty) == 0


def test_protocol_graphs_replace_the_query_dataset(client, kb, graph_sizes):
    ontology, review = kb.iris.graph("ontology"), kb.iris.graph("review-2021")
    query = COUNT.format(**{"from": f"FROM <{ontology}>"})
    assert count(client, query, **{"default-graph-uri": review}) == graph_sizes[review]


def test_relative_iris_resolve_against_the_base(client, kb):
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { BIND(<cmocs/R21-016> AS ?x) }"})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["x"]["value"] == kb.base_iri + "cmocs/R21-016"
    construct = client.post(
        "/sparql",
        content="CONSTRUCT { <s> <p> 1 } WHERE {}",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert construct.status_code == 200, construct.text
    assert construct.text.strip() == (
        f'<{kb.base_iri}s> <{kb.base_iri}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    )


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")],
)
def test_service_description(client, graph_sizes, accept, fmt):
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=fmt)
    endpoint = URIRef("http://testserver/sparql")
    assert (endpoint, RDF.type, SD.Service) in graph
    assert (endpoint, SD.endpoint, endpoint) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (endpoint, SD.feature, SD.UnionDefaultGraph) in graph
    dataset = graph.value(endpoint, SD.defaultDataset)
    named = {
        graph.value(n, SD.name): graph.value(graph.value(n, SD.graph), VOID.triples)
        for n in graph.objects(dataset, SD.namedGraph)
    }
    assert {str(k): v.toPython() for k, v in named.items()} == graph_sizes
    default = graph.value(dataset, SD.defaultGraph)
    assert graph.value(default, VOID.triples) == Literal(sum(graph_sizes.values()))


def test_service_description_formats_agree(client):
    turtle = Graph().parse(
        data=client.get("/sparql", headers={"Accept": "text/turtle"}).content, format="turtle"
    )
    for accept, fmt in (("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
        other = Graph().parse(data=client.get("/sparql", headers={"Accept": accept}).content, format=fmt)
        assert isomorphic(turtle, other), accept


def test_service_description_default_is_turtle_and_406_otherwise(client):
    assert client.get("/sparql", headers={"Accept": "*/*"}).headers["content-type"].startswith("text/turtle")
    refused = client.get("/sparql", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "text/turtle" in refused.json()["supported"]


def test_options_and_other_methods(client):
    response = client.options("/sparql")
    assert response.status_code == 204
    assert {m.strip() for m in response.headers["allow"].split(",")} == {"GET", "HEAD", "POST", "OPTIONS"}
    for method in ("PUT", "DELETE", "PATCH"):
        refused = client.request(method, "/sparql", params={"query": "ASK {}"})
        assert refused.status_code == 405, method
        assert "POST" in refused.headers["allow"]


def test_head_answers_like_get_without_a_body(client):
    head = client.head("/sparql", params={"query": "ASK {}"})
    assert head.status_code == 200
    assert head.headers["content-type"].startswith("application/sparql-results+json")
    assert head.content == b""
    assert client.head("/sparql").headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(
    "request_args",
    [
        {"method": "GET", "url": "/sparql?query=ASK%20%7B%7D&query=SELECT%20*%20%7B%7D"},
        {
            "method": "POST",
            "url": "/sparql",
            "content": "query=ASK%20%7B%7D&query=ASK%20%7B%7D",
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        },
        {
            "method": "POST",
            "url": "/sparql?query=ASK%20%7B%7D",
            "content": "query=ASK%20%7B%7D",
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        },
        {
            "method": "POST",
            "url": "/sparql?query=ASK%20%7B%7D",
            "content": "ASK {}",
            "headers": {"Content-Type": "application/sparql-query"},
        },
    ],
)
def test_more_than_one_query_is_400(client, request_args):
    response = client.request(**request_args)
    assert response.status_code == 400
    assert response.json()["parameter"] == "query"
    assert "exactly one" in response.json()["detail"]


def test_a_body_over_the_limit_is_413_even_when_streamed(client, app):
    limit = app.state.settings.sparql_max_query_bytes
    query = "ASK {} #" + "x" * limit
    declared = client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
    assert declared.status_code == 413
    assert f"{limit:,} bytes" in declared.json()["detail"]

    def chunks():
        for _ in range(limit // 65536 + 2):
            yield b"#" + b"y" * 65535

    streamed = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert streamed.status_code == 413
    form = client.post(
        "/sparql",
        content=b"query=" + b"z" * limit,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 413
    # Just under the limit is fine.
    fits = client.post(
        "/sparql",
        content="ASK {} #" + "x" * (limit - 100),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert fits.status_code == 200


def test_a_body_in_another_charset_is_refused(client):
    body = "ASK {}".encode("utf-16")
    response = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/sparql-query; charset=UTF-16"}
    )
    assert response.status_code == 415
    assert "UTF-8" in response.json()["detail"]


@pytest.mark.parametrize("query", ["SELECT * WHERE " + "{" * 20000, "ASK { FILTER(" + "(" * 50000 + "1 ) }"])
def test_deep_nesting_is_refused_before_a_worker(client, app, query):
    before = app.state.sparql.pids
    response = client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert response.json()["type"].endswith("/query-too-deep")
    assert app.state.sparql.pids == before  # no worker was killed


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * { service silent ?endpoint { ?s ?p ?o } }",
        "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(client, query):
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403
    assert response.json()["type"].endswith("/service-refused")


def test_service_as_a_word_in_data_is_not_refused(client):
    query = 'SELECT ?x WHERE { BIND("SERVICE" AS ?x) ?s <http://e/SERVICE> ?o } # SERVICE'
    assert client.get("/sparql", params={"query": query}).status_code == 200


def test_editor_page_for_browsers(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "connect-src 'self';" in csp and "default-src 'none'" in csp
    assert '<script src="static/yasgui/yasgui.min.js" defer>' in response.text
    assert "sparql-editor-config" in response.text
    from causal_web.rdf.named_queries import named_queries

    for query in named_queries().values():
        assert query.title in response.text
    for name, media in (("yasgui.min.js", "text/javascript"), ("yasgui.min.css", "text/css")):
        asset = client.get(f"/static/yasgui/{name}")
        assert asset.status_code == 200 and asset.headers["content-type"].startswith(media)
        assert asset.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/yasgui/..%2Fapp.py").status_code == 404


def test_results_are_pyoxigraph_serialisations(client, kb):
    query = "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } ORDER BY ?s ?o LIMIT 5"
    for accept, fmt in (
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("text/csv", ox.QueryResultsFormat.CSV),
    ):
        response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        expected = kb.store.query(query, use_default_graph_as_union=True).serialize(format=fmt)
        assert response.content == expected
        assert response.headers["x-result-rows"] == "5"
