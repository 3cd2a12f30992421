"""The coding file (``coding.csv``): a reviewer's decisions, one row per published label.

Columns (docs/import.md, "The coding file"): ``label`` and ``concept`` are required;
``polarity``, ``inferred``, ``pref_label`` and ``notes`` are optional. ``concept`` holds one
concept ID, or several separated by ``|`` when one published label names several concepts
(each becomes a part of its own, the parts joined by an ``and`` relation); ``new:<id>`` adds a
concept; an empty cell (or ``-``) keeps the label uncoded. ``polarity`` overrides the polarity
read from the label's qualifier words: one value for every concept, or one per concept, ``|``
between them. ``inferred`` says the coding is the reviewer's reading (``true``/``false``).

:func:`parse_coding` reads the text and refuses anything it cannot use with a
:class:`CodingError` naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from causal_web.errors import CausalWebError
from causal_web.model.records import POLARITIES
from causal_web.model.references import is_fragment

__all__ = [
    "CODING_COLUMNS",
    "CODING_FILE",
    "CodedConcept",
    "CodingDecision",
    "CodingError",
    "label_key",
    "parse_coding",
    "read_coding",
    "read_coding_file",
]

CODING_FILE = "coding.csv"
CODING_COLUMNS = ("label", "concept", "polarity", "inferred", "pref_label", "notes")
NEW_PREFIX = "new:"
SEPARATOR = "|"
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0", ""})
_UNCODED = frozenset({"", "-"})
_Where = Callable[[str], str]  # column -> "file, row N, column 'column'"


class CodingError(CausalWebError, ValueError):
    """A coding file that cannot be used: names the file, row and column."""


@dataclass(frozen=True, slots=True)
class CodedConcept:
    """One concept a label codes to.

    ``new``: the concept is to be added (``pref_label`` names it). ``polarity``: the polarity the
    coding file gives the part, or ``None`` to keep the one read from the label.
    """

    id: str
    new: bool = False
    pref_label: str = ""
    polarity: str | None = None


@dataclass(frozen=True, slots=True)
class CodingDecision:
    """One row of the coding file: what a published label codes to.

    ``concepts`` is empty when the reviewer decided to keep the label uncoded; with several,
    the label becomes one part per concept. ``row`` is the file's row (the header is row 1).
    """

    label: str
    concepts: tuple[CodedConcept, ...] = ()
    inferred: bool = False
    notes: str = ""
    row: int = 0
    file: str = CODING_FILE

    @property
    def concept(self) -> str | None:
        """The first concept's ID, or ``None`` for a label kept uncoded."""
        return self.concepts[0].id if self.concepts else None

    def where(self, column: str) -> str:
        """ "coding.csv, row 4, column 'concept'": where this decision is, for a message."""
        return f"{self.file}, row {self.row}, column {column!r}"

    def same_as(self, other: CodingDecision) -> bool:
        """True when ``other`` decides the label the same way (its notes aside)."""
        return (self.concepts, self.inferred) == (other.concepts, other.inferred)


def label_key(label: str) -> str:
    """The form labels are matched in: case-folded, with runs of white space made one space."""
    return " ".join(label.split()).casefold()


def _pieces(cell: str) -> list[str]:
    return [piece.strip() for piece in cell.split(SEPARATOR)]


def _concepts(cells: dict[str, str], where: _Where) -> list[tuple[str, bool]]:
    """(ID, new) for each concept of the row's ``concept`` cell; empty for "keep uncoded"."""
    cell = cells["concept"]
    if cell in _UNCODED:
        return []
    found: list[tuple[str, bool]] = []
    for piece in _pieces(cell):
        new = piece.startswith(NEW_PREFIX)
        concept = piece[len(NEW_PREFIX) :].strip() if new else piece
        if not concept:
            if new:
                raise CodingError(f"{where('concept')}: 'new:' needs an ID, such as new:shared-goals.")
            raise CodingError(
                f"{where('concept')}: an empty concept between '|' separators in {cell!r}; "
                "give one concept ID between each pair."
            )
        if not _SLUG.match(concept):
            raise CodingError(
                f"{where('concept')}: {concept!r} is not a concept ID "
                "(lower-case letters, digits and hyphens; several IDs are separated by '|')."
            )
        if any(concept == earlier for earlier, _new in found):
            raise CodingError(f"{where('concept')}: {concept!r} is given twice in {cell!r}.")
        found.append((concept, new))
    return found


def _spread(cells: dict[str, str], column: str, count: int, where: _Where) -> list[str]:
    """The ``column`` cell's values, one per concept: a single value serves every concept."""
    cell = cells.get(column, "")
    if not cell:
        return [""] * count
    if count == 1 and column == "pref_label":
        return [cell]  # one concept: the whole cell is its label
    values = _pieces(cell)
    if len(values) == 1:
        if column == "pref_label":
            raise CodingError(
                f"{where(column)}: the label codes to {count} concepts; give one preferred label "
                "per concept, separated by '|' (empty for a concept that is not new:)."
            )
        return values * count
    if len(values) != count:
        raise CodingError(
            f"{where(column)}: {len(values)} values for {count} concept(s); give one value, "
            "or one per concept in the order of the concept column, separated by '|'."
        )
    return values


