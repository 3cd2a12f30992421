"""D10: a label such as `=cmd|' /C calc'!A0` went into CSV exports as it was, so a spreadsheet
would run it as a formula. Cells that start like a formula now get a leading quote."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import run_cli
from reliability_helpers import good_folder, replace_in

from causal_web.cells import escape_cell

HOSTILE = ["=cmd|' /C calc'!A0", '+HYPERLINK("http://127.0.0.1/")', "@SUM(1+1)", "-2+3", "\tTab", "\rReturn"]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_starts_get_a_leading_quote(value: str):
    assert escape_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Shared vision", "-1", "+0.5", "1e3", "", "'=already quoted", "a=b"])
def test_other_cells_are_left_alone(value: str):
    assert escape_cell(value) == value


def test_a_csv_export_of_a_formula_label_opens_as_text(tmp_path: Path):
    import openpyxl

    folder = good_folder(tmp_path)
    replace_in(
        folder / "cmocs.yaml", "      - label: Shared vision\n", "      - label: \"=cmd|' /C calc'!A0\"\n"
    )
    replace_in(folder / "cmocs.yaml", "      - label: Reduced conflict\n", '      - label: "@SUM(1+1)"\n')
    out = tmp_path / "web.csv"
    result = run_cli("export", "--data", str(folder), "--format", "csv", "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    quotes = [r["quote"] for r in rows]
    # the quote column is T-001's statement text, slot by slot, starting with the hostile
    # context label (escaped) or, for its mechanism -> outcome link, its hostile mechanism
    assert "'=cmd|' /C calc'!A0. Mechanism: @SUM(1+1)" in quotes, quotes
    assert "'@SUM(1+1). Outcome: Enhanced trust" in quotes, quotes
    assert not [q for q in quotes if q.startswith(("=", "+", "@"))]
    # sentiment stays numeric: -1 is a number, not a formula
    assert {r["sentiment"] for r in rows} <= {"1", "-1", "0"}
    # a spreadsheet reads a cell that starts with ' as text; openpyxl takes a cell value that
    # starts with = as a formula: the escaped cells are plain strings to it
    book = openpyxl.Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8"))):
        sheet.append(row)
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "cmd|" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)
    unescaped = openpyxl.Workbook().active
    unescaped.append(["=cmd|' /C calc'!A0"])
    assert unescaped["A1"].data_type == "f"  # what the unescaped cell would have been
