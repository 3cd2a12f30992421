"""A consensus folder from two coders' folders of the same excerpts.

Each CMOC both coders extracted keeps coder A's record (ID, phase, citation, statement, flags,
evidence) with these changes:

- its parts are the reconciler's choice, unit by unit (the units of
  :mod:`causal_web.coding.agreement`): where the coders agree, coder A's part; where they
  disagree, the choice from the choices file (``a``, ``b``, or a concept ID given to the part),
  else the side of ``prefer``; choosing a side whose part is ``(absent)`` drops the position;
- two evidence items, one per coder (``coder: <name>``, ``evidence_type: curator-inference``,
  located at the record's citation), whose ``notes`` hold that coder's parts as extracted,
  ``slot[i]: label -> concept``;
- when any unit was decided, one more item by the reconciler whose notes list each decided
  unit, ``slot[i]: chose a|b|<concept>``, with the reconciler's note if the choices file has one.

A CMOC only one coder extracted is kept as that coder extracted it, with a note saying so.
Concepts, sources, bases and phases are the union of both folders (coder A's entry wins on an
ID both use); other records are coder A's, plus coder B's that A lacks.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import tempfile
from copy import deepcopy
from dataclasses import dataclass, replace
from pathlib import Path

from causal_web.coding.agreement import ABSENT, Disagreement
from causal_web.coding.files import dataset_files
from causal_web.errors import CausalWebError, DataValidationError
from causal_web.model.loading import load_dataset, read_dataset
from causal_web.model.records import CMOC, SLOT_NAMES, Dataset, EvidenceItem, Part

__all__ = ["ReconcileResult", "read_choices", "reconcile_datasets", "reconcile_folders"]

CHOICE_COLUMNS = ("record", "slot", "index", "choice", "notes")


class ReconcileError(CausalWebError, ValueError):
    """Bad input to reconcile: names the file, line and column."""


@dataclass(frozen=True, slots=True)
class ReconcileResult:
    records: int
    disagreements: int
    by_choice: int
    by_preference: int


def read_choices(path: str | Path) -> dict[tuple[str, str, int], tuple[str, str]]:
    """The choices file: (record, slot, index) to (choice, notes)."""
    path = Path(path)
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8").removeprefix("\ufeff"), newline=""))
    headers = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in CHOICE_COLUMNS[:4] if c not in headers]
    if missing:
        raise ReconcileError(
            f"{path.name}, line 1: missing column {missing[0]!r} (columns: {', '.join(CHOICE_COLUMNS)})."
        )
    reader.fieldnames = headers
    found: dict[tuple[str, str, int], tuple[str, str]] = {}
    for row in reader:
        line = reader.line_num
        cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(cells.values()):
            continue
        if cells["slot"] not in SLOT_NAMES:
            raise ReconcileError(
                f"{path.name}, line {line}, column 'slot': {cells['slot']!r} is not a slot "
                f"({', '.join(SLOT_NAMES)})."
            )
        if not cells["index"].isdigit():
            raise ReconcileError(
                f"{path.name}, line {line}, column 'index': {cells['index']!r} is not a position (0, 1, ...)."
            )
        if not cells["choice"]:
            raise ReconcileError(
                f"{path.name}, line {line}, column 'choice': empty; give a, b or a concept ID."
            )
        found[(cells["record"], cells["slot"], int(cells["index"]))] = (
            cells["choice"],
            cells.get("notes", ""),
        )
    return found


def _parts_text(record: CMOC) -> str:
    bits = [
        f"{slot}[{index}]: {part.label} -> {part.concept if part.concept is not None else '(uncoded)'}"
        for slot, index, part in record.parts()
    ]
    return "; ".join(bits) or "(no parts)"


def _coder_item(record: CMOC, coder: str, text: str, notes: str) -> EvidenceItem:
    c = record.citation
    return EvidenceItem(
        source=c.source,
        table=c.table,
        row=c.row,
        section=c.section,
        judgement="confirms",
        evidence_type="curator-inference",
        coder=coder,
        notes=f"{notes}{text}",
    )


def _history(record: CMOC, by: str, why: str, when: str) -> None:
    if not hasattr(record, "history"):
        return
    from causal_web.model.history import HistoryEvent

    record.history.append(HistoryEvent(when, by, "reconcile", why))


def _merge_catalogue(a: Dataset, b: Dataset) -> Dataset:
    out = deepcopy(a)
    for name in ("phases", "sources", "bases", "concepts", "ioc_types"):
        table = getattr(out, name)
        for key, value in getattr(b, name).items():
            table.setdefault(key, deepcopy(value))
    for name in ("links", "mechanisms", "nestings", "entry_points", "demi_regularities", "theories"):
        table = getattr(out, name)
        for key, value in getattr(b, name).items():
            if key not in table and a.record(key) is None:
                table[key] = deepcopy(value)
    out.texts = {**b.texts, **a.texts}
    return out


def reconcile_datasets(
    a: Dataset,
    b: Dataset,
    prefer: str = "a",
    choices: dict[tuple[str, str, int], tuple[str, str]] | None = None,
    coders: tuple[str, str] = ("A", "B"),
    by: str = "reconciler",
    when: str | None = None,
) -> tuple[Dataset, ReconcileResult]:
    """The consensus dataset (see the module docstring) and counts of what was decided how."""
    choices = dict(choices or {})
    when = when or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    out = _merge_catalogue(a, b)
    out.cmocs = {}
    total = by_choice = by_preference = 0
    for record_id, record_a in a.cmocs.items():
        record_b = b.cmocs.get(record_id)
        record = deepcopy(record_a)
        if record_b is None:
            record.notes = (
                record.notes + " " if record.notes else ""
            ) + f"Only coder {coders[0]} extracted this record."
            out.cmocs[record_id] = record
            continue
        decided: list[str] = []
        for slot in SLOT_NAMES:
            parts_a, parts_b = record_a.slots(slot), record_b.slots(slot)
            chosen: list[Part] = []
            for index in range(max(len(parts_a), len(parts_b))):
                part_a = parts_a[index] if index < len(parts_a) else None
                part_b = parts_b[index] if index < len(parts_b) else None
                if Disagreement.category(part_a) == Disagreement.category(part_b):
                    chosen.append(part_a)  # type: ignore[arg-type] - equal categories: both present
                    continue
                total += 1
                choice, note = choices.pop((record_id, slot, index), ("", ""))
                if choice:
                    by_choice += 1
                else:
                    choice = prefer
                    by_preference += 1
                if choice in ("a", "b"):
                    part = part_a if choice == "a" else part_b
                else:
                    if choice not in out.concepts:
                        raise ReconcileError(
                            f"choices: {record_id} {slot}[{index}]: unknown concept {choice!r}."
                        )
                    base = part_a or part_b
                    part = replace(base, concept=choice) if base is not None else None
                if part is not None:
                    chosen.append(part)
                decided.append(
                    f"{slot}[{index}]: chose {choice}"
                    + (f" ({note})" if note else "")
                    + ("" if part else f" {ABSENT}")
                )
            setattr(record, slot, chosen)
        record.evidence = [
            *record.evidence,
            *(item for item in record_b.evidence if item not in record.evidence),
            _coder_item(record_a, coders[0], _parts_text(record_a), f"As extracted by coder {coders[0]}: "),
            _coder_item(record_b, coders[1], _parts_text(record_b), f"As extracted by coder {coders[1]}: "),
        ]
        if decided:
            record.evidence.append(_coder_item(record_a, by, "; ".join(decided), "Reconciled: "))
            record.relations = [r for r in record.relations if _refs_ok(record, r)]
        _history(
            record, by, f"reconciled coders {coders[0]} and {coders[1]}: {len(decided)} unit(s) decided", when
        )
        out.cmocs[record_id] = record
    for record_id, record_b in b.cmocs.items():
        if record_id not in a.cmocs:
            record = deepcopy(record_b)
            record.notes = (
                record.notes + " " if record.notes else ""
            ) + f"Only coder {coders[1]} extracted this record."
            out.cmocs[record_id] = record
    if choices:
        (record_id, slot, index), _ = next(iter(choices.items()))
        raise ReconcileError(
            f"choices: {record_id} {slot}[{index}] is not a disagreement of the two folders."
        )
    return out, ReconcileResult(len(out.cmocs), total, by_choice, by_preference)


def _refs_ok(record: CMOC, relation: object) -> bool:
    refs = [
        getattr(relation, "source", None),
        getattr(relation, "target", None),
        *getattr(relation, "parts", ()),
    ]
    return all(ref is None or record.part(ref) is not None for ref in refs)


def reconcile_folders(
    folder_a: str | Path,
    folder_b: str | Path,
    output: str | Path,
    prefer: str = "a",
    choices: dict[tuple[str, str, int], tuple[str, str]] | None = None,
    coders: tuple[str, str] = ("A", "B"),
    by: str = "reconciler",
) -> ReconcileResult:
    """Reconcile two folders into ``output``, a new folder.

    The folder is written next to ``output`` under a temporary name, read back and validated,
    then renamed into place; on any problem nothing is left at ``output``.
    """
    output = Path(output)
    if output.exists():
        raise ReconcileError(f"{output} exists: give a new folder for the consensus.")
    folder_a = Path(folder_a)
    dataset, result = reconcile_datasets(
        load_dataset(folder_a), load_dataset(folder_b), prefer, choices, coders, by
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        for name, text in dataset_files(dataset).items():
            (temp / name).write_text(text, encoding="utf-8")
        for folder in (Path(folder_b), folder_a):  # texts for quote checks; A's win
            if (folder / "texts").is_dir():
                shutil.copytree(folder / "texts", temp / "texts", dirs_exist_ok=True)
        _read, report = read_dataset(temp)
        if not report.ok:
            raise DataValidationError(report)
        os.chmod(temp, 0o755)  # noqa: S103 - a data folder others read, as mkdir makes it
        os.replace(temp, output)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return result
