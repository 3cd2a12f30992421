"""The SPARQL tokeniser that decides, before a query runs, its form, SERVICE use, dataset clause,
nesting and where its row cap goes; checked by hand and against rdflib's full parser."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from causal_web.rdf.named_queries import named_queries
from causal_web.rdf.query_text import (
    MAX_NESTING,
    QueryTextError,
    QueryTooDeepError,
    cap_select,
    inspect_query,
    unescape_codepoints,
)

PATTERN = "{ ?s ?p ?o }"
WITH_SERVICE = [
    f"SELECT * {{ SERVICE <http://e/> {PATTERN} }}",
    f"select * {{ service silent ?x {PATTERN} }}",
    f"SELECT * {{ \\u0053ERVICE <http://e/> {PATTERN} }}",
    f"SELECT * {{ SERVICE#c\n<http://e/> {PATTERN} }}",
    f"SELECT * {{ OPTIONAL {{ SERVICE <http://e/> {PATTERN} }} }}",
    f"PREFIX e: <http://e/> SELECT * {{ ?s e:p\\' ?o . SERVICE e:x {PATTERN} }}",
    f'ASK {{ ?s ?p "a\\"b" . SERVICE <http://e/> {PATTERN} }}',
]
WITHOUT_SERVICE = [
    'SELECT * { ?s ?p "SERVICE" }',
    "SELECT * { ?s ?p 'SERVICE <http://e/> { ?s ?p ?o }' }",
    'SELECT * { ?s ?p """\nSERVICE <http://e/> {}\n""" }',
    "SELECT ?SERVICE { ?s <http://e/SERVICE> ?SERVICE }",
    "PREFIX SERVICE: <http://e/> SELECT * { ?s SERVICE:p ?o }",
    'SELECT * { ?s ?p "x"@service } # SERVICE <http://e/> { }',
    "SELECT * { _:SERVICE ?p ?o }",
]


def _rdflib_has_service(text: str) -> bool:
    found = []

    def walk(node: object) -> None:
        if getattr(node, "name", None) == "ServiceGraphPattern":
            found.append(node)
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(translateQuery(parseQuery(text)).algebra)
    return bool(found)


@pytest.mark.parametrize("query", WITH_SERVICE)
def test_service_is_found_in_every_spelling(query):
    assert inspect_query(query).has_service


@pytest.mark.parametrize("query", WITHOUT_SERVICE)
def test_the_word_service_elsewhere_is_not_the_keyword(query):
    assert not inspect_query(query).has_service


@pytest.mark.parametrize("query", [q for q in WITH_SERVICE + WITHOUT_SERVICE if "\\'" not in q])
def test_the_tokeniser_agrees_with_rdflib(query):
    assert inspect_query(query).has_service == _rdflib_has_service(unescape_codepoints(query))


def test_the_named_queries():
    for query in named_queries().values():
        shape = inspect_query(query.text)
        assert (shape.form, shape.has_service, shape.has_dataset) == ("SELECT", False, False), query.name
        assert shape.depth <= 8


@pytest.mark.parametrize(
    ("query", "has_dataset"),
    [
        ("SELECT * FROM <http://e/g> { }", True),
        ("SELECT * FROM NAMED <http://e/g> { GRAPH ?g { } }", True),
        ("ASK from <http://e/g> { }", True),
        ('SELECT * { ?s ?p "FROM" }', False),
        ("SELECT ?from { ?from ?p ?o }", False),
    ],
)
def test_dataset_clauses(query, has_dataset):
    assert inspect_query(query).has_dataset is has_dataset


def test_nesting_is_measured_and_capped():
    assert inspect_query("SELECT * { { ?s ?p ?o } FILTER((1)) }").depth == 3
    deep = "SELECT * WHERE " + "{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1)
    with pytest.raises(QueryTooDeepError, match=f"more than {MAX_NESTING} deep"):
        inspect_query(deep)
    # brackets in strings, IRIs and comments do not count
    assert inspect_query('SELECT * { ?s ?p "{{{{((((" } # ((((').depth == 1


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "never closed }',
        "SELECT * { ?s ?p 'never closed }",
        "SELECT * { ?s ?p ?o } \\ SERVICE",
        "SELECT * { ?s ?p ?o } ~",
        "SELECT * { \\u005Cu0053ERVICE <http://e/> {} }",  # an escape spelling an escape
    ],
)
def test_text_it_cannot_tokenise_is_refused(query):
    with pytest.raises(QueryTextError, match="not valid SPARQL"):
        inspect_query(query)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.extend(
        ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(i)) for i in range(20)
    )
    return store


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("SELECT * { ?s ?p ?o }", 5),
        ("SELECT * { ?s ?p ?o } # a comment at the end", 5),
        ("SELECT * { ?s ?p ?o } LIMIT 3", 3),
        ("SELECT * { ?s ?p ?o } LIMIT 300", 5),
        ("SELECT * { ?s ?p ?o } ORDER BY ?o OFFSET 17", 3),
        ("SELECT * { ?s ?p ?o } OFFSET 2 LIMIT 100", 5),
        ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 7 } } LIMIT 6", 5),
        ("SELECT ?o { ?s ?p ?o } VALUES ?o { 1 2 3 4 5 6 7 }", 5),
    ],
)
def test_cap_select_bounds_the_rows(store, query, rows):
    capped = cap_select(inspect_query(query), 5)
    assert len(list(store.query(capped))) == rows


def test_cap_keeps_the_order(store):
    capped = cap_select(inspect_query("SELECT ?o { ?s ?p ?o } ORDER BY DESC(?o)"), 3)
    assert [int(row["o"].value) for row in store.query(capped)] == [19, 18, 17]


FRAGMENTS = [
    "SERVICE",
    "service",
    "\\u0053ERVICE",
    "SILENT",
    "<http://e/>",
    "?x",
    "?s ?p ?o .",
    '"SERVICE"',
    "'{'",
    "# SERVICE\n",
    "{",
    "}",
    "OPTIONAL",
    "e:SERVICE",
    "\n",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12))
def test_the_tokeniser_agrees_with_rdflib_on_generated_queries(fragments):
    """Queries built from fragments that mix the keyword with strings, comments, escapes and
    prefixed names: whenever rdflib can parse one, both agree on whether it uses SERVICE; and
    the tokeniser never misses a SERVICE that rdflib finds."""
    text = "PREFIX e: <http://e/> SELECT * WHERE { " + " ".join(fragments) + " }"
    try:
        found = inspect_query(text).has_service
    except (QueryTextError, QueryTooDeepError):
        return  # refused outright: nothing runs
    try:
        expected = _rdflib_has_service(unescape_codepoints(text))
    except Exception:
        return  # not a query rdflib can read
    assert found == expected, text
