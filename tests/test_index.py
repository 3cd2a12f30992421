"""The on-disk index: `causal-web index`, `serve --index`, the content hash that refuses a stale
index, `--rebuild-index`, a build killed midway that leaves the old index serving, and
`serve --workers 2`."""

from __future__ import annotations

import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner
from index_server import serve_with
from live_server import ROOT

from causal_web.cli.main import main
from causal_web.index import (
    IndexFormatError,
    StaleIndexError,
    build_index,
    check_fresh,
    content_hash,
    data_files,
    open_index,
    read_manifest,
)
from causal_web.knowledge_base import KnowledgeBase, load
from causal_web.resources import bundled_data_dir
from causal_web.review_set import ReviewSet, select_review

ICAMO = Path(__file__).parent / "data" / "icamo"
SPARQL_COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
CHAINS = "chains?from=collaborative-functioning&to=care-quality"


def _yaml_cmocs(folder: Path) -> int:
    """CMOC records in a folder, counted from the YAML itself (not through the loader)."""
    total = 0
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        total += len(data.get("cmocs") or [])
    return total


@pytest.fixture
def icamo(tmp_path: Path) -> Path:
    folder = tmp_path / "icamo"
    shutil.copytree(ICAMO, folder)
    return folder


# -- the content hash -----------------------------------------------------------------------


def test_the_hash_covers_the_files_the_loader_reads(tmp_path: Path) -> None:
    assert data_files(bundled_data_dir()) == [
        "concepts.yaml",
        "coverage.yaml",
        "evaluation-2022.yaml",
        "guidance/diagnostic.yaml",
        "guidance/stages.yaml",
        "guidance/typology.yaml",
        "phases.yaml",
        "refined-2021.yaml",
        "review-2021.yaml",
        "sources.yaml",
        "summary-2022.yaml",
    ]
    copy = tmp_path / "copy"
    shutil.copytree(bundled_data_dir(), copy)
    original = content_hash([bundled_data_dir()])
    assert original.startswith("sha256:") and len(original) == len("sha256:") + 64
    assert content_hash([copy]) == original  # paths are relative: a copy elsewhere hashes the same
    (copy / "README.md").write_text("not read by the loader\n", encoding="utf-8")
    assert content_hash([copy]) == original
    stages = copy / "guidance" / "stages.yaml"
    stages.write_bytes(stages.read_bytes() + b"\n")
    changed = content_hash([copy])
    assert changed != original
    (copy / "phases.yaml").write_bytes((copy / "phases.yaml").read_bytes() + b"# a comment\n")
    assert content_hash([copy]) not in (original, changed)
    # the folders' order is part of the data: reviews keep the order they are given in
    assert content_hash([bundled_data_dir(), ICAMO]) != content_hash([ICAMO, bundled_data_dir()])


# -- building and opening -------------------------------------------------------------------


def test_index_of_the_bundled_data(bundled_index: Path, kb: KnowledgeBase) -> None:
    manifest = read_manifest(bundled_index)
    assert sorted(p.name for p in bundled_index.iterdir()) == [
        "data",
        "knowledge-base.pickle",
        "manifest.json",
        "store",
    ]
    assert manifest["format_version"] == 1
    assert manifest["base_iri"] == "https://w3id.org/causal-web/"
    assert manifest["content_hash"] == content_hash([bundled_data_dir()])
    assert [r["id"] for r in manifest["reviews"]] == ["ioc"]
    assert manifest["reviews"][0]["folder"] == str(bundled_data_dir().resolve())
    assert manifest["counts"]["cmocs"] == _yaml_cmocs(bundled_data_dir()) == len(kb.dataset.cmocs)
    opened = open_index(bundled_index)
    assert type(opened) is KnowledgeBase
    assert sorted(opened.dataset.cmocs) == sorted(kb.dataset.cmocs)
    assert sorted(opened.web.graph.edges(keys=True)) == sorted(kb.web.graph.edges(keys=True))
    # the same quads as the store built from the files (the ontology included)
    assert len(opened.store) == len(kb.store) == manifest["counts"]["quads"]
    assert opened.sparql(SPARQL_COUNT) == kb.sparql(SPARQL_COUNT)
    # the guidance files travel with the index
    assert (opened.data_dir / "guidance" / "stages.yaml").read_bytes() == (
        bundled_data_dir() / "guidance" / "stages.yaml"
    ).read_bytes()
    # exports regenerate their text from the records: the same N-Quads as from the files
    assert opened.nquads == kb.nquads


