"""Linked data in process: the vocabulary at /ns, RDF/XML, HTML pages, alternate links, the
published JSON-LD context and framed JSON-LD that expands to the resource's own triples."""

from __future__ import annotations

import json
import re

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SKOS

from causal_web.rdf.html_page import resource_page
from causal_web.rdf.namespaces import CW

# app, client and live_server
pytest_plugins = ["api_fixtures"]

BASE = "https://w3id.org/causal-web/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "parse_as"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-triples", "nt"),
    ],
)
def test_the_vocabulary_is_served_at_its_namespace(client, accept, parse_as):
    response = client.get("/ns", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=parse_as)
    assert (URIRef("https://w3id.org/causal-web/ns"), RDF.type, OWL.Ontology) in graph
    assert (CW.CMOC, RDF.type, OWL.Class) in graph


def test_the_vocabulary_page_anchors_every_term(client):
    page = client.get("/ns", headers={"Accept": BROWSER})
    assert page.headers["content-type"].startswith("text/html")
    # a term's IRI ns#CMOC lands on its own section of the page
    assert 'id="CMOC"' in page.text and 'id="hasContext"' in page.text


@pytest.mark.parametrize(
    "path",
    [
        "cmocs/R21-016/context/1",
        "cmocs/R21-016/citation",
        "concepts/groups/core-mechanism",
        "ioc-types/mandated",
        "concepts/",
        "graphs/review-2021",
    ],
)
def test_rdf_xml_is_served_wherever_rdf_is(client, path):
    response = client.get("/" + path, headers={"Accept": "application/rdf+xml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/rdf+xml")
    graph = Graph().parse(data=response.text, format="xml")
    assert (URIRef(BASE + path), None, None) in graph


def test_records_have_rdf_xml_too(client):
    response = client.get("/cmocs/R21-016", headers={"Accept": "application/rdf+xml"})
    graph = Graph().parse(data=response.text, format="xml")
    assert (URIRef(BASE + "cmocs/R21-016"), RDF.type, CW.CMOC) in graph


def test_an_unknown_iri_is_a_404_problem(client):
    response = client.get("/cmocs/R21-016/context/9", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "cmocs/R21-016/context/9" in response.json()["detail"]


def test_a_list_path_with_a_slash_still_redirects(client):
    response = client.get("/cmocs/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/cmocs"


def _links(response) -> dict[str, str]:
    """rel="alternate" type -> target, from every Link header of the response."""
    found = {}
    for value in response.headers.get_list("link"):
        for part in value.split(","):
            match = re.match(r'\s*<([^>]*)>;\s*rel="alternate";\s*type="([^"]+)"', part)
            if match:
                found[match.group(2)] = match.group(1)
    return found


@pytest.mark.parametrize("path", ["/cmocs/R21-016", "/cmocs/R21-016/citation", "/ns"])
def test_alternate_links_join_the_representations(client, path):
    links = _links(client.get(path))
    assert {"text/turtle", "application/ld+json", "application/rdf+xml", "text/html"} <= set(links)
    for media, target in links.items():
        response = client.get(target)
        assert response.status_code == 200, target
        assert response.headers["content-type"].startswith(media), target


def test_html_page_is_readable_escaped_and_self_contained(client):
    response = client.get("/cmocs/R21-016", headers={"Accept": BROWSER})
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    page = response.text
    assert "<table>" in page and "cw:hasContext" in page and "Shared vision" in page
    # links to the other representations, and to the slot's own page on this service
    assert 'href="/cmocs/R21-016?format=json"' in page and 'href="/cmocs/R21-016?format=ttl"' in page
    assert 'href="/cmocs/R21-016/context/1"' in page
    # nothing is loaded from anywhere: no script, no image, no external style sheet
    assert not re.search(r"<(script|img|link|iframe)\b", page)
    assert not re.search(r"\bsrc=", page)


def test_html_page_escapes_the_data():
    graph = Graph()
    subject = URIRef(BASE + "cmocs/X")
    graph.add((subject, SKOS.note, Literal('<script>alert("x")</script> & more')))
    graph.add((subject, SKOS.prefLabel, Literal("<b>bold</b>")))
    page = resource_page(graph, str(subject), BASE, {"JSON": '/cmocs/X?format=json"><script>'})
    assert "<script>" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in page


def test_the_context_is_published_and_linked(client):
    context = client.get("/context.jsonld")
    assert context.headers["content-type"].startswith("application/ld+json")
    terms = context.json()["@context"]
    # plain keys for the vocabulary's terms; slot properties read as the slot's name
    assert terms["context"]["@id"] == "cw:hasContext"
    assert terms["mechanism"]["@id"] == "cw:hasMechanism"
    assert terms["outcome"]["@id"] == "cw:hasOutcome"
    assert terms["concept"] == {"@id": "cw:concept", "@type": "@id"}
    assert terms["polarity"]["@type"] == "@vocab"
    assert terms["label"]["@id"].endswith("rdf-schema#label")
    response = client.get("/cmocs/R21-016", headers={"Accept": "application/ld+json"})
    links = response.headers.get_list("link")
    assert any(
        'rel="http://www.w3.org/ns/json-ld#context"' in link and "/context.jsonld" in link for link in links
    )


def test_framed_json_ld_reads_as_plain_json(client):
    doc = client.get("/cmocs/R21-016", headers={"Accept": "application/ld+json"}).json()
    assert doc["id"] == BASE + "cmocs/R21-016"
    assert doc["type"] == "CMOC"
    # the slots nest in the CMOC, always as lists, with plain keys and values
    assert doc["context"][0]["publishedLabel"] == "Shared vision"
    assert doc["context"][0]["concept"] == BASE + "concepts/shared-vision"
    assert doc["mechanism"][0]["polarity"] == "Decrease"
    assert doc["outcome"][0]["polarity"] == "Increase"
    assert doc["citation"]["table"] == "Table 3"
    assert doc["incomplete"] is False


@pytest.mark.parametrize(
    "path",
    ["/cmocs/R21-016", "/concepts/trust", "/sources/R21-S001", "/links/B21-L05", "/cmocs/R21-016/citation"],
)
def test_framed_json_ld_expands_to_the_turtle_of_the_resource(client, path):
    framed = client.get(path, headers={"Accept": "application/ld+json"}).json()
    nquads = jsonld.to_rdf(framed, {"format": "application/n-quads"})
    from_jsonld = Graph().parse(data=nquads, format="nquads")
    turtle = Graph().parse(data=client.get(path, headers={"Accept": "text/turtle"}).text, format="turtle")
    assert len(turtle) > 3
    assert isomorphic(from_jsonld, turtle)


def test_framed_json_ld_expands_with_the_published_context_alone(client):
    # A client may drop the inline context and use the published one: same triples.
    framed = client.get("/cmocs/R21-016", headers={"Accept": "application/ld+json"}).json()
    published = client.get("/context.jsonld").json()
    framed["@context"] = published["@context"]
    expanded = jsonld.expand(json.loads(json.dumps(framed)))
    assert expanded[0]["@id"] == BASE + "cmocs/R21-016"
