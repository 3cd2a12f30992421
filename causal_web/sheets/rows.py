"""From a table's cells to the importer's rows: columns mapped to slots, IDs, sections, parts.

A :class:`SheetRow` holds, for one data row, the parts of each slot (as published, already split
and sorted into slots by their inline tags), the statement, title, section, references, quote,
the notes made from unmapped columns, and any override columns (``<slot>_concept``, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from causal_web.model.records import SLOT_NAMES
from causal_web.sheets.cells import (
    _split_semicolons,
    id_and_title,
    if_then,
    leading_slot,
    resource_response,
    split_parts,
    tagged_parts,
)
from causal_web.sheets.tables import SheetError, Table, _words, canonical_header, record_number

__all__ = ["ColumnMap", "SheetRow", "map_columns", "sheet_rows"]

_SLOTS = set(SLOT_NAMES)
_CONNECTIVE = re.compile(r"^(?:however|also|and|but|so|thus|conversely)[,]?\s+(?=if\b)", re.I)
_TAG_AT_END = re.compile(r"\s*\((?:C|M|O|I|A)\)\s*[.,;]?\s*$")
_VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


@dataclass(slots=True)
class ColumnMap:
    """Which column of a table is read as what."""

    columns: dict[int, str]
    """0-based column -> the importer's column name."""
    unmapped: list[int]
    """Columns kept as notes."""


@dataclass(slots=True)
class SheetRow:
    """One data row, read."""

    sheet: str
    number: int
    id: str
    parts: dict[str, list[str]] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    """The cell of every mapped column that is not a slot (joined when two map to one)."""
    title: str = ""
    statement: str = ""
    section: str = ""
    notes: list[str] = field(default_factory=list)
    empty_slots: list[str] = field(default_factory=list)
    """Slot columns of the table left empty in this row."""


def map_columns(table: Table, overrides: list[str]) -> ColumnMap:
    """The table's columns, from its headers and ``--map HEADER=SLOT`` overrides."""
    columns: dict[int, str] = {}
    for index, header in enumerate(table.headers):
        found = canonical_header(header) if header else None
        if found:
            columns[index] = found
    columns.update(_spanning_slots(table.headers))
    for entry in overrides:
        header, sep, slot = entry.partition("=")
        header, slot = header.strip(), slot.strip().lower().replace("-", "_").replace(" ", "_")
        if not sep or not header or not slot:
            raise SheetError(table.sheet, table.header_row, header, f"--map {entry!r}: write HEADER=SLOT")
        known = {
            *_SLOTS,
            "id",
            "title",
            "section",
            "subsection",
            "statement",
            "sources",
            "quote",
            "notes",
            "phase",
            "kind",
            "status",
            "table",
            "row",
            "ioc_types",
            "flags",
        }
        if slot not in known and not re.fullmatch(r"[a-z_]+_(concept|polarity)", slot):
            raise SheetError(
                table.sheet,
                table.header_row,
                header,
                f"--map {entry!r}: {slot!r} is not a column the importer reads; "
                f"use one of {', '.join(sorted(known))}",
            )
        if header.isdigit():
            index = int(header) - 1
            if not 0 <= index < len(table.headers):
                raise SheetError(
                    table.sheet,
                    table.header_row,
                    header,
                    f"--map {entry!r}: the table has {len(table.headers)} columns",
                )
        else:
            matches = [i for i, h in enumerate(table.headers) if _words(h) == _words(header)]
            if not matches:
                raise SheetError(
                    table.sheet,
                    table.header_row,
                    header,
                    f"--map {entry!r}: no header reads {header!r}; headers: "
                    + ", ".join(repr(h) for h in table.headers),
                )
            index = matches[0]
        columns[index] = slot
    if not _SLOTS & set(columns.values()) and "statement" not in columns.values():
        raise SheetError(
            table.sheet,
            table.header_row,
            "context/mechanism/outcome",
            "no column reads as a slot (context, mechanism, outcome, ...) or a statement; "
            "headers: " + ", ".join(repr(h) for h in table.headers) + ". Name one with --map HEADER=SLOT",
        )
    unmapped = [i for i, h in enumerate(table.headers) if i not in columns]
    return ColumnMap(columns, unmapped)


def _spanning_slots(headers: list[str]) -> dict[int, str]:
    """Slots of a header spanning the blank headers after it: "Context + Mechanism = Outcome"
    over three columns names them context, mechanism and outcome in turn."""
    spread: dict[int, str] = {}
    for index, header in enumerate(headers):
        pieces = re.split(r"\s*[+=→/&,]\s*(?:and\s+)?|\s+and\s+", header)
        names = [canonical_header(p) for p in pieces if p.strip()]
        if len(names) < 2 or not all(n in _SLOTS for n in names):
            continue
        following = headers[index + 1 : index + len(names)]
        if len(following) == len(names) - 1 and not any(h.strip() for h in following):
            spread.update({index + k: name for k, name in enumerate(names) if name})
        elif canonical_header(header) is None:
            # "Actor, mechanism, and outcome" over one column: its cells tag each part
            spread[index] = names[0]
    return spread


def _add(row: SheetRow, slot: str, piece: str) -> None:
    row.parts.setdefault(slot, []).append(piece)


