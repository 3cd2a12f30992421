"""Reading the guidance files of a data folder (``<data>/guidance/*.yaml``), with errors that name
the file, the record and the field, and checking that what they cite exists."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from causal_web.errors import CausalWebError
from causal_web.model.records import Dataset

__all__ = [
    "GUIDANCE_FOLDER",
    "GuidanceDataError",
    "cited_exists",
    "guidance_file",
    "read_guidance",
    "require",
]

GUIDANCE_FOLDER = "guidance"


class GuidanceDataError(CausalWebError, ValueError):
    """A guidance file is missing, malformed or cites something that does not exist."""

    def __init__(self, file: str, record: str, field: str, message: str) -> None:
        self.file, self.record, self.field, self.detail = file, record, field, message
        where = ", ".join(bit for bit in (file, f"record {record}" if record else "", field) if bit)
        super().__init__(f"{where}: {message}")


def guidance_file(data_dir: Path, name: str) -> Path:
    """``<data_dir>/guidance/<name>``."""
    return Path(data_dir) / GUIDANCE_FOLDER / name


def read_guidance(path: Path, sections: tuple[str, ...]) -> dict[str, Any]:
    """The top-level mapping of one guidance file; every name in ``sections`` must be present."""
    name = f"{GUIDANCE_FOLDER}/{path.name}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GuidanceDataError(name, "", "", f"no such file in the data folder ({path.parent})") from None
    except OSError as error:
        raise GuidanceDataError(name, "", "", f"cannot be read: {error}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise GuidanceDataError(name, "", "", f"is not valid YAML: {error}") from None
    if not isinstance(data, Mapping):
        raise GuidanceDataError(name, "", "", "the top level must be a mapping")
    for section in sections:
        if section not in data:
            raise GuidanceDataError(name, "", section, "this section is required")
    return dict(data)


def require(raw: Mapping, key: str, kind: type | tuple[type, ...], file: str, record: str) -> Any:
    """``raw[key]``, which must be present and of ``kind``."""
    if not isinstance(raw, Mapping):
        raise GuidanceDataError(file, record, "", "each entry must be a mapping")
    if key not in raw or raw[key] is None:
        raise GuidanceDataError(file, record, key, "this field is required")
    value = raw[key]
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise GuidanceDataError(file, record, key, f"must be a {names}, not {type(value).__name__}")
    return value


def cited_exists(dataset: Dataset, record_id: str) -> bool:
    """True when ``record_id`` is a record (CMOC, link, mechanism entry, nesting, entry point),
    a source or an evidence base of the dataset."""
    return dataset.record(record_id) is not None or record_id in dataset.sources or record_id in dataset.bases
