"""The W3C SPARQL 1.1 Protocol tests (w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl),
query side, transcribed one test per manifest entry and run against a real uvicorn server.

Adaptations, since this endpoint serves its own data rather than the suite's:
- the endpoint is /sparql, not /sparql/;
- the suite's graphs data0.rdf … data3.rdf become the store's own named graphs, and each
  ``<dataN.rdf> a ?type`` pattern becomes a subject typed only in the graph standing for dataN:
  data1 → graphs/review-2021 (CMOC R21-016), data2 → graphs/summary-2022 (CMOC S22-001),
  data3 → graphs/ontology (the class cw:CMOC), data0 → graphs/catalogue;
- query_multiple_dataset sends its two named graphs as two parameters (the manifest encodes the
  ``&`` of the second into the first's value, which no server can read as two graphs);
- the update entries expect success from an update service; this endpoint is read only, so
  each must be refused with a 4xx, and nothing may change.
The dataset tests add negative controls, so that an endpoint ignoring the dataset fails them.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import Graph

# app, client and live_server
pytest_plugins = ["api_fixtures"]

pytestmark = pytest.mark.server

CW = "https://w3id.org/causal-web/ns#"
BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = (*BOOLEAN_TYPES, "text/csv", "text/tab-separated-values")
RDF_TYPES = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/n-triples": "nt"}
SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Endpoint:
    """The live server's /sparql and the IRIs of its data (minted for localhost:PORT)."""

    def __init__(self, url: str) -> None:
        self.url = url + "sparql"
        base = f"http://localhost:{urlsplit(url).port}/"
        self.data0 = base + "graphs/catalogue"
        self.data1, self.subject1 = base + "graphs/review-2021", base + "cmocs/R21-016"
        self.data2, self.subject2 = base + "graphs/summary-2022", base + "cmocs/S22-001"
        self.data3, self.subject3 = base + "graphs/ontology", CW + "CMOC"

    def get(self, **params) -> httpx.Response:
        return httpx.get(self.url, params=params, timeout=30)

    def post(self, content: bytes | str, headers: dict[str, str] | None = None, **params) -> httpx.Response:
        return httpx.post(self.url, params=params, content=content, headers=headers or {}, timeout=30)


@pytest.fixture(scope="module")
def endpoint(live_server) -> Endpoint:
    return Endpoint(live_server.url)


def boolean(response: httpx.Response) -> bool:
    """The answer of an ASK, read as the media type the server says it sent."""
    assert 200 <= response.status_code < 400, response.text
    media = response.headers["content-type"].split(";")[0]
    assert media in BOOLEAN_TYPES
    if media.endswith("json"):
        return json.loads(response.content)["boolean"]
    element = ET.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert element is not None
    return element.text == "true"


