"""Helpers for the reliability tests: small data folders with one defect, and the CLI's report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES, run_cli


def good_folder(tmp_path: Path, name: str = "data") -> Path:
    """A writable copy of the small valid fixture folder."""
    folder = tmp_path / name
    shutil.copytree(FIXTURES / "good", folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def validate_json(folder: Path, *options: str) -> tuple[int, dict, str]:
    """Exit code, the JSON report and stderr of `causal-web validate --json`."""
    result = run_cli("validate", str(folder), "--json", *options)
    assert "Traceback" not in result.stderr + result.stdout
    return result.returncode, json.loads(result.stdout), result.stderr


def problems(report: dict, rule: str) -> list[dict]:
    return [p for p in report["problems"] if p["rule"] == rule]
