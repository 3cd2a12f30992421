"""D6: `import` wrote a folder that `validate` then rejected (SHACL was not run on the staged
folder). The import now runs every check `validate` runs before the folder is swapped in."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, run_cli


def test_an_import_that_shacl_rejects_writes_nothing(tmp_path: Path):
    sheet = tmp_path / "s.csv"
    sheet.write_text("ID,Context\nR-1,Trust\n", encoding="utf-8")  # the audit's sheet
    out = tmp_path / "out"
    result = run_cli("import", str(sheet), "-o", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cmocs.yaml [R-1]" in result.stderr and "(shacl)" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [sheet]  # no staging folder left behind


def test_an_import_that_shacl_rejects_keeps_the_old_folder(tmp_path: Path):
    out = tmp_path / "out"
    assert run_cli("import", str(FIXTURES / "sheets" / "review-extract.csv"), "-o", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    sheet = tmp_path / "s.csv"
    sheet.write_text("ID,Context\nR-1,Trust\n", encoding="utf-8")
    result = run_cli("import", str(sheet), "-o", str(out), "--force")
    assert result.returncode == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_whatever_import_writes_validates(tmp_path: Path):
    out = tmp_path / "out"
    result = run_cli("import", str(FIXTURES / "sheets" / "review-extract.csv"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert run_cli("validate", str(out)).returncode == 0
