"""What an index folder holds, and how its manifest is read and checked.

An index folder (``causal-web index -o INDEX_DIR``)::

    INDEX_DIR/
      manifest.json            format version, versions, base IRI, reviews, counts, content hash
      store/                   the pyoxigraph (RocksDB) store: the data's quads and the ontology
      knowledge-base.pickle    the Dataset and the causal web (pickle protocol 5)
      data/<n>/<folder name>/  each folder's guidance files, which the service reads on demand

The pickle is code as much as data: serve only an index you built (or trust).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from causal_web.errors import CausalWebError

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "KB_FILE",
    "MANIFEST_FILE",
    "STORE_DIR",
    "IndexFormatError",
    "StaleIndexError",
    "read_manifest",
    "rebuild_hint",
]

FORMAT = "causal-web-index"
FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"
STORE_DIR = "store"
KB_FILE = "knowledge-base.pickle"
COPIES_DIR = "data"

_REQUIRED = {
    "format": str,
    "format_version": int,
    "causal_web_version": str,
    "base_iri": str,
    "content_hash": str,
    "reviews": list,
    "counts": dict,
}


class IndexFormatError(CausalWebError):
    """The folder is not an index this version of causal-web can open."""


class StaleIndexError(CausalWebError):
    """The index was built from other data than the folders given."""


def rebuild_hint(path: Path) -> str:
    """What to run to build the index at ``path`` anew."""
    return f"Build it anew with `causal-web index --data DIR -o {path}`."


def read_manifest(path: str | Path) -> dict[str, Any]:
    """The manifest of the index at ``path``, checked: raises :class:`IndexFormatError` naming
    what is wrong (no folder, no manifest, bad JSON, a missing field, another format version)."""
    path = Path(path)
    if not path.is_dir():
        raise IndexFormatError(f"no index at {path}: the folder does not exist. {rebuild_hint(path)}")
    manifest_path = path / MANIFEST_FILE
    try:
        text = manifest_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IndexFormatError(
            f"{manifest_path} is missing, so {path} is not a causal-web index (or its build did "
            f"not finish). {rebuild_hint(path)}"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise IndexFormatError(f"cannot read {manifest_path}: {error}. {rebuild_hint(path)}") from None
    try:
        manifest = json.loads(text)
    except json.JSONDecodeError as error:
        raise IndexFormatError(
            f"{manifest_path} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}); "
            f"the index is damaged. {rebuild_hint(path)}"
        ) from None
    if not isinstance(manifest, dict):
        raise IndexFormatError(f"{manifest_path} must hold a JSON object. {rebuild_hint(path)}")
    if manifest.get("format") != FORMAT:
        raise IndexFormatError(
            f"{manifest_path}: field 'format' is {manifest.get('format')!r}, not {FORMAT!r}: this is "
            f"not a causal-web index. {rebuild_hint(path)}"
        )
    for field, kind in _REQUIRED.items():
        if not isinstance(manifest.get(field), kind) or isinstance(manifest.get(field), bool):
            raise IndexFormatError(
                f"{manifest_path}: field {field!r} is missing or not a {kind.__name__}; the index is "
                f"damaged. {rebuild_hint(path)}"
            )
    if manifest["format_version"] != FORMAT_VERSION:
        raise IndexFormatError(
            f"{manifest_path}: the index has format version {manifest['format_version']}, and this "
            f"causal-web reads version {FORMAT_VERSION}. {rebuild_hint(path)}"
        )
    return manifest
