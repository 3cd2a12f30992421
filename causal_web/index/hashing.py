"""The content hash of data folders: what an index records to tell whether it is stale.

The hash covers every file the loader reads in each folder: the catalogue files, the record
files (``*.yaml`` at the top of the folder), the mapping file, the guidance files and the
source texts that ``sources.yaml`` names. For each folder in order it takes the folder's
position, then each file's path relative to the folder (sorted, ``/``-separated) and bytes,
each prefixed by its length, so that no two different folders give the same stream.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

from causal_web.model.loading import CATALOGUE_FILES, record_files
from causal_web.model.reviews import MAPPING_FILE

__all__ = ["content_hash", "data_files"]

_GUIDANCE = "guidance"
_CHUNK = 1 << 20


def _text_files(folder: Path) -> list[Path]:
    """The source text files ``sources.yaml`` names (those inside the folder that exist)."""
    path = folder / "sources.yaml"
    if not path.is_file():
        return []
    raw = path.read_bytes()
    if b"text:" not in raw:  # no source names a text file (parsing a large file costs seconds)
        return []
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return []  # the loader reports it; the file's bytes are hashed all the same
    sources = data.get("sources") if isinstance(data, dict) else None
    root = folder.resolve()
    found = []
    for source in sources if isinstance(sources, list) else []:
        text = source.get("text") if isinstance(source, dict) else None
        if not isinstance(text, str) or not text:
            continue
        relative = PurePosixPath(text)
        target = (root / relative).resolve()
        if not relative.is_absolute() and target.is_relative_to(root) and target.is_file():
            found.append(target)
    return found


def data_files(folder: str | Path) -> list[str]:
    """The files of ``folder`` the loader reads, as sorted ``/``-separated relative paths."""
    folder = Path(folder)
    root = folder.resolve()
    paths: set[Path] = {folder / name for name in CATALOGUE_FILES if (folder / name).is_file()}
    paths.update(record_files(folder))
    if (folder / MAPPING_FILE).is_file():
        paths.add(folder / MAPPING_FILE)
    guidance = folder / _GUIDANCE
    if guidance.is_dir():
        paths.update(p for p in guidance.rglob("*") if p.is_file())
    paths.update(_text_files(folder))
    return sorted({p.resolve().relative_to(root).as_posix() for p in paths})


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def content_hash(folders: Sequence[str | Path]) -> str:
    """``sha256:`` and the hex digest over the sorted relative paths and bytes of every file
    the loader reads in each of ``folders`` (in the order given)."""
    digest = hashlib.sha256()
    for position, folder in enumerate(folders):
        folder = Path(folder)
        names = data_files(folder)
        digest.update(f"folder {position} {len(names)}\n".encode())
        for name in names:
            path = folder / name
            encoded = name.encode("utf-8")
            digest.update(f"{len(encoded)}:".encode() + encoded)
            digest.update(f"{path.stat().st_size}:".encode())
            for chunk in _chunks(path):
                digest.update(chunk)
    return "sha256:" + digest.hexdigest()
