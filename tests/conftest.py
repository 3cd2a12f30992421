"""Shared fixtures: the bundled knowledge base, fixture folders and the curated sources."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import causal_web
from causal_web.knowledge_base import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "cmocs"
FIXTURES = Path(__file__).resolve().parent / "data"
SHARED_SOURCES = ROOT.parent / "shared" / "sources"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The bundled IOC knowledge base, loaded once."""
    return causal_web.load()


@pytest.fixture
def good_copy(tmp_path: Path) -> Path:
    """A writable copy of the small valid fixture folder."""
    target = tmp_path / "good"
    shutil.copytree(FIXTURES / "good", target)
    return target


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data folder."""
    target = tmp_path / "bundled"
    shutil.copytree(DATA, target)
    return target


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command line in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "causal_web", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the bundled data (``causal-web index``), built once; tests only read it."""
    from causal_web.index import build_index

    out = tmp_path_factory.mktemp("index") / "bundled"
    build_index([], out)
    return out
