"""Importing a review team's extraction spreadsheet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

SHEET = FIXTURES / "sheets" / "review-extract.csv"


def test_csv_import_gives_a_valid_folder_that_traces(tmp_path: Path):
    out = tmp_path / "mine"
    result = run_cli("import", str(SHEET), "-o", str(out), "--phase", "review")
    assert result.returncode == 0, result.stderr
    assert "18 CMOCs" in result.stdout
    assert run_cli("validate", str(out)).returncode == 0
    cmocs = json.loads(run_cli("cmocs", "--data", str(out), "--mechanism", "perception-of-progress",
                               "--json").stdout)
    assert [c["id"] for c in cmocs["items"]] == [f"R21-{n:03d}" for n in range(6, 13)]
    r1 = next(c for c in json.loads(run_cli("cmocs", "--data", str(out), "--json").stdout)["items"]
              if c["id"] == "R21-001")
    assert [s["concept"] for s in r1["context"]] == ["partnership-functioning", "trust"]
    assert r1["citation"] == {"source": "aunger-2021-review", "table": "Table 3", "row": "1",
                              "section": "PARTNERSHIP PERFORMANCE / Synergy and collaborative inertia"}
    chains = json.loads(run_cli("chains", "--data", str(out), "--from", "shared-vision", "--to",
                                "task-achievement", "--json").stdout)
    assert chains["chains"][0]["concepts"] == ["shared-vision", "trust", "task-achievement"]


def test_xlsx_import(tmp_path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "context", "mechanism", "outcome", "status"])
    sheet.append(["X-1", "Shared vision", "Reduced conflict", "Enhanced trust", "new"])
    sheet.append([None, None, None, None, None])
    sheet.append(["X-2", "Legal agreements", "Greater initial trust", "Greater risk threshold", "refined"])
    path = tmp_path / "extract.xlsx"
    book.save(path)
    out = tmp_path / "from-xlsx"
    result = run_cli("import", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(run_cli("cmocs", "--data", str(out), "--mechanism", "trust", "--json").stdout)
    assert [c["id"] for c in data["items"]] == ["X-2"]  # initial trust is narrower than trust
    x2 = json.loads(run_cli("cmocs", "--data", str(out), "-q", "legal", "--json").stdout)["items"][0]
    assert x2["mechanism"][0]["concept"] == "initial-trust"  # matched in the bundled vocabulary
    assert x2["status"] == "refined"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("id,context,mechanism,outcome\n,Shared vision,Conflict,Trust\n", "[row 2] id"),
        ("id,context,mechanism,outcome\nA,x,y,z\nA,x,y,z\n", "[A] id: duplicate ID, also on row 2"),
        ("id,context,mechanism,outcome,status\nA,x,y,z,maybe\n", "[A] status"),
        ("id,context,mechanism,outcome,outcome_polarity\nA,x,y,z ; w,up\n", "[A] outcome_polarity"),
        ("id,context,mechanism,outcome\nA,,,\n", "[A] context/mechanism/outcome"),
        ("id,context\n", "no data rows"),
    ],
)
def test_bad_sheets_name_row_and_column_and_write_nothing(tmp_path: Path, content: str, expected: str):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("import", str(sheet), "-o", str(out))
    assert result.returncode == 1, result.stdout
    assert "bad.csv" in result.stderr and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["bad.csv"]


def test_non_utf8_sheet_and_existing_output(tmp_path: Path):
    sheet = tmp_path / "latin.csv"
    sheet.write_bytes("id,context\nA,Confian\xe7a\n".encode("latin-1"))
    result = run_cli("import", str(sheet), "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and "UTF-8" in result.stderr
    existing = tmp_path / "existing"
    existing.mkdir()
    result = run_cli("import", str(SHEET), "-o", str(existing))
    assert result.returncode == 2 and "--force" in result.stderr
