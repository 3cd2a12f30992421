"""The JSON endpoints in process, on the bundled IOC data."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from causal_web.model.records import SLOT_NAMES
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
        ({"kind": "background"}, lambda c: c["kind"] == "background"),
        (
            {"source": "aunger-2021-review"},
            lambda c: "aunger-2021-review" in {e["source"] for e in c["evidence"]},
        ),
        ({"outcome": "trust"}, lambda c: "trust" in {p["concept"] for p in c["outcome"]}),
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
    assert body["evidence"] == [
        {
            "source": "aunger-2021-review",
            "table": "Table 3",
            "row": "16",
            "section": "PARTNERSHIP FUNCTIONING / Conflict",
            "judgement": "confirms",
            "evidence_type": "review-author-statement",
        }
    ]
    assert body["split_inferred"] is True
    # the convenience list derived from the evidence items
    assert body["sources"] == ["aunger-2021-review"]
    for empty in ("intervention", "actor", "mechanism_resource", "mechanism_response", "sign"):
        assert empty not in body


def test_a_cut_off_cmoc_is_incomplete_and_its_fragment_uncoded(client):
    # Table 3 row 22 of the 2021 review stops after "greater ambi" in the available copy.
    body = client.get("/cmocs/R21-022").json()
    assert body["incomplete"] is True
    assert body["outcome"] == [
        {"label": "Greater risk threshold", "concept": "risk-threshold", "polarity": "increase"},
        {"label": "greater ambi[TRUNCATED]", "concept": None, "polarity": "unspecified"},
    ]
    # Uncoded parts are still found by a word search.
    found = client.get("/cmocs", params={"q": "greater ambi[TRUNCATED]"}).json()
    assert [c["id"] for c in found["items"]] == ["R21-022"]


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
    assert set(body["cmocs"]) == set(SLOT_NAMES)
    for neighbour in body["upstream"] + body["downstream"]:
        assert neighbour["cmocs"] or neighbour["links"]
        assert neighbour["valence"] in {"+", "-", "mixed", "unspecified"}
        assert set(neighbour["valence_counts"]) == {"+", "-", "unspecified"}
    # R21-013 to R21-018 agree that less conflict goes with more trust; B21-L05 states no sign.
    (conflict,) = [n for n in body["upstream"] if n["concept"] == "conflict"]
    assert conflict["valence"] == "-"
    assert conflict["valence_counts"] == {"+": 0, "-": 6, "unspecified": 1}
    assert conflict["bases"] == ["ioc-synthesis"]


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
    assert body["include_background"] is False


def test_the_conflict_to_trust_hop_keeps_its_sign(client):
    body = client.get("/chains", params={"from": "conflict", "to": "trust", "max_hops": 1}).json()
    (chain,) = body["chains"]
    (hop,) = chain["hops"]
    assert hop["records"] == [f"R21-{n:03d}" for n in range(13, 19)] + ["B21-L05"]
    assert hop["valence"] == "-" and chain["valence"] == "-"
    assert hop["valence_counts"]["-"] >= 6 and hop["valence_counts"]["unspecified"] == 1
    assert hop["bases"] == ["ioc-synthesis"] and chain["weakest_bases"] == 1
    assert hop["record_kinds"] == ["cmoc", "typical-outcome"]
    assert hop["nesting"] is None and hop["hypothesis"] is False and hop["stitched"] is False


def test_hops_say_how_they_join(client):
    # R21-N01 (curator) nests R21-016's outcome, trust, into R21-001 and R21-002's context.
    body = client.get("/chains", params={"from": "shared-vision", "to": "task-achievement"}).json()
    (chain,) = [c for c in body["chains"] if c["concepts"] == ["shared-vision", "trust", "task-achievement"]]
    first, second = chain["hops"]
    assert first["records"] == ["R21-016"] and first["nesting"] is None
    assert second["records"] == ["R21-001", "R21-002"]
    assert second["nesting"] == "curator" and second["hypothesis"] is False
    assert chain["hypothesis"] is False
    # Without a recorded nesting, the join is the tool's hypothesis.
    body = client.get("/chains", params={"from": "shared-vision", "to": "collaborative-behaviour"}).json()
    (chain,) = [
        c for c in body["chains"] if c["concepts"] == ["shared-vision", "trust", "collaborative-behaviour"]
    ]
    assert chain["hops"][1]["records"] == ["S22-002"]
    assert chain["hops"][1]["nesting"] == "tool" and chain["hops"][1]["hypothesis"] is True
    assert chain["hypothesis"] is True


def test_chains_leave_background_out_unless_asked(client):
    params = {"from": "inter-organisational-collaboration", "to": "performance-improvement"}
    default = client.get("/chains", params=params).json()
    assert default["include_background"] is False
    assert "E22-L08" not in {r for c in default["chains"] for h in c["hops"] for r in h["records"]}
    asked = client.get("/chains", params={**params, "include_background": "true"}).json()
    assert asked["include_background"] is True
    assert [h["records"] for c in asked["chains"] for h in c["hops"]] == [["E22-L08"]]
    assert asked["chains"][0]["hops"][0]["record_kinds"] == ["background"]


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
    # B21-L05, the typical outcome of conflict in the refined theory, states no valence.
    link = client.get("/links/B21-L05").json()
    assert link["from"]["concept"] == "conflict" and link["to"]["concept"] == "trust"
    assert "valence" not in link and "sign" not in link
    assert link["evidence"][0]["source"] == "aunger-2021-refined"


def test_nestings(client):
    body = client.get("/nestings", params={"limit": 100}).json()
    # R21-N01 to R21-N18 assembled by the curator from the review's labels; S22-N01 stated in
    # the summary's conclusions.
    assert body["total"] == 19
    assert [n["id"] for n in body["items"]] == [f"R21-N{n:02d}" for n in range(1, 19)] + ["S22-N01"]
    assert {n["provenance"] for n in body["items"][:18]} == {"curator"}
    stated = client.get("/nestings/S22-N01").json()
    assert (stated["from"], stated["to"], stated["as"]) == ("S22-015", "S22-016", "mechanism")
    assert stated["provenance"] == "stated" and stated["concept"] == "performance-improvement"
    assert stated["evidence"][0]["source"] == "millar-2022-summary"


def test_entry_points_and_bases(client):
    points = client.get("/entry-points").json()
    assert [p["id"] for p in points["items"]] == [f"R21-EP{n}" for n in range(1, 7)]
    one = client.get("/entry-points/R21-EP2").json()
    assert one["label"] == "Existing interdependence" and one["sources"] == ["R21-S011", "R21-S037"]
    bases = client.get("/bases?limit=1000").json()
    ids = [b["id"] for b in bases["items"]]
    # the three declared bases first, then every source that names none, a base of its own
    assert ids[:3] == ["ioc-synthesis", "ioc-interviews", "ioc-background-framing"]
    assert "R21-S001" in ids and "B21-S01" in ids
    assert client.get("/bases/R21-S001").json()["kind"] == "primary-study"
    assert client.get("/bases/ioc-interviews").json()["kind"] == "interview-set"
    assert client.get("/sources/aunger-2021-review").json()["base"] == "ioc-synthesis"


def test_demi_regularities_and_theories_are_listed_even_when_empty(client):
    # The bundled data transcribes none of either (the refined paper's demi-regularities are
    # not in the available copy).
    for path in ("/demi-regularities", "/theories"):
        body = client.get(path).json()
        assert body == {"total": 0, "limit": 50, "offset": 0, "items": []}
    missing = client.get("/theories/MRT-1")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("path", "kind", "id"),
    [
        ("nestings", "nesting", "S22-N01"),
        ("entry-points", "entry-point", "R21-EP1"),
        ("bases", "base", "ioc-synthesis"),
    ],
)
def test_new_record_kinds_have_linked_data(client, app, path, kind, id):
    response = client.get(f"/{path}/{id}", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert isomorphic(graph, describe_resource(app.state.kb, kind, id))
    assert (URIRef(f"{BASE}{path}/{id}"), None, None) in graph


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
    assert (context, RDF.type, CW.ContextPart) in graph
    assert (context, CW.concept, URIRef(BASE + "concepts/shared-vision")) in graph
    (evidence,) = graph.objects(cmoc, CW.hasEvidence)
    assert (evidence, RDF.type, CW.EvidenceItem) in graph
    assert (evidence, CW.inBase, URIRef(BASE + "bases/ioc-synthesis")) in graph
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
    for path in ("/nestings/{nesting_id}", "/entry-points/{entry_point_id}", "/bases/{base_id}", "/theories"):
        assert path in schema["paths"]
    chains = {p["name"] for p in schema["paths"]["/chains"]["get"]["parameters"]}
    assert "include_background" in chains
    cmoc = schema["components"]["schemas"]["CMOC"]
    described = set(cmoc["properties"])
    assert set(SLOT_NAMES) <= described
    assert {"title", "statement", "relations", "evidence", "incomplete", "predecessors"} <= described
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
