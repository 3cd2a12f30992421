"""Record files parsed in worker processes give the same dataset and the same problems, in the
same order, as parsed one after another (a large folder takes the parallel path by itself)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from causal_web.model.loading import read_dataset
from causal_web.resources import bundled_data_dir


def _read(folder: Path, processes: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CAUSAL_WEB_PARSE_PROCESSES", processes)
    return read_dataset(folder)


def test_bundled_data_reads_the_same_in_two_processes(monkeypatch):
    one, one_report = _read(bundled_data_dir(), "1", monkeypatch)
    two, two_report = _read(bundled_data_dir(), "2", monkeypatch)
    assert one == two
    assert one_report.problems == two_report.problems


def test_problems_in_several_files_come_back_in_order(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), folder)
    record_files = sorted(p for p in folder.glob("*.yaml") if "-20" in p.name)
    assert len(record_files) >= 3
    first, second, third = record_files[:3]
    first.write_text(first.read_text(encoding="utf-8") + "\n  - [unclosed\n", encoding="utf-8")
    second.write_text(
        second.read_text(encoding="utf-8").replace("phase: ", "phase: 12345 #", 1), encoding="utf-8"
    )
    third.write_text("cmocs:\n  - id: X1\n    id: X2\n", encoding="utf-8")
    one, one_report = _read(folder, "1", monkeypatch)
    two, two_report = _read(folder, "2", monkeypatch)
    assert one == two
    assert one_report.problems == two_report.problems
    files = [p.file for p in two_report.problems if p.severity == "error"]
    assert {first.name, second.name, third.name} <= set(files)
    assert files.index(first.name) < files.index(second.name) < files.index(third.name)
    rules = {p.rule for p in two_report.problems}
    assert {"syntax.yaml", "schema.id-type", "yaml.duplicate-key"} <= rules
