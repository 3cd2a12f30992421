"""HTTP conventions on every route: HEAD, ETag and 304, Cache-Control, gzip, pagination Link
headers, 400 for unknown query parameters, stable operationIds, enums, and CORS."""

from __future__ import annotations

import gzip
import re

import pytest
from fastapi.testclient import TestClient

import causal_web
from causal_web.api.app import create_app
from causal_web.api.settings import Settings

# app, client and live_server
pytest_plugins = ["api_fixtures"]

# A real value for each path parameter, so that every GET route answers 200.
PATH_VALUES = {
    "cmoc_id": "R21-016",
    "concept_id": "trust",
    "source_id": "R21-S001",
    "phase_id": "review-2021",
    "before": "review-2021",
    "after": "refined-2021",
    "link_id": "B21-L05",
    "mechanism_id": "B21-M06",
    "nesting_id": "R21-N01",
    "entry_point_id": "R21-EP1",
    "base_id": "ioc-synthesis",
    "ioc_type_id": "mandated",
    "review_id": "ioc",
    # the bundled review has no demi-regularities or theories transcribed: these answer 404
    "demi_regularity_id": "DR-1",
    "theory_id": "MRT-1",
    "path": "cmocs/R21-016/context/1",
}
ABSENT_IN_BUNDLED_DATA = {"/demi-regularities/{demi_regularity_id}", "/theories/{theory_id}"}
REQUIRED_QUERY = {
    "/chains": {"from": "shared-vision", "to": "trust"},
    "/viz/chains": {"from": "shared-vision", "to": "trust"},
    "/sparql": {"query": "ASK {}"},
    "/matrix": {"rows": "context", "cols": "mechanism"},
}


def _get_paths(client) -> list[str]:
    paths = client.get("/openapi.json").json()["paths"]
    return sorted(path for path, operations in paths.items() if "get" in operations)


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)


def test_every_get_route_is_known_here(client):
    for path in _get_paths(client):
        assert set(re.findall(r"\{(\w+)\}", path)) <= set(PATH_VALUES), path


def test_head_on_every_get_route(client):
    paths = _get_paths(client)
    assert len(paths) >= 20
    for path in paths:
        url, params = _concrete(path), REQUIRED_QUERY.get(path, {})
        get = client.get(url, params=params, headers={"Accept-Encoding": "identity"})
        head = client.head(url, params=params, headers={"Accept-Encoding": "identity"})
        expected = 404 if path in ABSENT_IN_BUNDLED_DATA else 200
        assert get.status_code == expected, (path, get.text[:200])
        assert head.status_code == expected, path
        assert head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
        assert head.headers["content-length"] == str(len(get.content)), path
        if expected == 200:
            assert head.headers["etag"] == get.headers["etag"], path