def test_index_of_two_reviews(tmp_path: Path, icamo: Path) -> None:
    out = tmp_path / "both"
    phases: list[str] = []
    manifest = build_index([bundled_data_dir(), icamo], out, progress=lambda phase, _m: phases.append(phase))
    assert list(dict.fromkeys(phases)) == ["load", "RDF", "store", "web", "views", "write"]
    assert [r["id"] for r in manifest["reviews"]] == ["ioc", "tests"]
    assert manifest["reviews"][1]["counts"]["cmocs"] == _yaml_cmocs(ICAMO) == 5
    opened = open_index(out)
    loaded = load([bundled_data_dir(), icamo])
    assert isinstance(opened, ReviewSet)
    assert list(opened.reviews) == ["ioc", "tests"]
    assert sorted(select_review(opened, "tests").dataset.cmocs) == [f"ICAMO-{n}" for n in range(1, 6)]
    assert opened.owner == loaded.owner
    assert opened.sparql(SPARQL_COUNT) == loaded.sparql(SPARQL_COUNT)
    assert opened.reviews["tests"].folder == out / "data" / "1" / "icamo"


def test_a_stale_index_is_refused(tmp_path: Path, bundled_copy: Path) -> None:
    out = tmp_path / "index"
    build_index([bundled_copy], out)
    assert check_fresh(out, [bundled_copy])["content_hash"] == content_hash([bundled_copy])
    review = bundled_copy / "review-2021.yaml"
    review.write_text(
        review.read_text(encoding="utf-8").replace("Synergistic working", "Synergistic joint working", 1)
    )
    with pytest.raises(StaleIndexError, match="stale"):
        check_fresh(out, [bundled_copy])
    result = CliRunner().invoke(main, ["serve", "--data", str(bundled_copy), "--index", str(out)])
    assert result.exit_code == 2
    assert "is stale" in result.output and "--rebuild-index" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: (p / "manifest.json").unlink(), "manifest.json is missing"),
        (lambda p: (p / "manifest.json").write_text("{not json", encoding="utf-8"), "is not valid JSON"),
        (
            lambda p: (p / "manifest.json").write_text(
                (p / "manifest.json").read_text().replace('"format_version": 1', '"format_version": 99'),
                encoding="utf-8",
            ),
            "format version 99",
        ),
        (lambda p: (p / "knowledge-base.pickle").write_bytes(b"\x80\x05broken"), "cannot be read"),
        (lambda p: shutil.rmtree(p / "store"), "store is missing"),
    ],
)
def test_a_damaged_index_is_a_clear_error(bundled_index: Path, tmp_path: Path, damage, message: str) -> None:
    copy = tmp_path / "damaged"
    shutil.copytree(bundled_index, copy)
    damage(copy)
    with pytest.raises(IndexFormatError, match=message):
        open_index(copy)
    result = CliRunner().invoke(main, ["serve", "--index", str(copy)])
    assert result.exit_code == 2, result.output
    assert message in result.output and "causal-web index" in result.output
    assert "Traceback" not in result.output


def test_no_index_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--index", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no index at" in result.output and "Traceback" not in result.output