def assert_4xx(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")


def test_query_post_form(endpoint):
    response = endpoint.post("query=ASK%20%7B%7D", FORM, **{"default-graph-uri": endpoint.data0})
    assert boolean(response) is True


def test_query_dataset_default_graphs_get(endpoint):
    query = f"ASK {{ <{endpoint.subject1}> a ?type . <{endpoint.subject2}> a ?type . }}"
    both = httpx.get(
        endpoint.url,
        params=[
            ("query", query),
            ("default-graph-uri", endpoint.data1),
            ("default-graph-uri", endpoint.data2),
        ],
        timeout=30,
    )
    assert boolean(both) is True
    assert boolean(endpoint.get(query=query, **{"default-graph-uri": endpoint.data1})) is False


def test_query_dataset_default_graphs_post(endpoint):
    query = f"ASK {{ <{endpoint.subject1}> a ?type . <{endpoint.subject2}> a ?type . }}"
    params = [("default-graph-uri", endpoint.data1), ("default-graph-uri", endpoint.data2)]
    both = httpx.post(endpoint.url, params=params, content=query, headers=SPARQL_QUERY, timeout=30)
    assert boolean(both) is True
    one = endpoint.post(query, SPARQL_QUERY, **{"default-graph-uri": endpoint.data2})
    assert boolean(one) is False


def _named_query(endpoint: Endpoint) -> str:
    return (
        f"ASK {{ GRAPH ?g1 {{ <{endpoint.subject1}> a ?type }} "
        f"GRAPH ?g2 {{ <{endpoint.subject2}> a ?type }} }}"
    )


def test_query_dataset_named_graphs_post(endpoint):
    params = [("named-graph-uri", endpoint.data1), ("named-graph-uri", endpoint.data2)]
    both = httpx.post(
        endpoint.url, params=params, content=_named_query(endpoint), headers=SPARQL_QUERY, timeout=30
    )
    assert boolean(both) is True
    one = endpoint.post(_named_query(endpoint), SPARQL_QUERY, **{"named-graph-uri": endpoint.data1})
    assert boolean(one) is False


def test_query_dataset_named_graphs_get(endpoint):
    params = [
        ("query", _named_query(endpoint)),
        ("named-graph-uri", endpoint.data1),
        ("named-graph-uri", endpoint.data2),
    ]
    assert boolean(httpx.get(endpoint.url, params=params, timeout=30)) is True
    assert boolean(endpoint.get(query=_named_query(endpoint), **{"named-graph-uri": endpoint.data2})) is False


def test_query_dataset_full(endpoint):
    query = f"""ASK {{
  <{endpoint.subject3}> a ?class
  GRAPH ?g1 {{ <{endpoint.subject1}> a ?type }}
  GRAPH ?g2 {{ <{endpoint.subject2}> a ?type }}
}}"""
    params = [
        ("default-graph-uri", endpoint.data3),
        ("named-graph-uri", endpoint.data1),
        ("named-graph-uri", endpoint.data2),
    ]
    assert (
        boolean(httpx.post(endpoint.url, params=params, content=query, headers=SPARQL_QUERY, timeout=30))
        is True
    )
    # With data1 as the default graph instead of data3, the class is not typed in it.
    other = [*params[1:], ("default-graph-uri", endpoint.data1)]
    assert (
        boolean(httpx.post(endpoint.url, params=other, content=query, headers=SPARQL_QUERY, timeout=30))
        is False
    )


def test_query_multiple_dataset(endpoint):
    query = (
        f"ASK FROM <{endpoint.data3}> {{ GRAPH ?g1 {{ <{endpoint.subject1}> a ?type }} "
        f"GRAPH ?g2 {{ <{endpoint.subject2}> a ?type }} }}"
    )
    params = [("named-graph-uri", endpoint.data1), ("named-graph-uri", endpoint.data2)]
    assert (
        boolean(httpx.post(endpoint.url, params=params, content=query, headers=SPARQL_QUERY, timeout=30))
        is True
    )
    # The protocol's dataset replaces the query's: FROM data3 no longer gives the default graph.
    from_query = f"ASK FROM <{endpoint.data3}> {{ <{endpoint.subject3}> a ?class }}"
    assert boolean(endpoint.post(from_query, SPARQL_QUERY)) is True
    replaced = endpoint.post(from_query, SPARQL_QUERY, **{"named-graph-uri": endpoint.data1})
    assert boolean(replaced) is False


def test_query_get(endpoint):
    assert boolean(endpoint.get(query="ASK {}", **{"default-graph-uri": endpoint.data0})) is True


def test_query_content_type_select(endpoint):
    response = endpoint.post("SELECT (1 AS ?value) {}", SPARQL_QUERY, **{"default-graph-uri": endpoint.data0})
    assert 200 <= response.status_code < 400, response.text
    assert response.headers["content-type"].split(";")[0] in TABULAR_TYPES
    assert json.loads(response.content)["results"]["bindings"][0]["value"]["value"] == "1"


def test_query_content_type_ask(endpoint):
    response = endpoint.post("ASK {}", SPARQL_QUERY, **{"default-graph-uri": endpoint.data0})
    assert boolean(response) is True


def test_query_content_type_describe(endpoint):
    response = endpoint.post(
        "DESCRIBE <http://example.org/>", SPARQL_QUERY, **{"default-graph-uri": endpoint.data0}
    )
    assert 200 <= response.status_code < 400, response.text
    media = response.headers["content-type"].split(";")[0]
    assert media in RDF_TYPES
    assert len(Graph().parse(data=response.content, format=RDF_TYPES[media])) == 0  # nothing about it


def test_query_content_type_construct(endpoint):
    response = endpoint.post(
        "CONSTRUCT { <s> <p> 1 } WHERE {}", SPARQL_QUERY, **{"default-graph-uri": endpoint.data0}
    )
    assert 200 <= response.status_code < 400, response.text
    media = response.headers["content-type"].split(";")[0]
    assert media in RDF_TYPES
    assert len(Graph().parse(data=response.content, format=RDF_TYPES[media])) == 1


def test_query_post_direct(endpoint):
    assert boolean(endpoint.post("ASK {}", SPARQL_QUERY)) is True


def test_bad_query_method(endpoint):
    response = httpx.put(
        endpoint.url,
        params={"query": "ASK {}", "default-graph-uri": endpoint.data0},
        headers=FORM,
        timeout=30,
    )
    assert_4xx(response)


def test_bad_multiple_queries(endpoint):
    assert_4xx(httpx.get(endpoint.url + "?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", timeout=30))


def test_bad_query_wrong_media_type(endpoint):
    assert_4xx(endpoint.post("ASK {}", {"Content-Type": "text/plain"}))


def test_bad_query_missing_form_type(endpoint):
    assert_4xx(endpoint.post(b"query=ASK%20%7B%7D"))


def test_bad_query_missing_direct_type(endpoint):
    assert_4xx(endpoint.post(b"ASK {}"))


def test_bad_query_non_utf8(endpoint):
    body = "ASK {}".encode("utf-16")  # with its byte order mark, as the manifest says
    assert body.startswith((b"\xff\xfe", b"\xfe\xff"))
    assert_4xx(endpoint.post(body, {"Content-Type": "application/sparql-query; charset=UTF-16"}))


def test_bad_query_syntax(endpoint):
    assert_4xx(httpx.get(endpoint.url + "?query=ASK%20%7B", timeout=30))


COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
UPDATES = {
    "update_dataset_default_graph": (
        "POST",
        "CLEAR ALL ; INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> 1 } }",
        "application/sparql-update",
    ),
    "update_post_form": ("POST", "update=CLEAR+ALL", "application/x-www-form-urlencoded"),
    "update_post_direct": ("POST", "CLEAR ALL", "application/sparql-update"),
    "update_base_uri": (
        "POST",
        "INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> <test> } }",
        "application/sparql-update",
    ),
    "bad_update_get": ("GET", None, None),
    "bad_multiple_updates": (
        "POST",
        "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        "application/x-www-form-urlencoded",
    ),
    "bad_update_wrong_media_type": ("POST", "CLEAR NAMED", "text/plain"),
    "bad_update_missing_form_type": ("POST", "update=CLEAR%20NAMED", None),
    "bad_update_non_utf8": (
        "POST",
        "CLEAR NAMED".encode("utf-16"),
        "application/sparql-update; charset=UTF-16",
    ),
    "bad_update_syntax": ("POST", "update=CLEAR%20XYZ", "application/x-www-form-urlencoded"),
}


@pytest.mark.parametrize("entry", list(UPDATES))
def test_update_entries_are_refused(endpoint, entry):
    """Each update entry of the manifest gets a 4xx from this read-only endpoint, and the store
    keeps every triple."""
    before = int(json.loads(endpoint.get(query=COUNT_ALL).content)["results"]["bindings"][0]["n"]["value"])
    method, body, media = UPDATES[entry]
    if method == "GET":
        response = httpx.get(endpoint.url + "?update=CLEAR%20ALL", timeout=30)
    else:
        response = endpoint.post(body, {"Content-Type": media} if media else {})
    assert_4xx(response)
    after = int(json.loads(endpoint.get(query=COUNT_ALL).content)["results"]["bindings"][0]["n"]["value"])
    assert after == before > 0
