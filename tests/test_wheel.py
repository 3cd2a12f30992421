"""A wheel built with `pip wheel .` and installed in a fresh venv runs on its bundled data."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip wheel .` builds from this checkout."""
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=600,
    )
    return next(wheels.glob("causal_web-*.whl"))


@pytest.mark.slow
def test_the_wheel_holds_the_licence_and_only_the_causal_web_package(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        top_level = {name.split("/", 1)[0] for name in names}
        dist_info = next(name for name in top_level if name.endswith(".dist-info"))
        assert top_level == {"causal_web", dist_info}
        licence = archive.read(f"{dist_info}/licenses/LICENSE").decode()
        metadata = archive.read(f"{dist_info}/METADATA").decode()
    assert licence == (ROOT / "LICENSE").read_text()
    assert licence.startswith("MIT License")
    assert "License-Expression: MIT" in metadata
    assert "License-File: LICENSE" in metadata
    assert "Project-URL: Homepage, https://w3id.org/causal-web/" in metadata
    assert "Classifier: Development Status :: 3 - Alpha" in metadata
    # the service and the drawings come inside the package, not as top-level api/ and viz/
    assert "causal_web/api/app.py" in names and "causal_web/viz/network.py" in names
    assert not any(name.startswith(("api/", "viz/")) for name in names)


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_runs_stats(tmp_path: Path, wheel: Path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=900)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(env_dir / "bin" / "causal-web"), "stats", "--json"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    # 40 configurations: E22-001..003 are mechanism entries and S22-013 is constitutes links
    assert stats["totals"]["cmocs"] == 40
    assert stats["coverage"]["entries"]
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import causal_web.resources as r; print(r.bundled_data_dir()); print(r.ontology_file())",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=True,
    ).stdout.split()
    assert all(str(env_dir) in path for path in where), where
    valid = subprocess.run(
        [str(env_dir / "bin" / "causal-web"), "validate"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=300,
    )
    assert valid.returncode == 0, valid.stderr
    chains = subprocess.run(
        [str(env_dir / "bin" / "causal-web"), "chains", "--from", "conflict", "--to", "trust", "--json"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=300,
    )
    assert chains.returncode == 0, chains.stderr
    assert json.loads(chains.stdout)["chains"][0]["hops"][0]["valence"] == "-"
    _serve_from_the_wheel(env_dir, elsewhere)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve_from_the_wheel(env_dir: Path, cwd: Path) -> None:
    """The installed service answers the API and serves the explorer with its own assets."""
    port = _free_port()
    server = subprocess.Popen(
        [str(env_dir / "bin" / "causal-web"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        server.stderr.read().decode() if server.stderr else "no output"
                    ) from None
                time.sleep(0.5)
        with urllib.request.urlopen(f"{base}/cmocs/R21-016", timeout=30) as response:
            record = json.load(response)
        assert record["mechanism"][0]["label"] == "Reduced conflict"
        with urllib.request.urlopen(f"{base}/", timeout=30) as response:
            page = response.read().decode()
        assert "explorer.js" in page
        with urllib.request.urlopen(f"{base}/static/explorer.js", timeout=30) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
