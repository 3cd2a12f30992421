"""The extraction sheet's layout: the empty template, and the columns an export writes.

One row per CMOC. A slot's cell holds one part per line; its ``<slot> concept`` and
``<slot> polarity`` columns hold one value per part, separated by ';' (``null`` for a part left
uncoded). :func:`write_template` writes the layout with one example row and, in a workbook, a
second sheet explaining each column.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from causal_web.errors import CausalWebError
from causal_web.model.records import SLOT_NAMES

__all__ = ["COLUMNS", "EXAMPLE", "csv_text", "header_text", "workbook_bytes", "write_rows", "write_template"]

_SLOT_HELP = {
    "intervention": "What the programme does (the strategy), one part per line.",
    "context": "The conditions the mechanism works in, as published, one part per line.",
    "actor": "Who acts or is acted on, one part per line.",
    "mechanism": "The mechanism when resource and response are not told apart, one part per line.",
    "mechanism_resource": "What the programme offers (the resource), one part per line.",
    "mechanism_response": "How people reason or respond to the resource, one part per line.",
    "outcome": "What results, as published, one part per line.",
}
COLUMNS: list[tuple[str, str]] = [
    ("id", "The record's ID (letters, digits, '.', '_', '-'). Required."),
    ("title", "A short title of the configuration."),
    ("section", "The section or theme of the table the row is in."),
    ("phase", "The phase of the synthesis (default: imported)."),
    ("status", "affirmed, refined, refuted or new, when the review says."),
    *((slot, text) for slot, text in _SLOT_HELP.items()),
    (
        "statement",
        "The whole configuration as one sentence, as published (e.g. If ... then ... because ...).",
    ),
    *(
        (
            f"{slot}_concept",
            f"The concept ID of each {slot} part, ';' between them, null to leave one uncoded.",
        )
        for slot in SLOT_NAMES
    ),
    *(
        (f"{slot}_polarity", f"increase, decrease or unspecified for each {slot} part, ';' between them.")
        for slot in SLOT_NAMES
    ),
    ("sources", "Source IDs or references as cited (Smith et al. 2019; [12, 15]), one per line or ';'."),
    ("quote", "A verbatim quote from the source supporting the configuration."),
    ("table", "The table of the source the row comes from."),
    ("row", "The row of that table."),
    (
        "ioc_types",
        "Types of inter-organisational collaboration (IDs or labels of the vocabulary's IOC types), "
        "';' between them.",
    ),
    (
        "flags",
        "Record flags, ',' or ';' between them: incomplete (a slot is missing or cut off), "
        "split_inferred (the split into columns is the curator's), configuration_inferred (the "
        "configuration is the curator's reading), ioc_types_inferred (so are its IOC types).",
    ),
    ("notes", "Anything else about the row."),
]
EXAMPLE = {
    "id": "CMO1",
    "title": "Trust from a shared vision",
    "section": "Partnership functioning",
    "phase": "review",
    "context": "Shared vision",
    "mechanism": "Reduced conflict",
    "outcome": "Enhanced trust",
    "context_concept": "shared-vision",
    "mechanism_concept": "conflict",
    "mechanism_polarity": "decrease",
    "outcome_concept": "trust",
    "outcome_polarity": "increase",
    "sources": "Smith et al. 2019",
    "table": "Table 3",
    "row": "1",
    "notes": "An example row: replace it with your first CMOC.",
}


def header_text(column: str) -> str:
    """The header written for a column: its name with spaces ("mechanism resource concept")."""
    return column.replace("_", " ")


def csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([header_text(c) for c, _help in COLUMNS])
    for row in rows:
        writer.writerow([row.get(c, "") for c, _help in COLUMNS])
    return buffer.getvalue()


def workbook_bytes(rows: list[dict[str, str]], explain: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "CMOCs"
    sheet.append([header_text(c) for c, _help in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(c, "") or None for c, _help in COLUMNS])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    if explain:
        guide = book.create_sheet("Columns")
        guide.append(["Column", "What it holds"])
        for cell in guide[1]:
            cell.font = Font(bold=True)
        for column, text in COLUMNS:
            guide.append([header_text(column), text])
        guide.column_dimensions["A"].width = 32
        guide.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_rows(path: Path, rows: list[dict[str, str]], explain: bool = True) -> Path:
    """Write ``rows`` in the layout to ``path`` (.xlsx or .csv), through a temporary file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = csv_text(rows).encode("utf-8")
    elif suffix in {".xlsx", ".xlsm"}:
        data = workbook_bytes(rows, explain)
    else:
        raise CausalWebError(f"{path.name}: write a .xlsx or a .csv file")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def write_template(path: Path) -> Path:
    """The empty extraction sheet with one example row (and the explaining sheet in a workbook)."""
    return write_rows(path, [EXAMPLE])
