"""D8 and D9c: spreadsheet reading lost data silently (a workbook's declared size was trusted,
formula cells without a saved value read as empty, empty CSV rows were errors while empty
XLSX rows were skipped) and a zip bomb was read in full. Each is now handled, and a refusal
names the sheet and the cell."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli
from sheet_builders import rewrite_member, write_csv, write_xlsx

from causal_web.errors import CausalWebError
from causal_web.model.validation import ValidationReport
from causal_web.sheets import reading
from causal_web.sheets.reading import MAX_CELL_CHARS, read_sheet

SHEET_XML = "xl/worksheets/sheet1.xml"


def _row(n: int) -> list[str]:
    return [f"X-{n:03d}", "Shared vision", "Reduced conflict", "Enhanced trust"]


def _ids(folder: Path) -> list[str]:
    result = run_cli("cmocs", "--data", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    return [c["id"] for c in json.loads(result.stdout)["items"]]


def test_a_workbook_that_declares_fewer_rows_than_it_holds_is_read_in_full(tmp_path: Path):
    path = write_xlsx(tmp_path / "dims.xlsx", [_row(n) for n in range(1, 31)])

    def shrink(xml: bytes) -> bytes:
        changed, count = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:D3"', xml)
        assert count == 1
        return changed

    rewrite_member(path, SHEET_XML, shrink)
    rows = read_sheet(path)
    assert [r["id"] for r in rows] == [f"X-{n:03d}" for n in range(1, 31)]
    out = tmp_path / "out"
    result = run_cli("import", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "30 CMOCs" in result.stdout


def test_a_formula_without_a_saved_value_is_a_warning_naming_the_cell(tmp_path: Path):
    # openpyxl saves formulas without cached values, as a script-made workbook would
    path = write_xlsx(
        tmp_path / "formula.xlsx",
        [_row(1), ["X-002", '=CONCAT("Shared", " vision")', "Reduced conflict", "Enhanced trust"]],
    )
    report = ValidationReport()
    rows = read_sheet(path, report)
    assert rows[1]["context"] == ""
    [warning] = report.problems
    assert (warning.severity, warning.field) == ("warning", "B3")
    assert "CONCAT" in warning.message and "no saved value" in warning.message
    result = run_cli("import", str(path), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "row 3, column B" in result.stderr and "formula" in result.stderr


def test_a_formula_with_a_saved_value_reads_as_its_value(tmp_path: Path):
    path = write_xlsx(tmp_path / "cached.xlsx", [_row(1)])

    def add_formula(xml: bytes) -> bytes:
        # B2 becomes a formula whose cached value is the label, as Excel saves it
        changed, count = re.subn(
            rb'<c r="B2"[^>]*>.*?</c>',
            b'<c r="B2" t="str"><f>"Shared"&amp;" vision"</f><v>Shared vision</v></c>',
            xml,
        )
        assert count == 1
        return changed

    rewrite_member(path, SHEET_XML, add_formula)
    report = ValidationReport()
    assert read_sheet(path, report)[0]["context"] == "Shared vision"
    assert report.problems == []


def test_empty_rows_are_skipped_alike_in_csv_and_xlsx(tmp_path: Path):
    rows = [_row(1), ["", "", "", ""], _row(2)]
    csv_path = write_csv(tmp_path / "empty.csv", rows)
    assert ",,," in csv_path.read_text()
    xlsx_path = write_xlsx(tmp_path / "empty.xlsx", [_row(1), [None, None, None, None], _row(2)])
    assert read_sheet(csv_path) == read_sheet(xlsx_path)
    for path in (csv_path, xlsx_path):
        out = tmp_path / f"out-{path.suffix[1:]}"
        result = run_cli("import", str(path), "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert _ids(out) == ["X-001", "X-002"]


def test_a_row_with_values_but_no_id_is_still_an_error(tmp_path: Path):
    path = write_csv(tmp_path / "noid.csv", [_row(1), ["", "Shared vision", "", ""]])
    result = run_cli("import", str(path), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "[row 3] id" in result.stderr


def test_an_xlsx_cell_over_the_limit_is_refused_naming_sheet_and_cell(tmp_path: Path):
    # openpyxl writes at most Excel's 32,767 characters in a cell; other writers do not stop
    # there, so the long cell is written into the sheet's XML directly, as an inline string
    path = write_xlsx(tmp_path / "long.xlsx", [_row(1), ["X-002", "Trust", "short", "Faith"]])
    long_cell = b'<c r="C3" t="inlineStr"><is><t>' + b"y" * (MAX_CELL_CHARS + 5) + b"</t></is></c>"

    def lengthen(xml: bytes) -> bytes:
        changed, count = re.subn(rb'<c r="C3"[^>]*>.*?</c>', long_cell, xml)
        assert count == 1
        return changed

    rewrite_member(path, SHEET_XML, lengthen)
    result = run_cli("import", str(path), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"sheet 'Sheet', row 3, column 3: the cell has {MAX_CELL_CHARS + 5:,} characters" in result.stderr


def test_a_zip_bomb_is_refused_by_its_ratio_before_openpyxl_reads_it(tmp_path: Path, monkeypatch):
    path = write_xlsx(tmp_path / "bomb.xlsx", [_row(1)])
    # 64 MB of whitespace inside the sheet compresses to well under 1 MB
    rewrite_member(
        path, SHEET_XML, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (64 << 20))
    )
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET_XML)
    assert info.file_size / info.compress_size > 200

    def no_openpyxl(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr(reading, "_open_workbook", no_openpyxl)
    with pytest.raises(
        CausalWebError, match=r"bomb.xlsx: xl/worksheets/sheet1.xml expands .* possible zip bomb"
    ):
        read_sheet(path)


def test_a_workbook_over_the_uncompressed_limit_is_refused(tmp_path: Path, monkeypatch):
    path = write_xlsx(tmp_path / "big.xlsx", [_row(n) for n in range(1, 50)])
    with zipfile.ZipFile(path) as archive:
        total = sum(i.file_size for i in archive.infolist())
    monkeypatch.setattr(reading, "MAX_UNCOMPRESSED_BYTES", total - 1)
    with pytest.raises(CausalWebError, match=rf"big.xlsx: the workbook expands to {total:,} bytes"):
        read_sheet(path)
    monkeypatch.setattr(reading, "MAX_UNCOMPRESSED_BYTES", total)
    assert len(read_sheet(path)) == 49


def test_a_file_that_is_not_a_zip_is_refused_cleanly(tmp_path: Path):
    path = tmp_path / "fake.xlsx"
    path.write_text("id,context\n", encoding="utf-8")
    result = run_cli("import", str(path), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "'fake.xlsx': not a readable .xlsx workbook" in result.stderr


def test_a_multi_line_cell_with_windows_line_ends_reads_with_plain_newlines(tmp_path: Path):
    path = tmp_path / "crlf.csv"
    path.write_bytes(
        b'id,context,mechanism,outcome\r\nX-1,"Shared\r\nvision",Reduced conflict,Enhanced trust\r\n'
    )
    assert read_sheet(path)[0]["context"] == "Shared\nvision"
    result = run_cli("import", str(path), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
