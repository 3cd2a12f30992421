"""causal_web.rdf.sparql: query forms, content negotiation, result formats, the row cap, update
refusal and the worker-process time limit."""

from __future__ import annotations

import json
import time

import pyoxigraph as ox
import pytest

from causal_web.rdf.sparql import (
    NotAcceptableError,
    QueryTimeoutError,
    SparqlBusyError,
    SparqlRunner,
    SparqlSyntaxError,
    UpdateRefusedError,
    execute_query,
    media_type_for,
    negotiate,
    query_form,
)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """Ten triples in two named graphs."""
    store = ox.Store()
    for i in range(10):
        graph = ox.NamedNode(f"http://e/g{i % 2}")
        store.add(ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(i), graph))
    return store


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * {}", "SELECT"),
        ("select * {}", "SELECT"),
        ("PREFIX : <http://e/>\nPREFIX ex:<http://x/> ASK {}", "ASK"),
        ("# SELECT in a comment\nBASE <http://e/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("\ufeffDESCRIBE <http://e/a>", "DESCRIBE"),
        ("INSERT DATA { <a:b> <a:b> <a:b> }", "UPDATE"),
        ("PREFIX e: <http://e/> # SELECT\n delete where { ?s ?p ?o }", "UPDATE"),
        ("\\u0049NSERT DATA {}", "UPDATE"),
        ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
        ("LOAD <http://e/x>", "UPDATE"),
        ("CLEAR ALL", "UPDATE"),
        ("DROP GRAPH <http://e/g>", "UPDATE"),
        ("CREATE GRAPH <http://e/g>", "UPDATE"),
        ("COPY DEFAULT TO <http://e/g>", "UPDATE"),
        ("", None),
        ("PREFIX", None),
        ("hello", None),
        ("PREFIX e: SELECT", "SELECT"),  # the form its first keyword names; the parser refuses it
        ('SELECT * { ?s ?p "open }', None),  # cannot be tokenised
    ],
)
def test_query_form(text, form):
    assert query_form(text) == form


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "a/json"),
        ("", "a/json"),
        ("*/*", "a/json"),
        ("text/*", "text/csv"),
        ("text/csv", "text/csv"),
        ("a/json;q=0.1, text/csv;q=0.9", "text/csv"),
        ("text/csv;q=0, */*", "a/json"),
        ("TEXT/CSV", "text/csv"),
        ("image/png", None),
        ("text/csv;q=0", None),
        ("text/csv;q=abc", "a/json"),  # a malformed range is ignored, leaving no preference
        (";;,,", "a/json"),
    ],
)
def test_negotiate(accept, expected):
    assert negotiate(accept, ["a/json", "text/csv"]) == expected


def test_media_type_for():
    assert media_type_for("SELECT") == "application/sparql-results+json"
    assert media_type_for("CONSTRUCT") == "text/turtle"
    assert media_type_for("ASK", "application/json") == "application/json"
    assert media_type_for("DESCRIBE", "application/json") == "application/json"
    assert media_type_for("SELECT", "text/turtle", ["xml"]) == "application/sparql-results+xml"
    assert media_type_for("CONSTRUCT", None, ["json"]) == "application/ld+json"
    assert media_type_for("SELECT", None, ["bogus", "tsv"]) == "text/tab-separated-values"
    with pytest.raises(NotAcceptableError, match="text/turtle") as caught:
        media_type_for("CONSTRUCT", "text/csv")
    assert "text/turtle" in caught.value.supported


