"""Errors are application/problem+json, name the parameter at fault, suggest close IDs, and no
input gives a 500."""

from __future__ import annotations

import pytest

# app, client and live_server
pytest_plugins = ["api_fixtures"]

PROBLEM = "application/problem+json"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert body["detail"]
    return body


def test_unknown_concept_suggests_close_matches(client):
    body = problem(client.get("/concepts/trsut"), 404)
    assert body["suggestions"][0] == "trust"
    assert "trsut" in body["detail"]
    assert body["type"].endswith("/unknown-id")
    assert body["parameter"] == "concept_id"


@pytest.mark.parametrize(
    ("path", "suggestion"),
    [
        ("/cmocs/R21-16", "R21-016"),
        ("/sources/R21-S0001", "R21-S001"),
        ("/phases/review-2012", "review-2021"),
    ],
)
def test_unknown_ids_in_paths(client, path, suggestion):
    assert suggestion in problem(client.get(path), 404)["suggestions"]


def test_unknown_id_in_a_filter_names_the_parameter(client):
    body = problem(client.get("/cmocs", params={"mechanism": "trsut"}), 400)
    assert body["parameter"] == "mechanism"
    assert body["suggestions"] == ["trust"]
    body = problem(client.get("/chains", params={"from": "shared-vison", "to": "trust"}), 400)
    assert body["parameter"] == "from"
    assert "shared-vision" in body["suggestions"]
    body = problem(client.get("/cmocs", params={"phase": "review2021"}), 400)
    assert body["parameter"] == "phase"
    assert "review-2021" in body["suggestions"]


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/cmocs", {"limit": "100000"}, "limit"),
        ("/cmocs", {"limit": "0"}, "limit"),
        ("/cmocs", {"limit": "ten"}, "limit"),
        ("/cmocs", {"offset": "-1"}, "offset"),
        ("/cmocs", {"status": "maybe"}, "status"),
        ("/cmocs", {"kind": "nope"}, "kind"),
        ("/chains", {"from": "trust", "to": "faith", "max_hops": "99"}, "max_hops"),
        ("/chains", {"from": "trust", "to": "faith", "max_hops": "0"}, "max_hops"),
        ("/chains", {"from": "trust", "to": "faith", "max_hops": "x"}, "max_hops"),
        ("/chains", {"from": "trust"}, "to"),
        ("/chains", {"from": "trust", "to": "faith", "limit": "-5"}, "limit"),
        ("/cmocs/R21-016", {"format": "pdf"}, "format"),
    ],
)
def test_bad_parameters_are_named(client, path, params, parameter):
    body = problem(client.get(path, params=params), 422)
    assert body["parameter"] == parameter
    assert parameter in body["detail"]
    assert body["errors"][0]["parameter"] == parameter


def test_same_phase_diff_is_a_bad_request(client):
    problem(client.get("/phases/review-2021/diff/review-2021"), 400)


def test_unknown_phase_in_a_diff(client):
    body = problem(client.get("/phases/review-2021/diff/refined-2012"), 404)
    assert body["parameter"] == "after"
    assert "refined-2021" in body["suggestions"]


def test_unsupported_accept_is_406(client):
    body = problem(client.get("/cmocs/R21-016", headers={"Accept": "image/png"}), 406)
    assert "text/turtle" in body["supported"]


def test_unknown_path_and_method(client):
    problem(client.get("/no/such/thing"), 404)
    response = client.delete("/cmocs")
    problem(response, 405)
    assert response.headers["allow"] == "GET"


# Inputs that have broken services like this one. None may give a 5xx.
NASTY = [
    ("GET", "/cmocs", {"limit": "9" * 40}, {}),
    ("GET", "/cmocs", {"offset": "9" * 40}, {}),
    ("GET", "/cmocs", {"offset": "1000000000"}, {}),
    ("GET", "/cmocs", {"q": "\x00\uffff\U0001f600"}, {}),
    ("GET", "/cmocs", {"mechanism": ""}, {}),
    ("GET", "/cmocs", {"phase": ""}, {}),
    ("GET", "/cmocs", {"context": "a" * 10_000}, {}),
    ("GET", "/cmocs/%00", {}, {}),
    ("GET", "/cmocs/..%2F..%2Fetc%2Fpasswd", {}, {}),
    ("GET", "/cmocs/R21-016", {}, {"Accept": ";;;,,q=x"}),
    ("GET", "/cmocs/R21-016", {}, {"Accept": "text/turtle;q=abc"}),
    ("GET", "/cmocs/R21-016", {}, {"Accept": "*"}),
    ("GET", "/concepts", {"group": ""}, {}),
    ("GET", "/concepts/%20", {}, {}),
    ("GET", "/chains", {"from": "", "to": ""}, {}),
    ("GET", "/chains", {"from": "trust", "to": "trust"}, {}),
    ("GET", "/chains", {"from": "trust", "to": "faith", "via": "nonsense"}, {}),
    ("GET", "/chains", {"from": "trust", "to": "faith", "phase": "nope"}, {}),
    ("GET", "/chains", {"from": "trust", "to": "faith", "max_hops": "8", "limit": "1000"}, {}),
    ("GET", "/phases/%F0/diff/x", {}, {}),
    ("GET", "/sparql", {}, {}),
    ("GET", "/sparql", {"query": ""}, {}),
    ("GET", "/sparql", {"query": "   "}, {}),
    ("GET", "/sparql", {"query": "SELECT"}, {}),
    ("GET", "/sparql", {"query": "ASK {}"}, {"Accept": "image/png"}),
    ("GET", "/sparql", {"query": "ASK {}", "format": "bogus"}, {}),
    ("GET", "/sparql", {"query": "ASK {}", "default-graph-uri": "not an iri"}, {}),
    ("GET", "/sparql", {"query": "SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }"}, {}),
    ("GET", "/sparql", {"query": "SELECT * { ?s ?p ?o } LIMIT -1"}, {}),
    ("GET", "/sparql", {"query": "SELECT (1/0 AS ?x) {}"}, {}),
    ("GET", "/sparql", {"query": "PREFIX"}, {}),
    ("GET", "/sparql", {"query": "\\u0053ELECT * {}"}, {}),
    ("GET", "/sparql", {"query": "LOAD <http://example.org/>"}, {}),
]


@pytest.mark.parametrize(("method", "path", "params", "headers"), NASTY)
def test_no_input_gives_a_server_error(client, method, path, params, headers):
    response = client.request(method, path, params=params, headers=headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"query": "ASK {}"}'),
        ("text/plain", b"ASK {}"),
        ("application/sparql-query", b"\xff\xfe"),
        ("application/x-www-form-urlencoded", b"query=%FF%FE"),
        ("application/x-www-form-urlencoded", b"nothing=here"),
        ("multipart/form-data; boundary=x", b"--x\r\nbroken"),
        ("", b""),
    ],
)
def test_no_post_body_gives_a_server_error(client, content_type, body):
    response = client.post("/sparql", content=body, headers={"Content-Type": content_type})
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == PROBLEM