def test_index_command(tmp_path: Path, icamo: Path) -> None:
    out = tmp_path / "cli-index"
    result = subprocess.run(
        [sys.executable, "-m", "causal_web", "index", "--data", str(icamo), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for phase in ("load", "RDF", "store", "web", "write"):
        assert f"] {phase}: " in result.stderr
    assert "Wrote the index" in result.stderr and "5 CMOCs" in result.stderr
    assert read_manifest(out)["content_hash"] == content_hash([icamo])
    bad = tmp_path / "bad"
    shutil.copytree(icamo, bad)
    (bad / "phases.yaml").write_text("phases: [\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["index", "--data", str(bad), "-o", str(out)])
    assert refused.exit_code == 1 and "phases.yaml" in refused.output
    assert read_manifest(out)["content_hash"] == content_hash([icamo])  # the old index is kept
    assert not [p for p in tmp_path.iterdir() if ".cw-staging-" in p.name]


# -- serving from the index -----------------------------------------------------------------


def _same_answers(a: str, b: str, paths: list[str]) -> None:
    for path in paths:
        left, right = httpx.get(a + path, timeout=30), httpx.get(b + path, timeout=30)
        assert left.status_code == right.status_code == 200, (path, left.text[:300], right.text[:300])
        assert left.json() == right.json(), path
    query = {"query": SPARQL_COUNT}
    accept = {"Accept": "application/sparql-results+json"}
    left = httpx.post(a + "sparql", data=query, headers=accept, timeout=30)
    right = httpx.post(b + "sparql", data=query, headers=accept, timeout=30)
    assert left.status_code == right.status_code == 200
    assert left.json() == right.json()
    assert len(left.json()["results"]["bindings"]) >= 5  # a graph per phase, the catalogue, the ontology


@pytest.mark.server
def test_serve_index_answers_as_serve_data(tmp_path: Path, bundled_index: Path) -> None:
    paths = ["cmocs", "cmocs?mechanism=trust", "cmocs/R21-001", CHAINS, "reviews", "stages", "health"]
    with (
        serve_with(tmp_path / "data.log", []) as (from_files, _),
        serve_with(tmp_path / "index.log", ["--index", str(bundled_index)]) as (from_index, _),
    ):
        _same_answers(from_files, from_index, paths)
        assert httpx.get(from_index + "cmocs/R21-001", timeout=30).json()["mechanism"][0]["label"] == (
            "Synergistic working"
        )
    assert "from the index" in (tmp_path / "index.log").read_text()


@pytest.mark.server
def test_serve_index_of_two_reviews(tmp_path: Path, icamo: Path) -> None:
    out = tmp_path / "both"
    build_index([bundled_data_dir(), icamo], out)
    folders = ["--data", str(bundled_data_dir()), "--data", str(icamo)]
    paths = ["reviews", "cmocs?review=tests", "cmocs?review=ioc&limit=5", "cmocs/ICAMO-1", CHAINS]
    with (
        serve_with(tmp_path / "data.log", folders) as (from_files, _),
        serve_with(tmp_path / "index.log", [*folders, "--index", str(out)]) as (from_index, _),
    ):
        _same_answers(from_files, from_index, paths)
        reviews = httpx.get(from_index + "reviews", timeout=30).json()
        assert [r["id"] for r in reviews["items"]] == ["ioc", "tests"]
        assert reviews["items"][1]["cmocs"] == 5


@pytest.mark.server
def test_rebuild_index_serves_the_edited_data(tmp_path: Path, bundled_copy: Path) -> None:
    out = tmp_path / "index"
    build_index([bundled_copy], out)
    before = read_manifest(out)["content_hash"]
    review = bundled_copy / "review-2021.yaml"
    review.write_text(
        review.read_text(encoding="utf-8").replace("Synergistic working", "Synergistic joint working", 1)
    )
    args = ["--data", str(bundled_copy), "--index", str(out), "--rebuild-index"]
    with serve_with(tmp_path / "serve.log", args) as (url, _):
        cmoc = httpx.get(url + "cmocs/R21-001", timeout=30).json()
        assert cmoc["mechanism"][0]["label"] == "Synergistic joint working"
    assert "Rebuilding the index" in (tmp_path / "serve.log").read_text()
    after = read_manifest(out)["content_hash"]
    assert after != before and after == content_hash([bundled_copy])


@pytest.mark.slow
@pytest.mark.server
def test_the_memory_cap_holds_on_an_index_backed_store(tmp_path: Path, bundled_index: Path) -> None:
    import psutil

    def tree_rss(pid: int) -> int:
        parent = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)])

    env = {"CAUSAL_WEB_SPARQL_MEMORY_MB": "256", "CAUSAL_WEB_SPARQL_TIMEOUT": "60"}
    with serve_with(tmp_path / "serve.log", ["--index", str(bundled_index)], env=env) as (url, process):
        ask = {"query": "ASK { ?s ?p ?o }"}
        for _ in range(3):
            assert httpx.get(url + "sparql", params=ask, timeout=60).status_code == 200
        baseline = tree_rss(process.pid)
        cross = {"query": "SELECT * WHERE {?a ?b ?c . ?d ?e ?f} ORDER BY ?c ?f"}
        response = httpx.get(url + "sparql", params=cross, timeout=180)
        assert response.status_code == 507, response.text
        assert response.json()["type"].endswith("/query-memory") and "256 MiB" in response.json()["detail"]
        assert httpx.get(url + "sparql", params=ask, timeout=60).status_code == 200
        deadline = time.monotonic() + 20
        while tree_rss(process.pid) > baseline * 1.2 and time.monotonic() < deadline:
            time.sleep(0.25)
        assert tree_rss(process.pid) <= baseline * 1.2


