"""Reading the tables of a CSV, TSV or XLSX file as a realist review wrote them.

:func:`read_tables` returns one :class:`Table` per sheet that looks like a CMOC table: its header
found among the first rows by the headers realist reviews use (title rows above it skipped),
merged cells filled across their range, formula cells read as their cached value, and rows that
hold text in their first column only taken as group headings (the ``section`` of the rows
below). Every problem names the sheet, the row and the column; a workbook is checked as a zip
archive (sizes, compression ratio, DTDs and entities) before openpyxl parses any of it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from causal_web.errors import CausalWebError
from causal_web.model.loading import MAX_FILE_BYTES

__all__ = ["MAX_CELL_CHARS", "SheetError", "Table", "canonical_header", "read_tables", "record_number"]

MAX_CELL_CHARS = 131_072
"""The longest cell read: a longer one is refused."""
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""The most a workbook may unpack to, all members together."""
MAX_RATIO = 200
"""The highest compression ratio of a workbook member bigger than 1 MiB."""
_HEADER_SCAN = 15
"""How many rows from the top are searched for the header."""
_HEADER_WORDS = 8
"""A first row with a cell of more words than this, and no known header, is data, not a header."""

# Header text (lower case, punctuation as spaces) -> the column the importer reads.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "cmo", "cmoc", "no", "number", "cmo id", "cmoc id", "cmo no", "cmoc no", "ref", "code"),
    "title": ("title", "cmoc title", "name", "label"),
    "section": ("section", "domain", "theme", "themes", "category", "area", "programme theory area"),
    "subsection": ("subsection", "sub section", "subtheme", "sub theme", "sub domain", "subdomain"),
    "intervention": ("intervention", "interventions", "strategy", "strategies", "intervention strategy", "i"),
    "context": ("context", "contexts", "context c", "c"),
    "actor": ("actor", "actors", "actor s", "a"),
    "mechanism": ("mechanism", "mechanisms", "mechanism s", "mechanism m", "m"),
    "mechanism_resource": (
        "mechanism resource",
        "mechanism resources",
        "resource",
        "resources",
        "m resource",
        "mechanism m resource",
        "mechanism resource m",
    ),
    "mechanism_response": (
        "mechanism response",
        "mechanism responses",
        "response",
        "reasoning",
        "m response",
        "mechanism reasoning",
        "mechanism m response",
        "mechanism response m",
        "reasoning response",
    ),
    "outcome": ("outcome", "outcomes", "outcome s", "outcome o", "o"),
    "statement": (
        "statement",
        "context mechanism outcome configuration",
        "context mechanism outcome configurations",
        "cmo configuration",
        "cmoc statement",
        "configuration",
        "if then statement",
        "programme theory",
        "refined programme theory",
        "cmoc description",
        "context mechanism outcome",
    ),
    "sources": (
        "source",
        "sources",
        "source s",
        "references",
        "reference",
        "studies",
        "supporting evidence",
        "supporting studies",
        "included studies",
        "contributing studies",
        "evidence",
        "citations",
    ),
    "quote": (
        "quote",
        "quotes",
        "excerpt",
        "excerpts",
        "supporting quote",
        "supporting quotes",
        "illustrative quote",
        "illustrative quotes",
    ),
    "notes": ("notes", "note", "comments", "comment"),
    "flags": ("flags", "record flags"),
    "ioc_types": ("ioc type", "ioc types", "ioc type s"),
}
_SLOT_OR_STATEMENT = {
    "context",
    "mechanism",
    "mechanism_resource",
    "mechanism_response",
    "outcome",
    "intervention",
    "statement",
}
_HEADER_INDEX = {text: column for column, texts in _SYNONYMS.items() for text in texts}
_OWN_COLUMNS = ("phase", "kind", "status", "table", "row", "ioc_types")


class SheetError(CausalWebError):
    """A problem with a sheet, naming the sheet, the row and the column."""

    def __init__(self, sheet: str, row: int | str, column: str, message: str) -> None:
        where = (
            f"sheet {sheet!r}"
            + (f", row {row}" if row != "" else "")
            + (f", column {column}" if column else "")
        )
        super().__init__(f"{where}: {message}")
        self.sheet, self.row, self.column = sheet, row, column


