"""D5: tracebacks from `import` (an oversized CSV field, an XLSX with a DTD or an entity) and
from `validate` and `serve` on a corrupt ontology. Each is now a clear message and a non-zero
exit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from sheet_builders import rewrite_member, write_csv, write_xlsx

from causal_web.sheets.reading import MAX_CELL_CHARS

SHEET_XML = "xl/worksheets/sheet1.xml"


def _no_traceback(result: subprocess.CompletedProcess) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return output


def test_a_csv_field_over_the_cell_limit_is_refused_naming_the_cell(tmp_path: Path):
    sheet = write_csv(tmp_path / "big.csv", [["R-1", "x" * (MAX_CELL_CHARS + 1), "Trust", "Faith"]])
    result = run_cli("import", str(sheet), "-o", str(tmp_path / "out"))
    output = _no_traceback(result)
    assert result.returncode == 2
    assert f"sheet 'big', row 2, column 2: the cell has {MAX_CELL_CHARS + 1:,} characters" in output
    assert not (tmp_path / "out").exists()


def test_a_csv_field_between_the_csv_module_limit_and_ours_is_read(tmp_path: Path):
    # 131,072 is also the csv module's default limit, which raised a bare csv.Error; a cell at
    # the limit is read, and then refused by the label limit of validation, with a message
    sheet = write_csv(tmp_path / "edge.csv", [["R-1", "x" * MAX_CELL_CHARS, "Trust", "Faith"]])
    result = run_cli("import", str(sheet), "-o", str(tmp_path / "out"))
    output = _no_traceback(result)
    assert result.returncode == 1
    assert "text.too-long" in output


def _entity_sheet(tmp_path: Path) -> Path:
    path = write_xlsx(tmp_path / "entity.xlsx", [["R-1", "Shared vision", "Trust", "Performance"]])

    def add_entity(xml: bytes) -> bytes:
        doctype = b'<!DOCTYPE worksheet [<!ENTITY boom "Shared vision">]>'
        if xml.startswith(b"<?xml"):
            head, _, rest = xml.partition(b"?>")
            xml = head + b"?>" + doctype + rest
        else:
            xml = doctype + xml
        return xml.replace(b"Shared vision", b"&boom;")

    return rewrite_member(path, SHEET_XML, add_entity)


def test_an_xlsx_with_a_dtd_and_entity_is_refused(tmp_path: Path):
    result = run_cli("import", str(_entity_sheet(tmp_path)), "-o", str(tmp_path / "out"))
    output = _no_traceback(result)
    assert result.returncode == 2
    assert f"'entity.xlsx': member {SHEET_XML} declares a DTD or an entity" in output
    assert not (tmp_path / "out").exists()


def test_openpyxl_parses_with_defusedxml():
    import openpyxl.xml

    # openpyxl uses defusedxml when it is installed: it is a dependency of causal-web
    assert openpyxl.xml.DEFUSEDXML is True


def _broken_ontology(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", folder)
    with (folder / name).open("a", encoding="utf-8") as out:
        out.write("\nthis is { not turtle\n")
    return folder


@pytest.mark.parametrize("name", ["causal-web.ttl", "shapes.ttl"])
def test_validate_with_a_corrupt_ontology_gives_a_message(tmp_path: Path, name: str):
    env = {**os.environ, "CAUSAL_WEB_ONTOLOGY_DIR": str(_broken_ontology(tmp_path, name))}
    result = subprocess.run(
        [sys.executable, "-m", "causal_web", "validate"], capture_output=True, text=True, env=env, timeout=120
    )
    output = _no_traceback(result)
    assert result.returncode == 2
    assert f"{name}: the ontology file is not valid Turtle" in output


def test_serve_with_a_corrupt_ontology_exits_with_a_message(tmp_path: Path):
    env = {**os.environ, "CAUSAL_WEB_ONTOLOGY_DIR": str(_broken_ontology(tmp_path, "causal-web.ttl"))}
    result = subprocess.run(
        [sys.executable, "-m", "causal_web", "serve", "--port", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    output = _no_traceback(result)
    assert result.returncode == 2
    assert "causal-web.ttl: the ontology file is not valid Turtle" in output


def test_an_unexpected_error_is_a_message_not_a_traceback(tmp_path: Path):
    # a folder path that is a file: every command must still answer in words
    path = tmp_path / "a-file"
    path.write_text("not a folder\n", encoding="utf-8")
    for args in (["validate", str(path)], ["stats", "--data", str(path)], ["lint", "--data", str(path)]):
        result = run_cli(*args)
        _no_traceback(result)
        assert result.returncode != 0