# -- a build killed midway ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.server
def test_a_killed_build_leaves_the_old_index_serving(tmp_path: Path, icamo: Path) -> None:
    from causal_web.model.synthetic import write_synthetic

    out = tmp_path / "index"
    build_index([icamo], out)
    old_hash = read_manifest(out)["content_hash"]
    big = write_synthetic(tmp_path / "synthetic", 5000, seed=1)
    build = subprocess.Popen(
        [sys.executable, "-m", "causal_web", "index", "--data", str(big), "-o", str(out)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
        text=True,
    )
    seen = ""
    try:
        deadline = time.monotonic() + 300
        while "] store: " not in seen:
            assert build.poll() is None, f"the build ended before its store phase:\n{seen}"
            assert time.monotonic() < deadline, f"no store phase within 300 s:\n{seen}"
            ready, _, _ = select.select([build.stderr], [], [], 1.0)
            if ready:
                seen += build.stderr.readline()
        staging = [p for p in tmp_path.iterdir() if p.name.startswith(".index.cw-staging-")]
        assert len(staging) == 1
        while not any((staging[0] / "store").glob("*")):  # the new store, being written
            assert build.poll() is None and time.monotonic() < deadline, seen
            time.sleep(0.01)
        os.kill(build.pid, signal.SIGKILL)
    finally:
        build.kill()
        build.wait(timeout=30)
    assert build.returncode == -signal.SIGKILL
    # the old index is intact and serves
    assert read_manifest(out)["content_hash"] == old_hash == content_hash([icamo])
    with serve_with(tmp_path / "serve.log", ["--index", str(out)]) as (url, _):
        listing = httpx.get(url + "cmocs", timeout=30).json()
        assert sorted(item["id"] for item in listing["items"]) == [f"ICAMO-{n}" for n in range(1, 6)]
    # the next build tidies up what the killed one left
    build_index([icamo], out)
    assert not [p for p in tmp_path.iterdir() if ".cw-" in p.name]


def test_a_swap_killed_between_its_renames_is_recovered(tmp_path: Path, icamo: Path) -> None:
    out = tmp_path / "index"
    build_index([icamo], out)
    old_hash = read_manifest(out)["content_hash"]
    env = {**os.environ, "CAUSAL_WEB_TEST_SWAP_FALLBACK": "1", "CAUSAL_WEB_TEST_SWAP_PAUSE": "60"}
    build = subprocess.Popen(
        [sys.executable, "-m", "causal_web", "index", "--data", str(bundled_data_dir()), "-o", str(out)],
        stderr=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 300
        while out.exists():  # the old index is renamed aside, then the pause
            assert build.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        build.kill()
    finally:
        build.kill()
        build.wait(timeout=30)
    assert not out.exists() and [p for p in tmp_path.iterdir() if ".index.cw-aside-" in p.name]
    opened = open_index(out)  # puts the old index back first
    assert sorted(opened.dataset.cmocs) == [f"ICAMO-{n}" for n in range(1, 6)]
    assert read_manifest(out)["content_hash"] == old_hash


# -- several workers ------------------------------------------------------------------------


@pytest.mark.server
def _workers_of_connections_opened_together(url: str, count: int) -> set[str]:
    """Open ``count`` connections at once, then ask /health on each (keep-alive, HTTP/1.1):
    the X-Worker-PID of the child that accepted each connection."""
    where = urllib.parse.urlsplit(url)
    connections = [socket.create_connection((where.hostname, where.port), timeout=30) for _ in range(count)]
    seen: set[str] = set()
    try:
        for connection in connections:
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n")
        for connection in connections:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = connection.recv(4096)
                assert chunk, "the server closed the connection"
                head += chunk
            lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
            assert lines[0].startswith("HTTP/1.1 200"), lines[0]
            headers = dict(line.lower().split(": ", 1) for line in lines[1:])
            seen.add(headers["x-worker-pid"])
    finally:
        for connection in connections:
            connection.close()
    return seen


def test_two_workers_share_the_index(tmp_path: Path, bundled_index: Path) -> None:
    with serve_with(tmp_path / "workers.log", ["--index", str(bundled_index), "--workers", "2"]) as (
        url,
        process,
    ):
        pids: set[str] = set()
        deadline = time.monotonic() + 60
        while len(pids) < 2 and time.monotonic() < deadline:
            # a new connection each time: the kernel hands them to either child
            pids.add(httpx.get(url + "health", timeout=10).headers["X-Worker-PID"])
        assert len(pids) == 2 and str(process.pid) not in pids
        for pid in pids:
            assert Path(f"/proc/{pid}/status").read_text().split("PPid:")[1].split()[0] == str(process.pid)
        # Connections opened together are spread over the children (each listens on its own
        # SO_REUSEPORT socket): on one shared socket the child that woke first took them all.
        # 16 connections all hashed to one child by chance: 2 in 65,536.
        assert _workers_of_connections_opened_together(url, 16) == pids
        answers = {httpx.get(url + CHAINS, timeout=30).text for _ in range(6)}
        assert len(answers) == 1
        query = {"query": "ASK { ?s ?p ?o }"}
        answer = httpx.post(url + "sparql", data=query, headers={"Accept": "application/sparql-results+json"})
        assert answer.json()["boolean"] is True
        # a child that dies is started again
        victim = int(sorted(pids)[0])
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while "starting another" not in (tmp_path / "workers.log").read_text():
            assert time.monotonic() < deadline, (tmp_path / "workers.log").read_text()
            time.sleep(0.2)
        fresh: set[str] = set()
        deadline = time.monotonic() + 60
        while len(fresh) < 2 and time.monotonic() < deadline:
            try:
                fresh.add(httpx.get(url + "health", timeout=10).headers["X-Worker-PID"])
            except httpx.TransportError:
                time.sleep(0.2)
        assert len(fresh) == 2 and str(victim) not in fresh
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    log = (tmp_path / "workers.log").read_text()
    assert log.count("Finished server process") == 2
    assert "Traceback" not in log
