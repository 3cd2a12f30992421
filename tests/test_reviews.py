"""Reviews side by side: `--data A --data B`, each review with its own IRI and named graphs,
concepts shared by ID and joined by SKOS mappings, `review=` selection and `stats` per review."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from causal_web.cli.main import main
from causal_web.errors import UnknownIdError
from causal_web.knowledge_base import KnowledgeBase, load
from causal_web.model.loading import load_dataset
from causal_web.model.reviews import ReviewError, read_mappings
from causal_web.resources import bundled_data_dir
from causal_web.review_set import ReviewSet, list_reviews, select_review

ICAMO = Path(__file__).parent / "data" / "icamo"
BASE = "http://example.org/cw/"
ICAMO_CMOCS = ["ICAMO-1", "ICAMO-2", "ICAMO-3", "ICAMO-4", "ICAMO-5"]
MAPPINGS = (
    "concept,relation,match,notes\n"
    "joint-working,exactMatch,collaborative-behaviour,the same idea in the IOC review\n"
    "shared-budget,closeMatch,resource-allocation,\n"
)


@pytest.fixture
def icamo(tmp_path: Path) -> Path:
    folder = tmp_path / "icamo"
    shutil.copytree(ICAMO, folder)
    (folder / "mappings.csv").write_text(MAPPINGS, encoding="utf-8")
    return folder


@pytest.fixture
def both(icamo: Path) -> ReviewSet:
    kb = load([bundled_data_dir(), icamo], base_iri=BASE)
    assert isinstance(kb, ReviewSet)
    return kb


def _select(kb: KnowledgeBase, query: str) -> list[tuple[str, ...]]:
    return [tuple(term.value for term in row) for row in kb.store.query(query)]


def test_one_folder_loads_as_before() -> None:
    one = load([ICAMO], base_iri=BASE)
    assert type(one) is KnowledgeBase
    assert one.nquads == load(ICAMO, base_iri=BASE).nquads  # single-review IRIs and graphs unchanged


def test_two_folders_merge_their_records_and_share_concepts_by_id(both: ReviewSet, icamo: Path) -> None:
    ioc, tests = load_dataset(bundled_data_dir()), load_dataset(icamo)
    assert list(both.reviews) == ["ioc", "tests"]  # the scheme IDs of concepts.yaml
    assert set(both.dataset.cmocs) == set(ioc.cmocs) | set(tests.cmocs)
    assert set(both.dataset.concepts) == set(ioc.concepts) | set(tests.concepts)
    # a concept both reviews use is one concept: the first review's entry
    assert both.dataset.concepts["trust"].pref_label == ioc.concepts["trust"].pref_label
    assert {both.owner[i] for i in ICAMO_CMOCS} == {"tests"}
    assert both.dataset.concepts["joint-working"].exact_match == ["collaborative-behaviour"]
    assert select_review(both, "tests").dataset.cmocs.keys() == tests.cmocs.keys()
    assert select_review(both, None) is both
    with pytest.raises(UnknownIdError, match="review 'nope'"):
        select_review(both, "nope")


def test_each_review_has_its_own_iri_and_named_graphs(both: ReviewSet) -> None:
    graphs = {g for (g,) in _select(both, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    expected = {f"{BASE}graphs/tests/{name}" for name in ("initial", "tested", "catalogue")}
    expected |= {f"{BASE}graphs/ioc/catalogue", f"{BASE}graphs/reviews", f"{BASE}graphs/mappings"}
    assert expected <= graphs
    assert f"{BASE}graphs/initial" not in graphs and f"{BASE}graphs/catalogue" not in graphs
    ask = f"""ASK {{
        GRAPH <{BASE}graphs/tests/initial> {{ <{BASE}cmocs/ICAMO-1> a <https://w3id.org/causal-web/ns#CMOC> }}
        GRAPH <{BASE}graphs/reviews> {{
          <{BASE}reviews/tests> a <http://www.w3.org/ns/dcat#Dataset> ;
              <http://purl.org/dc/terms/identifier> "tests" .
          <{BASE}graphs/tests/initial> <http://purl.org/dc/terms/isPartOf> <{BASE}reviews/tests> }} }}"""
    assert both.store.query(ask)
    skos = "http://www.w3.org/2004/02/skos/core#"
    rows = _select(
        both, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{BASE}graphs/mappings> {{ ?s ?p ?o }} }} ORDER BY ?p"
    )
    assert rows == [
        (f"{BASE}concepts/shared-budget", f"{skos}closeMatch", f"{BASE}concepts/resource-allocation"),
        (f"{BASE}concepts/joint-working", f"{skos}exactMatch", f"{BASE}concepts/collaborative-behaviour"),
    ]


def test_list_reviews(both: ReviewSet) -> None:
    listed = list_reviews(both)
    tests = listed["items"][1]
    assert (tests["id"], tests["iri"], tests["cmocs"], tests["concepts"]) == (
        "tests",
        f"{BASE}reviews/tests",
        5,
        6,
    )
    assert tests["graphs"] == [f"{BASE}graphs/tests/{n}" for n in ("initial", "tested", "catalogue")]
    assert listed["mappings"][0] == {
        "concept": "joint-working",
        "relation": "exactMatch",
        "match": "collaborative-behaviour",
        "notes": "the same idea in the IOC review",
    }
    single = list_reviews(load(ICAMO, base_iri=BASE))
    assert [(r["id"], r["graphs"][0]) for r in single["items"]] == [("tests", f"{BASE}graphs/initial")]


def test_a_record_id_in_two_reviews_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "copy"
    shutil.copytree(ICAMO, other)
    with pytest.raises(ReviewError, match=r"record ID 'ICAMO-1' is in review 'tests' and in review 'copy'"):
        load([ICAMO, other])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "concept,relation,match\njoint-working,broadMatch,trust\n",
            r"mappings.csv, line 2, column 'relation'",
        ),
        ("concept,match\n", r"mappings.csv, line 1: missing column 'relation'"),
        ("concept,relation,match\nno-such,exactMatch,trust\n", r"concept 'no-such' is not a concept"),
    ],
)
def test_bad_mapping_files_are_refused(icamo: Path, text: str, message: str) -> None:
    (icamo / "mappings.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ReviewError, match=message):
        load([bundled_data_dir(), icamo])


def test_a_mapping_may_point_at_an_outside_iri(icamo: Path) -> None:
    (icamo / "mappings.csv").write_text("concept,relation,match\ntrust,closeMatch,http://example.org/t\n")
    assert [m.match for m in read_mappings(icamo)] == ["http://example.org/t"]
    kb = load([bundled_data_dir(), icamo], base_iri=BASE)
    assert kb.store.query(f"ASK {{ GRAPH ?g {{ <{BASE}concepts/trust> ?p <http://example.org/t> }} }}")


def test_commands_take_data_more_than_once(icamo: Path) -> None:
    runner = CliRunner()
    args = ["--data", str(bundled_data_dir()), "--data", str(icamo)]
    stats = runner.invoke(main, ["stats", "--json", *args])
    assert stats.exit_code == 0, stats.output
    reviews = json.loads(stats.output)["reviews"]
    ioc = load_dataset(bundled_data_dir())
    assert [(r["id"], r["totals"]["cmocs"]) for r in reviews] == [("ioc", len(ioc.cmocs)), ("tests", 5)]
    single = json.loads(runner.invoke(main, ["stats", "--json", "--data", str(icamo)]).output)
    assert "reviews" not in single and single["totals"]["cmocs"] == 5  # one review: as before

    listed = runner.invoke(main, ["cmocs", "--json", "--kind", "all", *args])
    ids = [c["id"] for c in json.loads(listed.output)["items"]]
    assert sorted(ids) == sorted([*ioc.cmocs, *ICAMO_CMOCS])

    chains = runner.invoke(
        main, ["chains", "--from", "shared-budget", "--to", "joint-working", "--json", *args]
    )
    assert chains.exit_code == 0 and json.loads(chains.output)["chains"]

    valid = runner.invoke(main, ["validate", "--no-shacl", *args])
    assert valid.exit_code == 0, valid.output
    assert "2 reviews load side by side." in valid.output
    lint = runner.invoke(main, ["lint", "--check", *args])
    assert lint.exit_code == 0, lint.output


def test_validate_several_reports_a_clash(tmp_path: Path) -> None:
    other = tmp_path / "copy"
    shutil.copytree(ICAMO, other)
    result = CliRunner().invoke(
        main, ["validate", "--no-shacl", "--json", "--data", str(ICAMO), "--data", str(other)]
    )
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [f["ok"] for f in data["folders"]] == [True, True] and data["ok"] is False
    assert "record ID 'ICAMO-1' is in review 'tests' and in review 'copy'" in data["side_by_side"]["error"]


def test_serve_refuses_clashing_reviews_without_a_traceback(tmp_path: Path) -> None:
    other = tmp_path / "copy"
    shutil.copytree(ICAMO, other)
    result = CliRunner().invoke(main, ["serve", "--port", "1", "--data", str(ICAMO), "--data", str(other)])
    assert result.exit_code == 2
    assert "record ID 'ICAMO-1' is in review 'tests' and in review 'copy'" in result.output
    assert "Traceback" not in result.output
