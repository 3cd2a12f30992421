"""Malformed sheets are refused: the message names the sheet, the row and the column; the exit code is
non-zero; there is no traceback; and the data folder is left byte-identical."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_cli

openpyxl = pytest.importorskip("openpyxl")


def _book(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "CMOCs"
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


_GOOD = [
    ["id", "context", "mechanism", "outcome"],
    ["A1", "Shared vision", "Reduced conflict", "Enhanced trust"],
]


def _rewrite(path: Path, change: Callable[[str, bytes], bytes]) -> Path:
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info.filename, change(info.filename, data))
    path.write_bytes(buffer.getvalue())
    return path


def _dtd(path: Path) -> Path:
    def change(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return b'<!DOCTYPE w [<!ENTITY e "boom">]>' + data
        return data

    return _rewrite(_book(path, _GOOD), change)


def _bomb(path: Path) -> Path:
    _book(path, _GOOD)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (8 * 1024 * 1024))  # 8 MiB of zeros, ~8 KiB packed
    return path


def _wrong_size(path: Path) -> Path:
    """A workbook whose central directory declares the wrong uncompressed size of its sheet."""
    _book(path, _GOOD)
    raw = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    start = raw.rfind(b"PK\x01\x02", 0, raw.rfind(name))  # the sheet's central directory entry
    (size,) = struct.unpack_from("<I", raw, start + 24)
    struct.pack_into("<I", raw, start + 24, size + 17)
    path.write_bytes(bytes(raw))
    return path


def _text(content: str, name: str = "bad.csv") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_text(content, encoding="utf-8")
        return path

    return make


def _xlsx(maker: Callable[[Path], Path]) -> Callable[[Path], Path]:
    return lambda folder: maker(folder / "bad.xlsx")


# (how to make the sheet, the text the refusal must hold: sheet, row and column)
CASES = {
    "missing slot column": (
        _text("id,title,phase\nA1,Trust,review\n"),
        ("sheet 'bad'", "row 1", "column context/mechanism/outcome", "--map"),
    ),
    "cell over 131,072 characters": (
        _text("id,context,outcome\nA1," + "x" * 131_073 + ",Enhanced trust\n"),
        ("sheet 'bad'", "row 2", "column 2", "131,072"),
    ),
    "xlsx with a DTD and an entity": (_xlsx(_dtd), ("sheet 'bad.xlsx'", "sheet1.xml", "DTD")),
    "zip bomb": (_xlsx(_bomb), ("sheet 'bad.xlsx'", "zip bomb")),
    "declared size is wrong": (
        _xlsx(_wrong_size),
        ("sheet 'bad.xlsx'", "sheet1.xml", "declared size is wrong"),
    ),
    "not a zip at all": (_text("this is not a workbook", "bad.xlsx"), ("sheet 'bad.xlsx'", "not a readable")),
    "empty ID": (
        _text("id,context,mechanism,outcome\n,Shared vision,Conflict,Trust\n"),
        ("[row 2] id", "(row 2)"),
    ),
    "duplicate ID": (_text("id,context,outcome\nA,x,y\nA,x,y\n"), ("[A] id", "also on row 2", "(row 3)")),
    "bad status": (_text("id,context,outcome,status\nA,x,y,maybe\n"), ("[A] status", "(row 2)")),
    "polarity count": (
        _text("id,context,outcome,outcome_polarity\nA,x,y ; w,up\n"),
        ("[A] outcome_polarity", "(row 2)"),
    ),
    "bad polarity word": (
        _text("id,context,outcome,outcome_polarity\nA,x,y,upwards\n"),
        ("[A] outcome_polarity",),
    ),
    "no slot in a row": (
        _text("id,context,mechanism,outcome\nA,,,\n"),
        ("[A] context/mechanism/outcome", "(row 2)"),
    ),
    "unreadable concept override": (
        _text("id,context,outcome,context_concept\nA,Trust,Trust,!!\n"),
        ("[A] context_concept",),
    ),
    "ID that is a sentence": (
        _text("id,context,outcome\nThe first configuration of the table,x,y\n"),
        ("sheet 'bad'", "row 2", "column id"),
    ),
    "map to an unknown slot": (
        _text("id,context\nA,x\n"),
        ("sheet 'bad'", "row 1", "column context", "wish"),
    ),
    "map to a missing column number": (_text("id,context\nA,x\n"), ("sheet 'bad'", "row 1", "column 9")),
    "not UTF-8": (lambda folder: _latin(folder), ("sheet 'bad'", "UTF-8")),
    "no such sheet": (_xlsx(lambda p: _book(p, _GOOD)), ("sheet 'bad.xlsx'", "Summary")),
    "unknown record flag in the flags column": (
        _text("id,context,outcome,record flags\nA,x,y,split_inferred; guessed\n"),
        ("bad.csv [A] flags", "(row 2)", "'guessed' is not a record flag", "split_inferred"),
    ),
    "unknown record flag given with --flag": (
        _text("id,context,outcome\nA,x,y\n"),
        ("--flag 'guessed' is not a record flag", "split_inferred"),
    ),
    "unreadable IOC type": (
        _text("id,context,outcome,IOC type(s)\nA,x,y,mandated; !!\n"),
        ("bad.csv [A] ioc_types", "(row 2)"),
    ),
}
EXTRA = {
    "map to an unknown slot": ["--map", "context=wish"],
    "map to a missing column number": ["--map", "9=context"],
    "no such sheet": ["--sheet", "Summary"],
    "unknown record flag given with --flag": ["--flag", "split_inferred", "--flag", "guessed"],
}


def _latin(folder: Path) -> Path:
    path = folder / "bad.csv"
    path.write_bytes("id,context\nA,Confian\xe7a\n".encode("latin-1"))
    return path


def _snapshot(folder: Path) -> dict[str, str]:
    files = [p for p in sorted(folder.rglob("*")) if p.is_file()]
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.mark.parametrize("case", list(CASES))
def test_a_malformed_sheet_is_refused_and_the_folder_is_untouched(tmp_path: Path, case: str):
    maker, expected = CASES[case]
    sheet = maker(tmp_path)
    out = tmp_path / "review"
    out.mkdir()
    (out / "coding.csv").write_text("label,concept\n", encoding="utf-8")  # a folder that exists already
    (out / "cmocs.yaml").write_text("cmocs: []\n", encoding="utf-8")
    before = _snapshot(tmp_path)
    result = run_cli("import", str(sheet), "-o", str(out), "--force", *EXTRA.get(case, []))
    assert result.returncode in (1, 2), result.stdout
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, (case, text, result.stderr)
    assert _snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([sheet.name, "review"])


def test_there_are_at_least_fifteen_cases():
    assert len(CASES) >= 15
