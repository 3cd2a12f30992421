"""Writing a changed dataset back to its folder: canonical YAML, checked first, each file renamed
into place so that no reader ever sees half a file."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from causal_web.errors import DataValidationError
from causal_web.model.canonical import _record_file_text, catalogue_files
from causal_web.model.loading import read_dataset
from causal_web.model.records import Dataset

__all__ = ["dataset_files", "replace_files", "write_checked"]


def dataset_files(dataset: Dataset) -> dict[str, str]:
    """File name to canonical text for every file ``dataset``'s records came from."""
    files = catalogue_files(dataset)
    names = set()
    for table in dataset.record_tables():
        names.update(record.file for record in table.values() if record.file)
    for name in sorted(names):
        files[name] = _record_file_text(dataset, name)
    return files


def replace_files(folder: Path, files: dict[str, str]) -> None:
    """Write each file to a temporary file in ``folder``, then rename them all into place."""
    temps: list[tuple[str, Path]] = []
    try:
        for name, text in files.items():
            handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            target = folder / name
            os.chmod(temp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
            temps.append((name, Path(temp)))
        for name, temp in temps:
            os.replace(temp, folder / name)
    finally:
        for _name, temp in temps:
            temp.unlink(missing_ok=True)


def write_checked(folder: Path, files: dict[str, str]) -> list[str]:
    """Replace the files of ``folder`` whose text changes, after checking that the folder with
    the new files is valid (in a scratch copy). Returns the names written.

    Raises :class:`DataValidationError` and leaves ``folder`` untouched when the result would
    not be valid.
    """
    changed = {
        name: text
        for name, text in files.items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    }
    if not changed:
        return []
    scratch = Path(tempfile.mkdtemp(prefix=".causal-web-check-", dir=folder.parent))
    try:
        copy = scratch / "data"
        shutil.copytree(folder, copy)
        for name, text in changed.items():
            (copy / name).write_text(text, encoding="utf-8")
        _dataset, report = read_dataset(copy)
        if not report.ok:
            raise DataValidationError(report)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    replace_files(folder, changed)
    return sorted(changed)