def _read_slot(row: SheetRow, slot: str, cell: str, sentences: bool, literal: bool = False) -> None:
    if literal:  # the layout of causal-web's own sheet: one part per line, coded in its own column
        lines = cell.replace("\r\n", "\n").split("\n")
        for line in lines if len(lines) > 1 else _split_semicolons(cell):
            if line.strip():
                _add(row, slot, line.strip())
        return
    for piece in split_parts(cell, sentences):
        tagged = tagged_parts(piece)
        if slot.startswith("mechanism") and (pair := resource_response(piece)):
            _add(row, "mechanism_resource", pair[0])
            _add(row, "mechanism_response", pair[1])
            continue
        if len(tagged) >= 2:
            for tag_slot, text in tagged:
                _add(row, tag_slot, text)
            continue
        if len(tagged) == 1 and tagged[0][0] == slot and _TAG_AT_END.search(piece):
            # "Healthcare delivery is conducted by HEWs (C)" in the context column: the tag confirms it
            _add(row, slot, piece[: _TAG_AT_END.search(piece).start()].strip())
            continue
        named, text = leading_slot(piece)
        _add(row, named if named in _SLOTS else slot, text)


def _read_statement(row: SheetRow, cell: str, sentences: bool, slot_columns: bool) -> None:
    row.statement = cell
    if slot_columns and any(row.parts.values()):
        return
    # the whole statement an "If … then … (because …)", or one if-then sentence after another
    found = [c for c in [if_then(cell)] if c] or [
        c for piece in split_parts(cell, sentences=True) if (c := if_then(_CONNECTIVE.sub("", piece)))
    ]
    if found:
        for clauses in found:
            _add(row, "context", clauses["if"])
            if "because" in clauses:
                _add(row, "mechanism", clauses["because"])
            _add(row, "outcome", clauses["then"])
        return
    found = tagged_parts(cell)
    if found:
        for slot, text in found:
            _add(row, slot, text)
        return
    for piece in split_parts(cell, sentences):
        named, text = leading_slot(piece)
        if named in _SLOTS:
            _add(row, named, text)


def sheet_rows(table: Table, mapping: ColumnMap, id_prefix: str, sentences: bool = False) -> list[SheetRow]:
    """The rows of ``table`` read through ``mapping``; IDs made from ``id_prefix`` and the row
    number when the table has no ID column."""
    rows = []
    by_name: dict[str, list[int]] = {}
    for index, name in sorted(mapping.columns.items()):
        by_name.setdefault(name, []).append(index)
    has_id = "id" in by_name
    slot_columns = [n for n in by_name if n in _SLOTS]
    for number, cells in table.rows:
        leading_id = ""
        if not has_id and number not in table.record_headings and mapping.columns.get(0) in _SLOTS:
            # "CIAMO 1: Healthcare delivery is conducted by HEWs (C)" in the first column: the
            # configuration's number is the record's ID, and the rest is the cell
            ident, rest = id_and_title(cells[0]) if cells else ("", "")
            if rest and record_number(ident):
                leading_id, cells = re.sub(r"\s+", "-", ident), [rest, *cells[1:]]

        def text(name: str, cells: list[str] = cells) -> str:
            return "\n".join(cells[i] for i in by_name.get(name, ()) if i < len(cells) and cells[i])

        row = SheetRow(table.sheet, number, "")
        raw_id = text("id")
        if has_id and raw_id:
            ident, title = id_and_title(raw_id)
            if title:
                row.title = title
            ident = re.sub(r"\s+", "-", ident.strip())
            if ident.isdigit():
                ident = f"{id_prefix}-{ident}"
            if not _VALID_ID.match(ident) or (len(raw_id.split()) > 2 and not title):
                raise SheetError(
                    table.sheet,
                    number,
                    _header(table, by_name["id"][0]),
                    f"{raw_id[:60]!r} cannot be a record ID (letters, digits, '.', '_' and '-', "
                    "up to 80); give short IDs, or map the column elsewhere with --map",
                )
            row.id = ident
        elif leading_id:
            row.id = leading_id
        elif not has_id and number in table.record_headings:
            ident, row.title = id_and_title(table.record_headings[number])
            row.id = re.sub(r"\s+", "-", ident.strip())
        elif not has_id:
            row.id = f"{id_prefix}-{number}"
        row.title = text("title") or row.title
        section = " / ".join(s for s in (text("section"), text("subsection")) if s)
        row.section = section or table.sections.get(number, "")
        if section and table.sections.get(number):
            row.section = f"{table.sections[number]} / {section}"
        for slot in SLOT_NAMES:
            cell = text(slot)
            if cell:
                _read_slot(row, slot, cell, sentences, f"{slot}_concept" in by_name)
            elif slot in by_name:
                row.empty_slots.append(slot)
        if text("statement"):
            _read_statement(row, text("statement"), sentences, bool(slot_columns))
        row.empty_slots = [s for s in row.empty_slots if not row.parts.get(s)]
        for name in by_name:
            if name not in _SLOTS and name not in {"id", "title", "section", "subsection", "statement"}:
                row.cells[name] = text(name)
        if number in table.quotes:
            row.cells["quote"] = "\n".join(q for q in (row.cells.get("quote"), table.quotes[number]) if q)
        for index in mapping.unmapped:
            if index < len(cells) and cells[index]:
                header = table.headers[index] or f"column {index + 1}"
                row.notes.append(f"{header}: {cells[index]}")
        rows.append(row)
    return rows


def _header(table: Table, index: int) -> str:
    return table.headers[index] or str(index + 1)
