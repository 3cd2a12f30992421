"""The whole-web view above its ceilings, over HTTP on a synthetic web: the top concepts by
records behind their arrows, the arrows among them (the top ones by records above the arrow
ceiling), and a notice saying N of M.

The expected concepts are worked out here from the records themselves: a CMOC stands behind
the concepts of every pair of its coded parts that the realist reading relates
(:func:`causal_web.model.relations.derived_relations`), a stated link behind its two ends;
a pair of one concept with itself draws no arrow."""

from __future__ import annotations

from collections import defaultdict

import pytest
from fastapi.testclient import TestClient

from causal_web import load
from causal_web.api.app import create_app
from causal_web.api.settings import Settings
from causal_web.model.relations import derived_relations
from causal_web.model.synthetic import write_synthetic
from causal_web.viz.view import MAX_ARROWS_LIMIT, MAX_CONCEPTS_LIMIT, WEB_CEILING

CEILING = 40  # a small ceiling, so a 1,000-CMOC web (200 concepts) is over it


@pytest.fixture(scope="module")
def synthetic_kb(tmp_path_factory):
    return load(write_synthetic(tmp_path_factory.mktemp("synthetic"), 1000, seed=4))


@pytest.fixture(scope="module")
def client(synthetic_kb):
    return TestClient(create_app(synthetic_kb, Settings()))


def _by_hand(dataset):
    """Records behind each concept, and behind each concept pair the records draw (cause,
    effect)."""
    behind: dict[str, set[tuple[str, str]]] = defaultdict(set)
    pairs: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)

    def draw(cause, effect, record):
        if cause != effect:
            pairs[cause, effect].add(record)
            behind[cause].add(record)
            behind[effect].add(record)

    for cmoc in dataset.cmocs.values():
        for relation in derived_relations(cmoc):
            draw(cmoc.part(relation.source).concept, cmoc.part(relation.target).concept, ("cmoc", cmoc.id))
    for link in dataset.links.values():
        if link.source.concept and link.target.concept:
            draw(link.source.concept, link.target.concept, ("link", link.id))
    return {concept: len(records) for concept, records in behind.items()}, pairs


def test_over_the_ceiling_the_web_shows_the_top_concepts_by_records(client, synthetic_kb):
    dataset = synthetic_kb.dataset
    records, pairs = _by_hand(dataset)
    every = set(dataset.concepts) | set(records)
    assert len(every) == 200 > CEILING
    # The top CEILING by records behind them, ties by ID.
    ranked = sorted(every, key=lambda concept: (-records.get(concept, 0), concept))
    expected = set(ranked[:CEILING])

    body = client.get("/viz/web", params={"max_concepts": CEILING}).json()
    shown = {node["id"] for node in body["nodes"]}
    assert shown == expected
    # The drawing's own count of records for each is the one it was chosen by.
    assert {node["id"]: node["cw"]["records"] for node in body["nodes"]} == {c: records[c] for c in expected}

    edges = {(edge["from"], edge["to"]) for edge in body["edges"]}
    assert all(u in shown and v in shown for u, v in edges)
    assert edges == {(u, v) for u, v in pairs if u in expected and v in expected}

    notice = body["notice"]
    assert (notice["shown"], notice["total"]) == (CEILING, 200)
    assert notice["arrows"] == notice["all_arrows"] == len(edges)  # under the arrow ceiling
    assert f"Showing {CEILING} of 200 concepts" in notice["text"]
    for route in ("viz/neighbourhood/", "viz/chains?", "viz/web?group=", "max_concepts="):
        assert route in notice["text"]
    assert body["subtitle"] == f"{CEILING} of 200 concepts, {len(edges)} causal links"
    assert body["query"]["max_concepts"] == CEILING


def test_over_the_arrow_ceiling_the_arrows_with_the_most_records_are_drawn(client, synthetic_kb):
    records, pairs = _by_hand(synthetic_kb.dataset)
    ranked = sorted(set(synthetic_kb.dataset.concepts) | set(records), key=lambda c: (-records.get(c, 0), c))
    chosen = set(ranked[:CEILING])
    among = {pair: len(found) for pair, found in pairs.items() if pair[0] in chosen and pair[1] in chosen}
    arrows = 25
    assert len(among) > arrows
    strongest = set(sorted(among, key=lambda pair: (-among[pair], pair))[:arrows])

    body = client.get("/viz/web", params={"max_concepts": CEILING, "max_arrows": arrows}).json()
    assert {node["id"] for node in body["nodes"]} == chosen  # every chosen concept, joined or not
    assert {(edge["from"], edge["to"]) for edge in body["edges"]} == strongest
    notice = body["notice"]
    assert (notice["arrows"], notice["all_arrows"]) == (arrows, len(among))
    assert f"the {arrows} of the {len(among)} arrows among them with the most records" in notice["text"]
    assert body["subtitle"] == f"{CEILING} of 200 concepts, {arrows} of {len(among)} causal links"


def test_a_filter_then_the_ceiling_picks_the_top_concepts_of_what_it_leaves(client, synthetic_kb):
    records, _pairs = _by_hand(synthetic_kb.dataset)
    # min_sources=1 keeps every pair with a source (all of them here); the group filter keeps
    # the concepts of its groups that an arrow within them joins.
    groups = ["core-mechanism", "context", "supporting-mechanism"]
    full = client.get("/viz/web", params={"group": groups, "max_concepts": MAX_CONCEPTS_LIMIT}).json()
    left = {node["id"] for node in full["nodes"]}
    assert full["notice"] is None and len(left) > 10
    body = client.get("/viz/web", params={"group": groups, "max_concepts": 10}).json()
    expected = set(sorted(left, key=lambda concept: (-records[concept], concept))[:10])
    assert {node["id"] for node in body["nodes"]} == expected
    assert all(e["from"] in expected and e["to"] in expected for e in body["edges"])
    assert (body["notice"]["shown"], body["notice"]["total"]) == (10, len(left))
    assert f"Showing 10 of {len(left)} concepts" in body["notice"]["text"]


def test_under_the_ceiling_the_whole_web_is_drawn_without_a_notice(client, synthetic_kb):
    body = client.get("/viz/web").json()
    assert WEB_CEILING > 200
    assert len(body["nodes"]) == len(synthetic_kb.dataset.concepts) == 200
    assert body["notice"] is None
    assert body["subtitle"].startswith("200 concepts, ")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_concepts", 0),
        ("max_concepts", MAX_CONCEPTS_LIMIT + 1),
        ("max_concepts", "many"),
        ("max_arrows", 0),
        ("max_arrows", MAX_ARROWS_LIMIT + 1),
    ],
)
def test_limits_out_of_range_are_refused(client, name, value):
    response = client.get("/viz/web", params={name: value})
    assert response.status_code in (400, 422)
    assert response.headers["content-type"] == "application/problem+json"


def test_neighbourhood_and_chains_do_not_take_max_concepts(client):
    # The ceiling is the whole web's: the other drawings send only their subgraph anyway.
    assert client.get("/viz/neighbourhood/trust", params={"max_concepts": 5}).status_code == 400
    hood = client.get("/viz/neighbourhood/trust").json()
    assert hood["notice"] is None and "max_concepts" not in hood["query"]