@dataclass(slots=True)
class Table:
    """One sheet's rows under its header."""

    sheet: str
    headers: list[str]
    """The header cells as written (blank ones as '')."""
    header_row: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    """(row number in the sheet, 1-based; the cells under the header) of every data row."""
    sections: dict[int, str] = field(default_factory=dict)
    """The group heading above each data row that has one."""
    record_headings: dict[int, str] = field(default_factory=dict)
    """A heading such as "CMOc 1: Title" with exactly one data row under it: that row's ID and title."""
    quotes: dict[int, str] = field(default_factory=dict)
    """A quotation written across the row under a data row: that row's supporting quote."""
    warnings: list[str] = field(default_factory=list)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).lower().replace("–", " ").replace("—", " ")).split())


def _singular(words: str) -> str:
    """ "programme theories" -> "programme theory", "cmocs" -> "cmoc": each word's plural ending off."""
    out = []
    for word in words.split():
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return " ".join(out)


def canonical_header(text: str) -> str | None:
    """The importer's column for a header cell, or None when it is not one realist reviews use."""
    words = _words(text)
    if words in _HEADER_INDEX:
        return _HEADER_INDEX[words]
    if _singular(words) in _HEADER_INDEX:
        return _HEADER_INDEX[_singular(words)]
    # "Project interventions", "Key contexts": a slot's name after a qualifier word
    last = _singular(words).rpartition(" ")[2]
    if (
        len(words.split()) == 2
        and _HEADER_INDEX.get(last) in _SLOT_OR_STATEMENT - {"statement"}
        and len(last) > 1
    ):
        return _HEADER_INDEX[last]
    # "Area and sources": the references, with what they are grouped by
    if " and " in words and _HEADER_INDEX.get(words.rpartition(" and ")[2]) == "sources":
        return "sources"
    # "CMOc Subsection", "No. Title": the record's number with its name in one cell
    first, _sep, rest = words.partition(" ")
    if _HEADER_INDEX.get(first) == "id" and _HEADER_INDEX.get(rest) in {"title", "section", "subsection"}:
        return "id"
    underscored = words.replace(" ", "_")
    if underscored in _OWN_COLUMNS or underscored in _SYNONYMS:
        return underscored
    for slot in (
        "intervention",
        "context",
        "actor",
        "mechanism",
        "mechanism_resource",
        "mechanism_response",
        "outcome",
    ):
        for suffix in ("concept", "polarity"):
            if underscored == f"{slot}_{suffix}":
                return underscored
    return None


def _header_score(cells: list[str]) -> int:
    found = [canonical_header(c) for c in cells if c.strip()]
    known = [c for c in found if c]
    return len(known) + 2 * bool(_SLOT_OR_STATEMENT & set(known)) if known else 0


def _find_header(grid: list[list[str]], forced: bool) -> int | None:
    best, best_score = None, 0
    for index, cells in enumerate(grid[:_HEADER_SCAN]):
        score = _header_score(cells)
        if score > best_score:
            best, best_score = index, score
    if best is None or best_score < 3:  # one slot-like header and nothing else
        if best is not None and forced and best_score:
            return best
        return None if not forced else (best if best is not None else 0)
    return best


