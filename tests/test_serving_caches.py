"""The lookups and caches that keep serving cheap give the answers of the plain computation.

Posting lists against a scan of every CMOC, page links against Starlette's own URL rewriting,
and the response cache against the app run afresh, on the bundled data and a real app.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import URL

import causal_web
from causal_web.api.app import create_app
from causal_web.api.conventions import ResponseCache, ValidatorMiddleware
from causal_web.api.pagination import page_links
from causal_web.api.settings import Settings
from causal_web.model.lookup import children, cmocs_using, narrower
from causal_web.model.records import SLOT_NAMES


@pytest.fixture(scope="module")
def kb():
    return causal_web.load()


def _scan(dataset, wanted, slots):
    """Every CMOC using a wanted concept in a slot, by phase order then ID (the listing order)."""
    found = [c for c in dataset.cmocs.values() if any(p.concept in wanted for s in slots for p in c.slots(s))]
    return sorted(found, key=lambda c: (dataset.phases[c.phase].order, c.id))


def test_postings_match_a_scan_for_every_concept_and_slot(kb):
    dataset = kb.dataset
    for concept_id in dataset.concepts:
        wanted = dataset.narrower(concept_id, dataset.children())
        assert narrower(dataset, concept_id) == wanted
        assert cmocs_using(dataset, wanted) == _scan(dataset, wanted, SLOT_NAMES)
        for slot in SLOT_NAMES:
            assert cmocs_using(dataset, wanted, (slot,)) == _scan(dataset, wanted, (slot,))


def test_lookups_follow_a_changed_table(kb):
    dataset = causal_web.load().dataset
    first = next(iter(dataset.concepts.values()))
    before = children(dataset)
    removed = dataset.concepts.pop(first.id)
    after = children(dataset)
    assert after is not before
    assert all(first.id not in kids for kids in after.values())
    dataset.concepts[removed.id] = removed
    cmoc = next(iter(dataset.cmocs.values()))
    del dataset.cmocs[cmoc.id]
    assert cmoc not in cmocs_using(dataset, dataset.concepts)


class _Request:
    def __init__(self, url: str) -> None:
        self.url = URL(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://h/cmocs",
        "http://h/cmocs?mechanism=trust",
        "http://h/cmocs?limit=2&mechanism=trust&offset=4",
        "http://h/cmocs?q=shared+goals&q=x%26y&empty=",
        "http://h/concepts/a%20b?offset=3",
    ],
)
def test_page_links_keep_the_query_as_starlette_writes_it(url):
    def expected(rel: str, limit: int, to: int) -> str:
        from urllib.parse import quote

        target = URL(url).include_query_params(limit=limit, offset=to)
        return f'<{quote(target.path, safe="/:@!$&()*+,;=-._~" + chr(39))}?{target.query}>; rel="{rel}"'

    links = page_links(_Request(url), 23, 5, 10)
    assert links == [
        expected("first", 5, 0),
        expected("prev", 5, 5),
        expected("next", 5, 15),
        expected("last", 5, 20),
    ]


def _cache_of(app) -> ResponseCache:
    app.build_middleware_stack()
    layer = app.middleware_stack
    while not isinstance(layer, ValidatorMiddleware):
        layer = layer.app
    return layer.cache


def test_a_cached_answer_is_the_answer_run_afresh(kb):
    cached = create_app(kb, Settings(sparql_workers=1))
    fresh = create_app(kb, Settings(sparql_workers=1))
    with TestClient(cached) as a, TestClient(fresh) as b:
        cache = _cache_of(cached)
        path = "/cmocs?mechanism=trust&limit=2"
        first = a.get(path)
        assert len(cache._entries) == 1
        again = a.get(path)
        for response in (again, b.get(path)):
            assert response.status_code == 200
            assert response.content == first.content
            assert response.headers["etag"] == first.headers["etag"]
            assert response.headers.get_list("link") == first.headers.get_list("link")
        # other representations and validators are their own answers
        turtle = a.get("/cmocs/" + first.json()["items"][0]["id"], headers={"Accept": "text/turtle"})
        assert turtle.headers["content-type"].startswith("text/turtle")
        assert a.get(path, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        assert a.get(path + "&bogus=1").status_code == 400
        assert a.get("/health").status_code == 200
        assert not any(key[0] == "/health" for key in cache._entries)


def test_the_cache_is_bounded_and_can_be_turned_off(kb):
    cache = ResponseCache(max_bytes=10)
    start = {"type": "http.response.start", "status": 200, "headers": [(b"cache-control", b"public")]}
    cache.put(("a",), start, b"12345678")
    cache.put(("b",), start, b"1234")
    assert list(cache._entries) == [("b",)]
    cache.put(("c",), {**start, "headers": [(b"cache-control", b"no-cache")]}, b"1")
    assert ("c",) not in cache._entries
    off = ResponseCache(max_bytes=0)
    assert off.key({"path": "/cmocs", "headers": []}) is None
