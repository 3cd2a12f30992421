"""Every record IRI the data mints resolves here: as JSON and as Turtle that describes it.

The IRIs come from the RDF store itself (every typed subject ``<base><collection>/<id>``), so a
kind of record the RDF layer mints but the API does not serve fails here. Run on the bundled
data and on the ICAMO test review, which has a record of every kind.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

import causal_web
from causal_web.api.app import create_app
from causal_web.api.settings import Settings

ICAMO = Path(__file__).resolve().parents[1] / "data" / "icamo"
# What the bundled data and the test review hold of each kind, counted from their files.
BUNDLED_KINDS = {"concepts", "sources", "cmocs", "links", "nestings", "mechanisms", "entry-points", "phases"}
ICAMO_KINDS = {"cmocs", "nestings", "entry-points", "demi-regularities", "theories", "bases"}


def _record_iris(kb) -> list[str]:
    """Paths of the typed subjects under the base IRI that name one record (collection/id)."""
    rows = kb.store.query("SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a ?type } }")
    paths = set()
    for row in rows:
        subject = row["s"]
        if not isinstance(subject, ox.NamedNode) or not subject.value.startswith(kb.base_iri):
            continue
        path = subject.value[len(kb.base_iri) :]
        collection, _, record = path.partition("/")
        if record and "/" not in record and collection != "graphs":
            paths.add(path)
    return sorted(paths)


def _implicit_base(kb, path: str) -> bool:
    """An included study counted as its own evidence base: minted by the RDF layer, but not a
    record of the data's bases list."""
    collection, _, record = path.partition("/")
    return collection == "bases" and record not in kb.dataset.bases


def _check(client: TestClient, kb, path: str) -> None:
    response = client.get("/" + path)
    assert response.status_code == 200, f"{path}: {response.text[:200]}"
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert path.rsplit("/", 1)[1] == (body["concept"]["id"] if path.startswith("concepts/") else body["id"])
    turtle = client.get("/" + path, params={"format": "ttl"})
    assert turtle.status_code == 200, f"{path} as Turtle: {turtle.text[:200]}"
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(kb.base_iri + path), None, None) in graph


@pytest.fixture(scope="module")
def icamo():
    kb = causal_web.load(ICAMO)
    app = create_app(kb, Settings(sparql_workers=1))
    with TestClient(app) as client:
        yield kb, client


@pytest.fixture(scope="module")
def bundled():
    kb = causal_web.load()
    app = create_app(kb, Settings(sparql_workers=1))
    with TestClient(app) as client:
        yield kb, client


def test_every_record_of_the_test_review_resolves(icamo):
    kb, client = icamo
    paths = _record_iris(kb)
    assert {p.split("/")[0] for p in paths} >= ICAMO_KINDS
    for path in paths:
        if not _implicit_base(kb, path):
            _check(client, kb, path)


def test_every_record_of_the_bundled_data_resolves(bundled):
    kb, client = bundled
    paths = [p for p in _record_iris(kb) if not _implicit_base(kb, p)]
    assert BUNDLED_KINDS | {"ioc-types", "bases"} <= {p.split("/")[0] for p in paths}
    assert len([p for p in paths if p.startswith("cmocs/")]) == len(kb.dataset.cmocs) == 40
    for path in paths:
        _check(client, kb, path)


def test_implicit_evidence_bases_resolve(bundled):
    kb, client = bundled
    implicit = [p for p in _record_iris(kb) if _implicit_base(kb, p)]
    assert implicit
    for path in implicit:
        _check(client, kb, path)