def test_head_on_the_explorer_page_and_its_files(client):
    for path in ("/", "/static/explorer.js"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head.headers["etag"] == get.headers["etag"]


@pytest.mark.parametrize(
    "path", ["/cmocs", "/cmocs/R21-016", "/concepts/trust", "/ns", "/cmocs/R21-016/citation"]
)
def test_etag_and_304(client, path):
    first = client.get(path)
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert first.headers["cache-control"] == "public, max-age=60"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200
    assert client.get(path, headers={"If-None-Match": f'"x", W/{etag}'}).status_code == 304


def test_each_representation_has_its_own_etag(client):
    json_tag = client.get("/cmocs/R21-016").headers["etag"]
    turtle_tag = client.get("/cmocs/R21-016", headers={"Accept": "text/turtle"}).headers["etag"]
    assert json_tag != turtle_tag


def test_errors_get_no_validator_and_no_links(client):
    response = client.get("/cmocs/R21-999")
    assert response.status_code == 404
    assert "etag" not in response.headers
    assert "link" not in response.headers


def test_large_responses_are_gzipped(client):
    plain = client.get("/cmocs", params={"limit": 200}, headers={"Accept-Encoding": "identity"})
    zipped = client.get("/cmocs", params={"limit": 200}, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(plain.content) / 3
    assert zipped.json() == plain.json()  # httpx undoes the gzip
    # the compressed body is a body of its own, with its own strong ETag
    assert zipped.headers["etag"] != plain.headers["etag"]
    small = client.get("/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


def test_gzip_bytes_are_real_gzip(live_server):
    import httpx

    with httpx.stream(
        "GET", live_server.url + "cmocs?limit=100", headers={"Accept-Encoding": "gzip"}
    ) as response:
        raw = b"".join(response.iter_raw())
    assert raw[:2] == b"\x1f\x8b"
    assert gzip.decompress(raw).startswith(b'{"total":')


def _page_links(response) -> dict[str, str]:
    links = {}
    for value in response.headers.get_list("link"):
        match = re.match(r'<([^>]*)>; rel="(\w+)"$', value)
        if match:
            links[match.group(2)] = match.group(1)
    return links


def test_pagination_link_headers(client):
    total = client.get("/cmocs", params={"limit": 1}).json()["total"]
    assert total > 30  # the bundled data has more than three pages of ten
    first = client.get("/cmocs", params={"limit": 10, "offset": 0})
    links = _page_links(first)
    assert "prev" not in links
    assert links["first"] == "/cmocs?limit=10&offset=0"
    assert links["next"] == "/cmocs?limit=10&offset=10"
    last_offset = (total - 1) // 10 * 10
    assert links["last"] == f"/cmocs?limit=10&offset={last_offset}"
    # follow next to the end: every entry once, and the last page has no next
    seen, url, pages = [], links["first"], 0
    while url:
        page = client.get(url)
        seen += [item["id"] for item in page.json()["items"]]
        url = _page_links(page).get("next")
        pages += 1
    assert pages == last_offset // 10 + 1
    assert len(seen) == len(set(seen)) == total
    back = _page_links(client.get(f"/cmocs?limit=10&offset={last_offset}"))
    assert back["prev"] == f"/cmocs?limit=10&offset={last_offset - 10}"
    assert "next" not in back
    # the other filters are kept in the links
    filtered = _page_links(client.get("/concepts", params={"q": "trust", "limit": 1}))
    assert filtered["next"] == "/concepts?q=trust&limit=1&offset=1"
    assert "next" in _page_links(client.get("/sources", params={"limit": 5}))


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/cmocs", {"mechansim": "trust"}),
        ("/concepts", {"groups": "core-mechanism"}),
        ("/cmocs/R21-016", {"fromat": "ttl"}),
        ("/chains", {"from": "trust", "to": "faith", "max_hop": "3"}),
        ("/health", {"x": "1"}),
        ("/cmocs/R21-016/citation", {"format": "ttl", "extra": "1"}),
    ],
)
def test_unknown_query_parameters_are_a_400(client, path, params):
    response = client.get(path, params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    unknown = next(name for name in params if name not in ("from", "to", "format"))
    assert body["parameter"] == unknown
    assert body["type"].endswith("/unknown-parameter")


def test_known_parameters_still_work(client):
    assert client.get("/cmocs", params={"mechanism": "trust", "limit": 2}).status_code == 200
    assert client.get("/sparql", params={"query": "ASK {}", "output": "json"}).status_code == 200


def test_operation_ids_are_explicit_and_stable(client):
    paths = client.get("/openapi.json").json()["paths"]
    ids = {(path, method): op["operationId"] for path, ops in paths.items() for method, op in ops.items()}
    assert len(set(ids.values())) == len(ids)
    assert ids[("/cmocs", "get")] == "listCmocs"
    assert ids[("/cmocs/{cmoc_id}", "get")] == "getCmoc"
    assert ids[("/health", "get")] == "health"
    assert ids[("/sparql", "post")] == "sparqlPost"
    assert all(re.fullmatch(r"[a-z][A-Za-z]*", value) for value in ids.values())


def _enum(schema: dict) -> list:
    for option in schema.get("anyOf", [schema]):
        option = option.get("items", option)
        if "enum" in option:
            return option["enum"]
    return []


def test_openapi_enums_come_from_the_data(client, kb):
    paths = client.get("/openapi.json").json()["paths"]

    def parameter(path: str, name: str) -> dict:
        return next(p for p in paths[path]["get"]["parameters"] if p["name"] == name)

    phases = ["evaluation-2022", "refined-2021", "review-2021", "summary-2022"]
    assert _enum(parameter("/cmocs", "phase")["schema"]) == phases
    assert _enum(parameter("/chains", "phase")["schema"]) == phases
    groups = _enum(parameter("/concepts", "group")["schema"])
    assert "core-mechanism" in groups and groups == sorted(
        {c.group for c in kb.dataset.concepts.values() if c.group}
    )
    assert _enum(parameter("/cmocs", "status")["schema"]) == ["affirmed", "refined", "refuted", "new"]
    assert _enum(parameter("/cmocs", "kind")["schema"]) == ["cmoc", "mechanism-list", "background", "all"]
    assert "context" in _enum(parameter("/viz/web", "group")["schema"])


def test_cors_preflight_for_a_sparql_post(client):
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://editor.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()
    post = client.post(
        "/sparql",
        content="ASK {}",
        headers={"Content-Type": "application/sparql-query", "Origin": "https://editor.example"},
    )
    assert post.status_code == 200
    assert post.headers["access-control-allow-origin"] == "*"
    data = client.get("/cmocs/R21-016", headers={"Origin": "https://editor.example"})
    assert data.headers["access-control-allow-origin"] == "*"
    assert "ETag" in data.headers["access-control-expose-headers"]


def test_a_setting_turns_cors_off():
    app = create_app(causal_web.load(), Settings(cors_origins=[], sparql_workers=1))
    with TestClient(app) as client:
        response = client.get("/cmocs/R21-016", headers={"Origin": "https://editor.example"})
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers
        preflight = client.options(
            "/sparql",
            headers={"Origin": "https://editor.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in preflight.headers
    app.state.sparql.close()