def test_select_formats_agree(store):
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    result = execute_query(store, query)
    assert result.form == "SELECT"
    assert (result.rows, result.truncated) == (10, False)
    rows = json.loads(result.body)["results"]["bindings"]
    assert rows[0] == {
        "s": {"type": "uri", "value": "http://e/s0"},
        "o": {"type": "literal", "value": "0", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
    }
    for media, fmt in [
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ]:
        body = execute_query(store, query, media).body
        assert body == store.query(query, use_default_graph_as_union=True).serialize(format=fmt)
    csv = execute_query(store, query, "text/csv").body.decode()
    assert csv.splitlines()[:2] == ["s,o", "http://e/s0,0"]


def test_row_cap(store):
    result = execute_query(store, "SELECT * WHERE { ?s ?p ?o }", max_rows=3)
    assert (result.rows, result.truncated) == (3, True)
    assert len(json.loads(result.body)["results"]["bindings"]) == 3
    graph = execute_query(store, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples", max_rows=4)
    assert (graph.rows, graph.truncated) == (4, True)
    assert len(graph.body.decode().strip().splitlines()) == 4


def test_terms_round_trip_through_json(store):
    query = """SELECT ?lang ?blank ?plain WHERE {
        BIND("x"@en AS ?lang) BIND(BNODE() AS ?blank) BIND("y" AS ?plain) }"""
    row = json.loads(execute_query(store, query).body)["results"]["bindings"][0]
    assert row["lang"] == {"type": "literal", "value": "x", "xml:lang": "en"}
    assert row["blank"]["type"] == "bnode"
    assert row["plain"] == {"type": "literal", "value": "y"}
    # Unbound variables are left out of a row.
    assert json.loads(execute_query(store, "SELECT ?x WHERE {}").body)["results"]["bindings"] == [{}]


def test_json_row_count_ignores_brackets_and_quotes_inside_values(store):
    # Three rows: a literal spelling a row boundary, one ending in escaped backslashes and a
    # quote, and an empty row (?x unbound); plus a quoted triple, whose value is an object.
    query = r"""SELECT ?x ?t WHERE {
        VALUES ?x { "a},{\"b[{" "c\\\\\"},{" UNDEF }
        BIND(IF(BOUND(?x), <<( <http://e/a> <http://e/b> "},{" )>>, ?unbound) AS ?t) }"""
    result = execute_query(store, query)
    assert (result.rows, result.truncated) == (3, False)
    rows = json.loads(result.body)["results"]["bindings"]
    assert [row.get("x", {}).get("value") for row in rows] == ['a},{"b[{', 'c\\\\"},{', None]
    assert execute_query(store, "SELECT ?x WHERE { ?x ?p ?o . FILTER(false) }").rows == 0
    assert execute_query(store, "SELECT ?x WHERE {}").rows == 1


def test_graph_arguments(store):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(**kwargs):
        return int(
            json.loads(execute_query(store, count, **kwargs).body)["results"]["bindings"][0]["n"]["value"]
        )

    assert n() == 10
    assert n(default_graphs=["http://e/g0"]) == 5
    assert n(default_graphs=["http://e/none"]) == 0
    with pytest.raises(Exception, match="graph IRI"):
        n(default_graphs=["not an iri"])


def test_errors(store):
    with pytest.raises(UpdateRefusedError, match="read only"):
        execute_query(store, "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
    with pytest.raises(SparqlSyntaxError, match="not valid SPARQL"):
        execute_query(store, "SELECT * WHERE { ?s ?p }")
    assert len(store) == 10


def test_runner_runs_queries_in_workers(store):
    with SparqlRunner(store, timeout=20, workers=2) as runner:
        assert len(runner.pids) == 2
        result = runner.run("ASK { ?s ?p ?o }")
        assert json.loads(result.body)["boolean"] is True
        with pytest.raises(UpdateRefusedError):
            runner.run("DELETE WHERE { ?s ?p ?o }")
        with pytest.raises(SparqlSyntaxError, match=r"not valid SPARQL: error at"):
            runner.run("SELECT * WHERE { ?s ?p }")
        with pytest.raises(SparqlSyntaxError):
            runner.run("nonsense")
        with pytest.raises(NotAcceptableError):
            runner.run("ASK {}", accept="image/png")
        # an error raised in a worker crosses the pipe intact
        assert runner.run("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", accept="text/csv").media_type == "text/csv"
    assert runner.pids == []


def _big_store() -> ox.Store:
    store = ox.Store()
    store.extend(
        ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(i))
        for i in range(2000)
    )
    return store


def test_runner_stops_a_runaway_query_at_the_limit():
    with SparqlRunner(_big_store(), timeout=1, workers=1) as runner:
        (before,) = runner.pids
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match="1 s limit"):
            runner.run("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        assert 0.9 <= time.monotonic() - started < 15  # generous: the limit, not long after
        (after,) = runner.pids
        assert after != before  # killed and replaced
        assert json.loads(runner.run("ASK { ?s ?p ?o }").body)["boolean"] is True


def test_runner_reports_busy_when_no_worker_comes_free():
    import threading

    with SparqlRunner(_big_store(), timeout=2, workers=1, wait=0.3) as runner:
        errors: list[Exception] = []

        def slow() -> None:
            try:
                runner.run("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
            except Exception as error:
                errors.append(error)

        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.2)
        with pytest.raises(SparqlBusyError):
            runner.run("ASK {}")
        thread.join()
        assert isinstance(errors[0], QueryTimeoutError)


def test_runner_can_be_closed_and_started_again(store):
    runner = SparqlRunner(store, timeout=20, workers=1)
    assert json.loads(runner.run("ASK {}").body)["boolean"] is True  # starts on first use
    runner.close()
    assert runner.pids == []
    assert json.loads(runner.run("ASK {}").body)["boolean"] is True
    runner.close()


def test_runner_rejects_bad_limits(store):
    for kwargs in ({"timeout": 0}, {"max_rows": 0}, {"workers": 0}):
        with pytest.raises(ValueError):
            SparqlRunner(store, **kwargs)


def test_runner_replaces_a_worker_that_died_while_idle(store):
    import os
    import signal

    with SparqlRunner(store, timeout=20, workers=1) as runner:
        (dead,) = runner.pids
        os.kill(dead, signal.SIGKILL)
        time.sleep(0.2)
        assert json.loads(runner.run("ASK {}").body)["boolean"] is True
        assert runner.pids != [dead]
