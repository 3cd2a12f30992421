"""D2: a 10 MB label made `validate` run for minutes (rdflib's N-Triples parser is quadratic
in the length of a literal) and the RDF of one resource blocked the event loop. Labels over
100,000 characters are now refused early, RDF is read without rdflib's parsers, and the
per-resource RDF is written in the thread pool."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from live_server import serve
from rdflib import Dataset, Literal, URIRef
from reliability_helpers import good_folder, problems, replace_in, validate_json

import causal_web
from causal_web.api.app import create_app
from causal_web.api.settings import Settings
from causal_web.model.guards import MAX_TEXT_CHARS
from causal_web.rdf.convert import add_nquads


def test_a_ten_megabyte_label_is_refused_naming_file_record_and_field(tmp_path: Path):
    folder = good_folder(tmp_path)
    label = "x" * 10_000_000
    replace_in(folder / "cmocs.yaml", "      - label: Shared vision\n", f"      - label: {label}\n")
    # before the fix this ran past 300 s; the bound here is generous, the real time is ~2 s
    code, report, _ = validate_json(folder)
    assert code == 1
    [problem] = problems(report, "text.too-long")
    assert (problem["file"], problem["record"], problem["field"]) == (
        "cmocs.yaml",
        "T-001",
        "context[0].label",
    )
    assert "10,000,000 characters" in problem["message"]
    assert f"{MAX_TEXT_CHARS:,}-character limit" in problem["message"]


def test_a_label_just_under_the_limit_validates(tmp_path: Path):
    folder = good_folder(tmp_path)
    label = "y" * (MAX_TEXT_CHARS - 1)
    replace_in(folder / "cmocs.yaml", "      - label: Shared vision\n", f"      - label: {label}\n")
    code, report, _ = validate_json(folder)
    assert code == 0, report["problems"]


def test_a_control_character_in_a_label_is_refused(tmp_path: Path):
    folder = good_folder(tmp_path)
    replace_in(
        folder / "cmocs.yaml", "      - label: Shared vision\n", '      - label: "Shared \\e[31mvision"\n'
    )
    code, report, _ = validate_json(folder)
    assert code == 1
    [problem] = problems(report, "text.control-character")
    assert (problem["record"], problem["field"]) == ("T-001", "context[0].label")
    assert "U+001B" in problem["message"]


def test_tabs_and_newlines_are_allowed_in_text(tmp_path: Path):
    folder = good_folder(tmp_path)
    replace_in(
        folder / "cmocs.yaml", "      - label: Shared vision\n", '      - label: "Shared\\tvision\\nagain"\n'
    )
    _code, report, _ = validate_json(folder, "--no-shacl")
    assert not problems(report, "text.control-character")


def test_nquads_are_read_into_rdflib_with_long_literals_intact():
    value = 'a "quoted" \\ value\n' * 50_000  # ~1 MB: seconds in rdflib's own parser
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    text = f'<http://e/s> <http://e/p> "{escaped}" <http://e/g> .\n<http://e/s> <http://e/q> "b"@en .\n'
    rdf = add_nquads(Dataset(), text)
    graph = rdf.graph(URIRef("http://e/g"))
    assert graph.value(URIRef("http://e/s"), URIRef("http://e/p")) == Literal(value)
    assert (URIRef("http://e/s"), URIRef("http://e/q"), Literal("b", lang="en")) in rdf.default_graph


def test_resource_rdf_is_written_off_the_event_loop(monkeypatch):
    from causal_web.api import representations

    seen = {}
    real = representations.resource_rdf_text

    def recording(*args):
        try:
            asyncio.get_running_loop()
            seen["on_loop"] = True
        except RuntimeError:
            seen["on_loop"] = False
        seen["thread"] = threading.current_thread().name
        return real(*args)

    monkeypatch.setattr(representations, "resource_rdf_text", recording)
    app = create_app(causal_web.load(), Settings(sparql_workers=1))
    with TestClient(app) as client:
        response = client.get("/cmocs/R21-001?format=ttl")
    assert response.status_code == 200
    assert seen["on_loop"] is False


@pytest.mark.server
def test_health_stays_fast_while_a_long_label_resource_is_served(tmp_path: Path):
    folder = good_folder(tmp_path)
    label = "z" * (MAX_TEXT_CHARS - 10)
    for old in ("Shared vision", "Reduced conflict", "Enhanced trust"):
        replace_in(folder / "cmocs.yaml", f"      - label: {old}\n", f"      - label: {label}\n")
    with serve(tmp_path / "server.log", data=folder) as (url, _process):
        stop = threading.Event()

        def fetch_rdf():
            with httpx.Client(timeout=60) as client:
                while not stop.is_set():
                    for fmt in ("ttl", "jsonld", "nt"):
                        assert client.get(f"{url}cmocs/T-001?format={fmt}").status_code == 200

        workers = [threading.Thread(target=fetch_rdf) for _ in range(3)]
        for worker in workers:
            worker.start()
        try:
            times = []
            with httpx.Client(timeout=30) as client:
                for _ in range(20):
                    started = time.perf_counter()
                    assert client.get(url + "health").status_code == 200
                    times.append(time.perf_counter() - started)
                    time.sleep(0.05)
        finally:
            stop.set()
            for worker in workers:
                worker.join(timeout=60)
    # a generous bound on a shared machine: a blocked loop took seconds per request
    assert max(times) < 2.0, times