def _table_from_grid(sheet: str, grid: list[list[str]], forced: bool, warnings: list[str]) -> Table | None:
    for number, cells in enumerate(grid, start=1):
        for column, cell in enumerate(cells, start=1):
            if len(cell) > MAX_CELL_CHARS:
                raise SheetError(
                    sheet,
                    number,
                    str(column),
                    f"the cell has {len(cell):,} characters; the "
                    f"limit is {MAX_CELL_CHARS:,}. Split it or shorten it.",
                )
    header = _find_header(grid, forced)
    if header is None:
        return None
    headers = [c.strip() for c in grid[header]]
    if not _header_score(headers) and any(len(c.split()) > _HEADER_WORDS for c in headers):
        # no header at all: the first row is data (a sentence is never a header); columns are
        # then named by number with --map
        width = max(len(cells) for cells in grid[:_HEADER_SCAN])
        headers, header = [""] * width, -1
    table = Table(sheet, headers, header + 1, warnings=warnings)
    width = len(headers)
    section = ""
    heading_rows: list[list[int]] = []  # the data rows under each heading, in order
    after_heading = False
    first_is_id = bool(headers) and canonical_header(headers[0]) == "id"
    for number, cells in enumerate(grid[header + 1 :], start=header + 2):
        cells = [c.strip() for c in cells] + [""] * max(0, width - len(cells))
        filled = [i for i, c in enumerate(cells) if c]
        if not filled:
            continue
        # an ID alone in an ID column is a data row (refused later for its empty slots)
        id_like = (
            first_is_id
            and re.fullmatch(r"[A-Za-z0-9._-]{1,20}", cells[0])
            and (any(ch.isdigit() for ch in cells[0]) or len(cells[0]) <= 3)
        )
        if filled == [0] and width > 1 and table.rows and not after_heading and _quotation(cells[0]):
            previous = table.rows[-1][0]
            table.quotes[previous] = "\n".join(q for q in (table.quotes.get(previous), cells[0]) if q)
            continue
        heading = (
            (filled == [0] and width > 1 and not id_like)
            or (len(set(cells[:width])) == 1 and width > 1)  # a heading merged across the whole row
            # in a one-column table, "CMOc 1: Title" above a sentence is that sentence's heading
            or (width == 1 and _record_heading(cells[0]) and not first_is_id)
        )
        if heading:
            # headings one under another nest: "Programme theory 1 / Its description"
            section = f"{section} / {cells[0]}" if after_heading and section else cells[0]
            if not after_heading:
                heading_rows.append([])
            after_heading = True
            continue
        after_heading = False
        table.rows.append((number, cells[:width] + cells[width:]))
        if section:
            table.sections[number] = section
            heading_rows[-1].append(number)
    for under in heading_rows:
        if len(under) == 1 and _record_heading(table.sections[under[0]]):
            table.record_headings[under[0]] = table.sections.pop(under[0])
    return table


def _quotation(text: str) -> bool:
    """Whether a row's only cell is a quotation (an interviewee's words), not a heading: it opens
    with a quotation mark, or closes one and names its speaker after it."""
    text = text.strip()
    return (text[:1] in '"“‘' and len(text.split()) > 3) or bool(re.search(r"[”\"]\s*\S{0,30}$", text))


def _record_heading(text: str) -> bool:
    """Whether a heading names one record: "CMOc 1: The influence of ...", "CMO2. Title" (but
    not "Theme 1: Trust", which is a section however many rows it has)."""
    from causal_web.sheets.cells import id_and_title

    ident, title = id_and_title(text)
    return bool(title) and record_number(ident)


def record_number(ident: str) -> bool:
    """Whether ``ident`` is a configuration's own number (CMO1, CMOc 2, ICAMO 3, CIAMO 4, ...),
    not "Theme 1" or "Part 2"."""
    return bool(re.fullmatch(r"[A-Za-z]*[Mm][Oo][A-Za-z]*\.?[-_ ]?\d+[a-z]?", ident))


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SheetError(
            path.stem, "", "", f"not valid UTF-8 (byte {error.start}); save it as 'CSV UTF-8'"
        ) from None


def _read_delimited(path: Path) -> list[list[str]]:
    text = _decode(path, path.read_bytes())
    if "\x00" in text:
        raise SheetError(path.stem, "", "", "the file holds NUL bytes: it is not a text table")
    delimiter = ","
    if path.suffix.lower() in {".tsv", ".tab"}:
        delimiter = "\t"
    else:
        first = text.split("\n", 1)[0]
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        if counts[","] == 0 and max(counts.values()) > 0:
            delimiter = max(counts, key=lambda d: counts[d])
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    try:
        return [row for row in reader]
    except csv.Error as error:
        raise SheetError(path.stem, reader.line_num, "", f"not a readable table ({error})") from None


