"""A wheel built with `pip wheel .` and installed in a fresh venv runs on its bundled data."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_runs_stats(tmp_path: Path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=600,
    )
    wheel = next(wheels.glob("causal_web-*.whl"))
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
    assert stats["totals"]["cmocs"] == 44
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