def _polarity(value: str, where: _Where) -> str | None:
    polarity = value.lower()
    if not polarity:
        return None
    if polarity not in POLARITIES:
        raise CodingError(
            f"{where('polarity')}: {value!r} is not a polarity; use {', '.join(POLARITIES)}, "
            "or leave the cell empty to read it from the label."
        )
    return polarity


def _inferred(value: str, where: _Where) -> bool:
    flag = value.lower()
    if flag in _TRUE:
        return True
    if flag in _FALSE:
        return False
    raise CodingError(f"{where('inferred')}: {value!r} is not true or false (or empty, for false).")


def _decision(cells: dict[str, str], row: int, file: str) -> CodingDecision:
    def where(column: str) -> str:
        return f"{file}, row {row}, column {column!r}"

    label = cells["label"]
    concepts = _concepts(cells, where)
    inferred = _inferred(cells.get("inferred", ""), where)
    notes = cells.get("notes", "")
    if not concepts:
        for column in ("polarity", "pref_label"):
            if cells.get(column):
                raise CodingError(
                    f"{where(column)}: the label is kept uncoded (no concept), so it takes no {column}; "
                    "give a concept or empty the cell."
                )
        if inferred:
            raise CodingError(f"{where('inferred')}: the label is kept uncoded (no concept); empty the cell.")
        return CodingDecision(label, (), False, notes, row, file)
    if is_fragment(label):
        raise CodingError(f"{where('label')}: {label!r} is cut off; a fragment is never coded.")
    polarities = _spread(cells, "polarity", len(concepts), where)
    labels = _spread(cells, "pref_label", len(concepts), where)
    coded = []
    for (concept, new), polarity, pref in zip(concepts, polarities, labels, strict=True):
        if not pref and new:
            # one concept: the published label names it; several: its ID does
            pref = label if len(concepts) == 1 else concept.replace("-", " ").capitalize()
        coded.append(CodedConcept(concept, new, pref if new else "", _polarity(polarity, where)))
    return CodingDecision(label, tuple(coded), inferred, notes, row, file)


def parse_coding(text: str, file: str = CODING_FILE) -> dict[str, CodingDecision]:
    """The decisions of a coding file's text, keyed by :func:`label_key`.

    A label may appear on several rows only with the same decision. Raises
    :class:`CodingError` naming the file, the row and the column of the first problem.
    """
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        headers = [h.strip() for h in next(rows, [])]
    except csv.Error as error:
        raise CodingError(f"{file}, row 1: not a CSV header ({error}).") from None
    if "label" not in headers or "concept" not in headers:
        raise CodingError(
            f"{file}, row 1: the header must name the columns label and concept "
            f"(found: {', '.join(h for h in headers if h) or 'none'})."
        )
    for header in headers:
        if header not in CODING_COLUMNS:
            raise CodingError(
                f"{file}, row 1, column {header!r}: unknown column; "
                f"the columns are {', '.join(CODING_COLUMNS)}."
            )
        if headers.count(header) > 1:
            raise CodingError(f"{file}, row 1, column {header!r}: the column is named twice.")
    decisions: dict[str, CodingDecision] = {}
    number = 1
    while True:
        number += 1  # the spreadsheet's row: a cell with line breaks stays one row
        try:
            values = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            raise CodingError(f"{file}, row {number}: not valid CSV ({error}).") from None
        if len(values) > len(headers) and any(v.strip() for v in values[len(headers) :]):
            raise CodingError(f"{file}, row {number}: more cells than the header has columns.")
        cells = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(headers)}
        if not cells["label"]:
            if any(cells.values()):
                raise CodingError(f"{file}, row {number}, column 'label': empty label.")
            continue
        decision = _decision(cells, number, file)
        key = label_key(decision.label)
        earlier = decisions.get(key)
        if earlier is not None and not earlier.same_as(decision):
            raise CodingError(
                f"{decision.where('concept')}: {decision.label!r} is coded differently on row "
                f"{earlier.row}; give each label one row (several concepts go in one cell, "
                "separated by '|')."
            )
        decisions.setdefault(key, decision)
    return decisions


def read_coding_file(path: str | Path) -> dict[str, CodingDecision]:
    """The decisions of the coding file at ``path``, named in messages as given."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CodingError(f"{path}: not valid UTF-8 (byte {error.start}). Save the file as UTF-8.") from None
    return parse_coding(text, str(path))


def read_coding(folder: str | Path) -> dict[str, CodingDecision]:
    """The decisions of ``folder``'s coding file, or none when the folder has no such file.

    Messages name the file as ``coding.csv``, the folder being the one the command was given.
    """
    path = Path(folder) / CODING_FILE
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CodingError(
            f"{CODING_FILE}: not valid UTF-8 (byte {error.start}). Save the file as UTF-8."
        ) from None
    return parse_coding(text)
