"""Read a spreadsheet (CSV or XLSX) as rows of text, safely: bounded in size, with every
refusal naming the sheet and the cell, and the same rules for both formats.

* A file over :data:`~causal_web.model.loading.MAX_FILE_BYTES` is refused before it is read.
* XLSX is a zip of XML files. Before openpyxl opens it, the zip's table of contents is
  checked: more than :data:`MAX_UNCOMPRESSED_BYTES` in all, or a member that expands more than
  :data:`MAX_COMPRESSION_RATIO` times (a zip bomb), is refused. Every XML member is refused
  if it declares a DTD or entities (defusedxml does the parsing).
* openpyxl's read-only mode trusts the sheet's declared size (``<dimension>``); the size is
  reset so every row is read.
* A formula cell with no saved value reads as empty; each is reported as a warning naming
  the cell, so the label does not vanish silently.
* A cell over :data:`MAX_CELL_CHARS` characters is refused, naming the cell.
* A row with no value in any column is skipped in both formats.

Limits are documented in ``docs/limits.md``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from causal_web.errors import CausalWebError
from causal_web.model.loading import MAX_FILE_BYTES
from causal_web.model.validation import ValidationReport

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COMPRESSION_RATIO",
    "MAX_UNCOMPRESSED_BYTES",
    "column_name",
    "read_sheet",
]

MAX_CELL_CHARS = 131_072
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# Members smaller than this are not judged by their ratio: tiny files compress oddly.
_RATIO_FLOOR_BYTES = 1024 * 1024
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def column_name(name: object) -> str:
    """A header cell as a column name: lower case, spaces and hyphens as underscores."""
    return "_".join(str(name).strip().lower().replace("-", " ").split())


def _letters(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    """A cell's text, trimmed, with Windows and old Mac line ends as plain newlines."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _too_long(sheet: str, cell: str, size: int) -> CausalWebError:
    return CausalWebError(
        f"{sheet}: cell {cell} holds {size:,} characters, over the {MAX_CELL_CHARS:,}-character "
        "cell limit (docs/limits.md). Shorten it; a label needs far less."
    )


def read_sheet(path: str | Path, report: ValidationReport | None = None) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as dicts of text, keyed by normalised column names.

    Raises :class:`CausalWebError` for a file that cannot or must not be read; warnings (a
    formula with no saved value) go into ``report`` when one is given.
    """
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise CausalWebError(f"{path.name}: file is over the {MAX_FILE_BYTES:,}-byte limit")
    report = report if report is not None else ValidationReport()
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _read_xlsx(path, report)
    return _read_csv(path)


def _read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CausalWebError(
            f"{path.name}: not valid UTF-8 (byte {error.start}); save the sheet as 'CSV UTF-8'"
        ) from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # The csv module's own field limit (131,072 by default) raises a bare csv.Error; lift it to
    # the file limit (a field cannot be longer than its file) and apply our cell limit below.
    if csv.field_size_limit() < MAX_FILE_BYTES:
        csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    rows: list[dict[str, str]] = []
    try:
        header = next(reader, None)
        if header is None:
            return rows
        names = [column_name(h) for h in header]
        for values in reader:
            number = reader.line_num
            for position, value in enumerate(values):
                if len(value) > MAX_CELL_CHARS:
                    column = names[position] if position < len(names) else _letters(position)
                    raise _too_long(path.name, f"{_letters(position)}{number} ({column})", len(value))
            if not any(v.strip() for v in values):
                continue  # an empty row, as XLSX rows with no value are
            rows.append({n: _text(v) for n, v in zip(names, values, strict=False) if n})
    except csv.Error as error:
        raise CausalWebError(f"{path.name}: line {reader.line_num}: not readable as CSV ({error})") from None
    return rows


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise CausalWebError(f"{path.name}: not a readable .xlsx workbook ({error})") from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise CausalWebError(
            f"{path.name}: the workbook expands to {total:,} bytes, over the "
            f"{MAX_UNCOMPRESSED_BYTES:,}-byte limit (docs/limits.md). Split it or save it as CSV."
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise CausalWebError(
                f"{path.name}: {member.filename} expands {ratio:,.0f} times "
                f"({member.compress_size:,} to {member.file_size:,} bytes), over the "
                f"{MAX_COMPRESSION_RATIO}x limit for a workbook part: refused as a possible zip bomb."
            )


def _check_xml_prologs(path: Path) -> None:
    """Refuse any XML part that declares a DTD or an entity (they come before the root)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            with archive.open(member) as stream:
                try:
                    for _event in iterparse(stream, events=("start",), forbid_dtd=True):
                        break  # the root element: any DTD would have been met by now
                except DefusedXmlException:
                    raise CausalWebError(
                        f"{path.name}: {member.filename} declares a DTD or entities, which a "
                        "workbook never needs: refused. Save the sheet again from a spreadsheet program."
                    ) from None
                except ParseError as error:
                    raise CausalWebError(
                        f"{path.name}: {member.filename} is not well-formed XML ({error})"
                    ) from None


def _open_workbook(path: Path, data_only: bool) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise CausalWebError(f"{path.name}: not a readable .xlsx workbook ({error})") from None


def _sheet_rows(path: Path, data_only: bool) -> tuple[str, list[tuple]]:
    """The first sheet's title and every row of its values, whatever size it declares."""
    from defusedxml import DefusedXmlException

    workbook = _open_workbook(path, data_only)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # do not trust <dimension>: read every row there is
        return sheet.title, list(sheet.iter_rows(values_only=True))
    except DefusedXmlException:
        raise CausalWebError(f"{path.name}: the sheet declares a DTD or entities: refused.") from None
    except CausalWebError:
        raise
    except Exception as error:  # a broken sheet part
        raise CausalWebError(f"{path.name}: the first sheet is not readable ({error})") from None
    finally:
        workbook.close()


def _read_xlsx(path: Path, report: ValidationReport) -> list[dict[str, str]]:
    _check_zip(path)
    _check_xml_prologs(path)
    title, values = _sheet_rows(path, data_only=True)
    where = f"{path.name} (sheet {title!r})"
    if not values:
        return []
    formulas: list[tuple] | None = None
    has_formulas = _has_formulas(path)
    names = [column_name(h) if h is not None else "" for h in values[0]]
    rows = []
    for number, cells in enumerate(values[1:], start=2):
        texts = []
        for position, value in enumerate(cells):
            text = "" if value is None else _text(str(value))
            if len(text) > MAX_CELL_CHARS:
                raise _too_long(where, f"{_letters(position)}{number}", len(text))
            if value is None and has_formulas:
                if formulas is None:
                    formulas = _sheet_rows(path, data_only=False)[1]
                formula = _cell(formulas, number, position)
                if isinstance(formula, str) and formula.startswith("="):
                    report.add(
                        "import.formula",
                        where,
                        f"row {number}",
                        f"{_letters(position)}{number}",
                        f"cell {_letters(position)}{number} holds the formula {formula[:60]!r} with no "
                        "saved value, so it reads as empty. Open the workbook in a spreadsheet program "
                        "and save it (or paste the values) to keep what it shows.",
                        severity="warning",
                    )
            texts.append(text)
        if not any(texts):
            continue
        rows.append({n: t for n, t in zip(names, texts, strict=False) if n})
    return rows


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet part holds a formula element, read in chunks (no XML parsing)."""
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if not member.filename.startswith("xl/worksheets/"):
                continue
            with archive.open(member) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _cell(rows: list[tuple], number: int, position: int) -> object:
    if number - 1 < len(rows) and position < len(rows[number - 1]):
        return rows[number - 1][position]
    return None
