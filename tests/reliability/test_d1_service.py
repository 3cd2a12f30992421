"""D1 (reliability audit): SPARQL SERVICE made the read-only endpoint send requests to any
host. Now SERVICE is refused before anything runs, in every spelling, and the query workers
have no network to send on. A loopback listener shows that no connection arrives."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import time

import httpx
import pyoxigraph as ox
import pytest
from reliability_helpers import Listener, server_with

from causal_web.rdf.sparql import SparqlRunner, _isolate_network

pytestmark = pytest.mark.server


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with server_with(tmp_path_factory.mktemp("d1") / "serve.log") as (url, process):
        yield url, process


def spellings(target: str) -> list[str]:
    pattern = "{ ?s ?p ?o }"
    return [
        f"SELECT * WHERE {{ SERVICE <{target}> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {pattern} }}",
        f"select * {{ service silent <{target}> {pattern} }}",
        f"SELECT * {{ SeRvIcE <{target}> {pattern} }}",
        f"SELECT * {{ \\u0053ERVICE <{target}> {pattern} }}",
        f"SELECT * {{ SERV\\u0049CE SILENT <{target}> {pattern} }}",
        f"SELECT * {{ \\U00000053\\U00000045RVICE <{target}> {pattern} }}",
        f"SELECT * {{ SERVICE# a comment\n<{target}> {pattern} }}",
        f"SELECT * {{\tSERVICE\n\r\tSILENT\n<{target}>{pattern} }}",
        f"SELECT * {{ VALUES ?e {{ <{target}> }} SERVICE ?e {pattern} }}",
        f"SELECT * {{ BIND(<{target}> AS ?e) SERVICE SILENT ?e {pattern} }}",
        f"PREFIX l: <{target.rsplit('/', 1)[0]}/> SELECT * {{ SERVICE l:sparql {pattern} }}",
        f"BASE <{target.rsplit('/', 1)[0]}/> SELECT * {{ SERVICE <sparql> {pattern} }}",
        f"SELECT * {{ OPTIONAL {{ SERVICE <{target}> {pattern} }} }}",
        f"SELECT * {{ {{ SELECT * {{ SERVICE <{target}> {pattern} }} }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{target}> {pattern} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{target}> {pattern} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{target}> {pattern} }}",
        f"\ufeffSELECT * {{ SERVICE <{target}> {pattern} }}",
        f'SELECT * {{ ?x ?y "SERVICE" . SERVICE <{target}> {pattern} }}',
    ]


def test_pyoxigraph_alone_would_connect(listener):
    """The positive control: without the endpoint's guards the listener does get a request."""
    query = f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"
    with contextlib.suppress(Exception):
        list(ox.Store().query(query))
    deadline = time.monotonic() + 5
    while not listener.connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections, "the listener saw nothing: this test could not catch D1"


def test_service_in_every_spelling_is_refused_and_nothing_connects(server, listener):
    url, _ = server
    queries = spellings(listener.url)
    for query in queries:
        for response in (
            httpx.get(url + "sparql", params={"query": query}, timeout=30),
            httpx.post(url + "sparql", data={"query": query}, timeout=30),
            httpx.post(
                url + "sparql",
                content=query.encode("utf-8"),
                headers={"Content-Type": "application/sparql-query"},
                timeout=30,
            ),
        ):
            assert response.status_code == 403, (query, response.status_code, response.text)
            body = response.json()
            assert body["type"].endswith("/service-refused"), query
            assert "SERVICE" in body["detail"]
    time.sleep(0.5)
    assert listener.connections == []


def test_service_as_data_is_still_answered(server):
    url, _ = server
    query = 'SELECT ?x WHERE { BIND("SERVICE SILENT <http://127.0.0.1:9/>" AS ?x) } # SERVICE'
    response = httpx.get(url + "sparql", params={"query": query}, timeout=30)
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["x"]["value"].startswith("SERVICE")


def _service_from_isolated_process(target: str, out: multiprocessing.Queue) -> None:
    isolated = _isolate_network()
    try:
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"))
        outcome = "answered"
    except Exception as error:
        outcome = type(error).__name__
    out.put((isolated, outcome))


def test_an_isolated_worker_cannot_reach_the_network(listener):
    """Belt and braces: even a SERVICE that got past the refusal finds no network in a worker."""
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue = context.Queue()
    child = context.Process(target=_service_from_isolated_process, args=(listener.url, results))
    child.start()
    isolated, outcome = results.get(timeout=60)
    child.join(timeout=30)
    if not isolated:
        pytest.skip("this system allows neither network namespaces nor user namespaces")
    assert outcome != "answered"
    time.sleep(0.3)
    assert listener.connections == []


def test_the_runner_workers_live_in_their_own_network_namespace():
    with SparqlRunner(ox.Store(), workers=2) as runner:
        if not runner.network_isolated:
            pytest.skip("this system allows neither network namespaces nor user namespaces")
        own = os.readlink("/proc/self/ns/net")
        namespaces = {os.readlink(f"/proc/{pid}/ns/net") for pid in runner.pids}
        assert own not in namespaces
        assert json.loads(runner.run("ASK {}").body)["boolean"] is True