def _check_workbook_archive(path: Path) -> None:
    """Refuse a workbook that is not a sound zip, unpacks too far, or declares a DTD or entity."""
    sheet = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise SheetError(sheet, "", "", f"not a readable .xlsx workbook ({error})") from None
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            if total > MAX_UNPACKED_BYTES:
                raise SheetError(
                    sheet, "", "", f"the workbook unpacks to over {MAX_UNPACKED_BYTES:,} bytes (a zip bomb?)"
                )
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise SheetError(
                    sheet, "", "", f"member {info.filename} is compressed over {MAX_RATIO} to 1 (a zip bomb?)"
                )
            read = 0
            head = b""
            try:
                with archive.open(info) as member:
                    while chunk := member.read(1024 * 1024):
                        if len(head) < 4096:
                            head += chunk[:4096]
                        read += len(chunk)
                        if read > info.file_size:
                            break
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
                raise SheetError(
                    sheet,
                    "",
                    "",
                    f"member {info.filename} does not unpack to its declared "
                    f"size of {info.file_size:,} bytes ({error})",
                ) from None
            except Exception as error:  # zlib.error and the like from a damaged member
                raise SheetError(sheet, "", "", f"member {info.filename} is damaged ({error})") from None
            if read != info.file_size:
                raise SheetError(
                    sheet,
                    "",
                    "",
                    f"member {info.filename}: its declared size is wrong ({info.file_size:,} bytes declared, "
                    f"{read:,} held)",
                )
            if info.filename.endswith((".xml", ".rels", ".vml")) and re.search(rb"<!(DOCTYPE|ENTITY)", head):
                raise SheetError(
                    sheet,
                    "",
                    "",
                    f"member {info.filename} declares a DTD or an entity; workbooks with DTDs are not read",
                )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return, attr-defined]
    return str(value)


def _read_workbook(path: Path) -> list[tuple[str, list[list[str]], list[str]]]:
    _check_workbook_archive(path)
    from openpyxl import load_workbook

    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise SheetError(path.name, "", "", f"not a readable .xlsx workbook ({error})") from None
    sheets = []
    for ws in values.worksheets:
        warnings: list[str] = []
        grid = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        formula_ws = formulas[ws.title]
        for row in formula_ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                    r, c = cell.row - 1, cell.column - 1
                    if r < len(grid) and c < len(grid[r]) and grid[r][c] == "":
                        warnings.append(
                            f"sheet {ws.title!r}, row {cell.row}, column {cell.column_letter}: "
                            "a formula cell without a cached value is read as empty; open and "
                            "save the workbook in a spreadsheet program to compute it"
                        )
        for merged in ws.merged_cells.ranges:
            top = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(grid) else ""
            for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                for c in range(merged.min_col - 1, merged.max_col):
                    while len(grid[r]) <= c:
                        grid[r].append("")
                    grid[r][c] = top
        sheets.append((ws.title, grid, warnings))
    return sheets


def read_tables(path: Path, sheet: str | None = None) -> list[Table]:
    """The CMOC tables of a CSV, TSV or XLSX file.

    ``sheet`` (a workbook's sheet name or 1-based number) picks one sheet, whose header is then
    its best header row even when it names few realist columns. Without it every sheet that
    looks like a CMOC table is read. A CSV's sheet name is the file's stem.
    """
    path = Path(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SheetError(path.name, "", "", f"the file is over the {MAX_FILE_BYTES:,}-byte limit")
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        sheets = _read_workbook(path)
    else:
        sheets = [(path.stem, _read_delimited(path), [])]
    if sheet is not None:
        names = [name for name, _grid, _w in sheets]
        if sheet.isdigit() and sheet not in names:
            number = int(sheet)
            if not 1 <= number <= len(sheets):
                raise SheetError(path.name, "", "", f"there is no sheet {number}; it has {len(sheets)}")
            chosen = [sheets[number - 1]]
        elif sheet in names:
            chosen = [sheets[names.index(sheet)]]
        else:
            raise SheetError(path.name, "", "", f"no sheet named {sheet!r}; sheets: {', '.join(names)}")
        name, grid, warnings = chosen[0]
        table = _table_from_grid(name, grid, True, warnings)
        return [table] if table else []
    tables = []
    for name, grid, warnings in sheets:
        table = _table_from_grid(name, grid, len(sheets) == 1, warnings)
        if table is not None and (table.rows or len(sheets) == 1):
            tables.append(table)
    return tables
