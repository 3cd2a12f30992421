"""Spreadsheets for the reliability tests, built here (no binary fixtures in the repo)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

HEADER = ["id", "context", "mechanism", "outcome"]


def write_xlsx(path: Path, rows: list[list], header: list[str] = HEADER) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of a workbook's zip, keeping the others as they are."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[member] = change(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
