"""The JSON endpoints in process, on the bundled IOC data."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from causal_web.rdf.describe import describe_resource
from causal_web.rdf.namespaces import CW
from causal_web.web.queries import CMOCFilter, find_cmocs, find_concepts

# app, client and live_server
pytest_plugins = ["api_fixtures"]

BASE = "https://w3id.org/causal-web/"


def test_health(client):
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["base_iri"] == BASE
    assert body["cmocs"] > 0


def test_cmocs_by_mechanism(client):
    response = client.get("/cmocs", params={"mechanism": "perception-of-progress"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["total"] == 7
    assert (body["limit"], body["offset"]) == (50, 0)
    assert [c["id"] for c in body["items"]] == [f"R21-{n:03d}" for n in range(6, 13)]
    for item in body["items"]:
        assert "perception-of-progress" in {s["concept"] for s in item["mechanism"]}


def test_cmocs_pagination_walks_the_whole_list(client, app):
    everything = find_cmocs(app.state.kb.dataset, CMOCFilter(kind="all"))
    seen = []
    offset = 0
    while True:
        body = client.get("/cmocs", params={"kind": "all", "limit": 10, "offset": offset}).json()
        assert body["total"] == len(everything)
        assert len(body["items"]) <= 10
        if not body["items"]:
            break
        seen += [c["id"] for c in body["items"]]
        offset += 10
    assert seen == [c.id for c in everything]


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"phase": "evaluation-2022"}, lambda c: c["phase"] == "evaluation-2022"),
        ({"status": "new"}, lambda c: c.get("status") == "new"),
        ({"source": "aunger-2021-review"}, lambda c: "aunger-2021-review" in c["sources"]),
        ({"q": "trust"}, lambda c: "trust" in str(c).lower()),
        ({"kind": "mechanism-list"}, lambda c: c["kind"] == "mechanism-list"),
    ],
)
def test_cmoc_filters(client, app, params, check):
    body = client.get("/cmocs", params=params).json()
    expected = find_cmocs(app.state.kb.dataset, CMOCFilter(**params))
    assert body["total"] == len(expected) > 0
    assert all(check(c) for c in body["items"])


def test_cmocs_by_ioc_type_matches_the_library(client, app):
    for ioc in app.state.kb.dataset.ioc_types:
        body = client.get("/cmocs", params={"ioc_type": ioc, "kind": "all"}).json()
        expected = find_cmocs(app.state.kb.dataset, CMOCFilter(ioc_type=ioc, kind="all"))
        assert [c["id"] for c in body["items"]] == [c.id for c in expected]


def test_one_cmoc(client):
    body = client.get("/cmocs/R21-016").json()
    assert body["id"] == "R21-016"
    assert body["context"] == [
        {"label": "Shared vision", "concept": "shared-vision", "polarity": "unspecified"}
    ]
    assert body["mechanism"][0]["concept"] == "conflict"
    assert body["mechanism"][0]["polarity"] == "decrease"
    assert body["outcome"][0]["concept"] == "trust"
    assert body["citation"]["table"] == "Table 3"
    assert body["citation"]["row"] == "16"


def test_concepts_search_and_group(client, app):
    body = client.get("/concepts", params={"q": "trust"}).json()
    ids = [c["id"] for c in body["items"]]
    assert "trust" in ids
    assert body["total"] == len(find_concepts(app.state.kb.dataset, q="trust"))
    core = client.get("/concepts", params={"group": "core-mechanism"}).json()
    assert {"trust", "faith", "confidence"} <= {c["id"] for c in core["items"]}
    assert all(c["group"] == "core-mechanism" for c in core["items"])


def test_concept_neighbourhood(client):
    body = client.get("/concepts/trust").json()
    assert body["concept"]["id"] == "trust"
    assert body["concept"]["pref_label"] == "Trust"
    upstream = {n["concept"] for n in body["upstream"]}
    assert "conflict" in upstream  # R21-016: reduced conflict -> enhanced trust
    assert "R21-016" in body["cmocs"]["outcome"]
    assert set(body["cmocs"]) == {"context", "mechanism", "outcome"}
    for neighbour in body["upstream"] + body["downstream"]:
        assert neighbour["cmocs"] or neighbour["links"]
        assert neighbour["sign"] in {"+", "-", "?"}


def test_chains(client):
    response = client.get(
        "/chains", params={"from": "shared-vision", "to": "trust", "max_hops": 2, "limit": 5}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["from"] == ["shared-vision"]
    assert "trust" in body["to"]
    assert body["limit"] == 5
    assert 1 <= body["total"] <= 5 == body["limit"]
    first = body["chains"][0]
    assert first["concepts"][0] == "shared-vision"
    assert first["hops"][0]["from"] == "shared-vision"
    assert "R21-016" in first["hops"][0]["records"]
    assert all(len(chain["hops"]) <= 2 for chain in body["chains"])


def test_chains_via_a_group(client):
    body = client.get(
        "/chains", params={"from": "shared-vision", "to": "trust", "via": "core mechanisms"}
    ).json()
    assert body["via"]  # the group's concepts


def test_sources(client, app):
    body = client.get("/sources", params={"limit": 5}).json()
    assert body["total"] == len(app.state.kb.dataset.sources)
    assert len(body["items"]) == 5
    one = client.get("/sources/R21-S001").json()
    assert one["id"] == "R21-S001"
    assert one["authors"] == "Adedoyin et al."
    assert one["part_of"] == "aunger-2021-review"


def test_phases_and_diff(client):
    phases = client.get("/phases").json()
    assert [p["id"] for p in phases][:2] == ["review-2021", "refined-2021"]
    assert [p["order"] for p in phases] == sorted(p["order"] for p in phases)
    assert client.get("/phases/review-2021").json()["id"] == "review-2021"
    diff = client.get("/phases/review-2021/diff/refined-2021").json()
    assert (diff["before"], diff["after"]) == ("review-2021", "refined-2021")
    assert {"added", "removed", "refined", "kept", "new_concepts", "mechanisms", "coverage_gaps"} <= set(diff)


def test_coverage_and_stats(client, app):
    ledger = client.get("/coverage").json()
    assert ledger["entries"]
    assert ledger["complete"] + ledger["incomplete_or_unknown"] == len(ledger["entries"])
    stats = client.get("/stats").json()
    assert stats["totals"]["cmocs"] == len(app.state.kb.dataset.cmocs)
    assert stats["coverage"] == ledger


def test_links_and_mechanisms_resolve(client, app):
    link_id = next(iter(app.state.kb.dataset.links))
    assert client.get(f"/links/{link_id}").json()["id"] == link_id
    mechanism_id = next(iter(app.state.kb.dataset.mechanisms))
    assert client.get(f"/mechanisms/{mechanism_id}").json()["id"] == mechanism_id


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
@pytest.mark.parametrize(
    ("path", "kind", "id"),
    [("cmocs", "cmoc", "R21-016"), ("concepts", "concept", "trust"), ("sources", "source", "R21-S001")],
)
def test_linked_data(client, app, accept, media, rdflib_format, path, kind, id):
    response = client.get(f"/{path}/{id}", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "Accept" in response.headers["vary"]
    graph = Graph().parse(data=response.text, format=rdflib_format)
    assert isomorphic(graph, describe_resource(app.state.kb, kind, id))
    assert (URIRef(f"{BASE}{path}/{id}"), None, None) in graph


def test_linked_data_includes_sub_nodes(client):
    graph = Graph().parse(data=client.get("/cmocs/R21-016?format=ttl").text, format="turtle")
    cmoc = URIRef(BASE + "cmocs/R21-016")
    (context,) = graph.objects(cmoc, CW.hasContext)
    assert (context, RDF.type, CW.ContextSlot) in graph
    assert (context, CW.concept, URIRef(BASE + "concepts/shared-vision")) in graph
    (citation,) = graph.objects(cmoc, CW.citation)
    assert str(citation) == BASE + "cmocs/R21-016/citation"
    assert (citation, CW.row, None) in graph


def test_concept_rdf_is_skos(client):
    graph = Graph().parse(data=client.get("/concepts/trust", params={"format": "nt"}).text, format="nt")
    assert (URIRef(BASE + "concepts/trust"), RDF.type, SKOS.Concept) in graph


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json, */*;q=0.1"])
def test_json_is_the_default(client, accept):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/cmocs/R21-016", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"


def test_a_browser_gets_the_html_page(client):
    # What Firefox and Chromium send for a page: HTML wins over */* (JSON).
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/cmocs/R21-016", headers={"Accept": browser})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


def test_accept_quality_values_are_respected(client):
    response = client.get("/cmocs/R21-016", headers={"Accept": "application/json;q=0.5, text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")


def test_openapi_and_docs(client):
    schema = client.get("/openapi.json").json()
    for path in ("/cmocs", "/cmocs/{cmoc_id}", "/concepts/{concept_id}", "/chains", "/sparql", "/coverage"):
        assert path in schema["paths"]
    error = schema["paths"]["/cmocs/{cmoc_id}"]["get"]["responses"]["404"]
    assert list(error["content"]) == ["application/problem+json"]
    assert "HTTPValidationError" not in str(schema["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


def test_the_root_is_left_for_the_explorer(client):
    # Another package adds the explorer page at /; the API must not claim it.
    assert "/" not in client.get("/openapi.json").json()["paths"]


def test_cors_allows_any_origin_by_default(client):
    response = client.get("/health", headers={"Origin": "http://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
