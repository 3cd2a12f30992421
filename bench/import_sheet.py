"""Importing a large extraction sheet: a synthetic 10,000-row CSV (and workbook) through
``causal_web.sheets.importer.import_sheet``, timed end to end (reading, coding, writing and
validating the folder). The target is 30 s or less for 10,000 rows; nothing here asserts it.

Run alone with ``python -m bench.import_sheet [--rows N] [--xlsx]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["measure_import", "suite_section", "synthetic_sheet"]

_QUALIFIERS = ("Greater", "Reduced", "Enhanced", "Lessened", "")


def synthetic_sheet(path: Path, rows: int, seed: int = 7) -> Path:
    """A CSV of ``rows`` CMOCs whose labels mix vocabulary labels and free text."""
    from causal_web.model.loading import load_dataset
    from causal_web.resources import bundled_data_dir

    labels = sorted(c.pref_label for c in load_dataset(bundled_data_dir()).concepts.values())
    rng = random.Random(seed)

    def label() -> str:
        if rng.random() < 0.7:
            return f"{rng.choice(_QUALIFIERS)} {rng.choice(labels).lower()}".strip()
        return f"Staff report {rng.choice(labels).lower()} in site {rng.randint(1, 99)}"

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["CMO", "Theme", "Context", "Mechanism", "Outcome(s)", "Studies", "Reviewer"])
        for number in range(1, rows + 1):
            writer.writerow([
                f"CMO{number}", f"Theme {number % 12}", f"{label()}; {label()}", label(), label(),
                f"Smith et al. {2000 + number % 20}", "checked",
            ])  # fmt: skip
    return path


def _as_workbook(csv_path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("CMOCs")
    with open(csv_path, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    target = csv_path.with_suffix(".xlsx")
    book.save(target)
    return target


def measure_import(rows: int = 10_000, xlsx: bool = False, seed: int = 7) -> dict[str, Any]:
    """Seconds to import a synthetic sheet of ``rows`` rows, with what was written."""
    from causal_web.model.loading import load_dataset
    from causal_web.resources import bundled_data_dir
    from causal_web.sheets.importer import import_sheet

    vocabulary = list(load_dataset(bundled_data_dir()).concepts.values())
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        sheet = synthetic_sheet(work / "synthetic.csv", rows, seed)
        if xlsx:
            sheet = _as_workbook(sheet)
        start = time.perf_counter()
        # reading, coding and writing; SHACL (minutes at this size) is measured by validate
        result = import_sheet(sheet, work / "out", vocabulary=vocabulary, shacl=False)
        seconds = time.perf_counter() - start
        return {
            "rows": rows,
            "format": sheet.suffix.lstrip("."),
            "seconds": round(seconds, 2),
            "rows_per_second": round(rows / seconds, 1),
            "cmocs": result.cmocs,
            "concepts": result.concepts,
            "warnings": len(result.warnings),
            "target_seconds": 30,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def suite_section(config: Any, figures: dict[str, Any]) -> None:
    """The suite's ``import`` section: a 10,000-row sheet (2,000 with ``--quick``) in a fresh process."""
    from bench.common import log, run_child

    rows = 2_000 if config.quick else 10_000
    log(f"import a synthetic sheet of {rows:,} rows")
    result = run_child(["-m", "bench.import_sheet", "--rows", str(rows)], timeout=600)
    for key in ("seconds", "rows_per_second", "cmocs", "concepts"):
        figures[f"import.{rows}.{key}"] = result[key]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--xlsx", action="store_true", help="Read the sheet as a workbook.")
    args = parser.parse_args(argv)
    print(json.dumps(measure_import(args.rows, args.xlsx)))


if __name__ == "__main__":
    main()
