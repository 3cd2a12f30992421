"""``open_index``: the knowledge base of an index folder, without reading any YAML."""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from causal_web.index.hashing import content_hash
from causal_web.index.layout import (
    KB_FILE,
    STORE_DIR,
    IndexFormatError,
    StaleIndexError,
    read_manifest,
    rebuild_hint,
)

if TYPE_CHECKING:
    from causal_web.knowledge_base import KnowledgeBase

__all__ = ["check_fresh", "open_index"]


def _restore(path: Path) -> None:
    """Put back an index a killed swap left aside (only when the index itself is missing: a
    build running now owns its staging folder)."""
    if not path.exists():
        from causal_web.atomic import recover_folder

        recover_folder(path)


def check_fresh(path: str | Path, folders: Sequence[str | Path]) -> dict[str, Any]:
    """The manifest of the index at ``path`` when it was built from exactly ``folders`` as
    they are now (same content hash); raises :class:`StaleIndexError` otherwise."""
    path = Path(path)
    _restore(path)
    manifest = read_manifest(path)
    digest = content_hash([Path(f).resolve() for f in folders])
    if digest != manifest["content_hash"]:
        given = ", ".join(str(f) for f in folders)
        built = ", ".join(str(r.get("folder")) for r in manifest["reviews"] if isinstance(r, dict))
        raise StaleIndexError(
            f"the index at {path} is stale: it was built from {built} ({manifest['content_hash']}), "
            f"and the data in {given} is now {digest}. Rebuild it with `causal-web index --data DIR "
            f"-o {path}`, or serve with --rebuild-index to rebuild it first."
        )
    return manifest


def open_index(path: str | Path) -> KnowledgeBase:
    """The knowledge base held by the index at ``path``: its records and causal web from the
    pickle and its store opened read-only. It serves every route as a loaded one does.

    Raises :class:`IndexFormatError` for a folder that is not an index this causal-web reads.
    """
    import causal_web
    from causal_web.knowledge_base import KnowledgeBase
    from causal_web.model.loading import gc_paused

    path = Path(path).resolve()
    _restore(path)
    manifest = read_manifest(path)
    if manifest["causal_web_version"] != causal_web.__version__:
        raise IndexFormatError(
            f"the index at {path} was built by causal-web {manifest['causal_web_version']}, and this is "
            f"{causal_web.__version__}. {rebuild_hint(path)}"
        )
    store = _open_store(path)
    try:
        with (path / KB_FILE).open("rb") as handle, gc_paused():
            kb = pickle.load(handle)  # noqa: S301 - an index is trusted like code (docs/deployment.md)
    except FileNotFoundError:
        raise IndexFormatError(
            f"{path / KB_FILE} is missing; the index is damaged. {rebuild_hint(path)}"
        ) from None
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError) as error:
        raise IndexFormatError(
            f"{path / KB_FILE} cannot be read ({type(error).__name__}: {error}); the index is damaged "
            f"or from another causal-web. {rebuild_hint(path)}"
        ) from None
    if not isinstance(kb, KnowledgeBase):
        raise IndexFormatError(f"{path / KB_FILE} does not hold a knowledge base. {rebuild_hint(path)}")
    kb.__dict__["store"] = store
    _relocate(kb, path, manifest)
    kb.index_dir = path  # type: ignore[attr-defined]
    return kb


def _open_store(path: Path) -> Any:
    import pyoxigraph as ox

    store_path = path / STORE_DIR
    if not store_path.is_dir():
        raise IndexFormatError(f"{store_path} is missing; the index is damaged. {rebuild_hint(path)}")
    try:
        return ox.Store.read_only(str(store_path))
    except OSError as error:
        raise IndexFormatError(f"cannot open the store {store_path}: {error}. {rebuild_hint(path)}") from None


def _relocate(kb: Any, path: Path, manifest: dict[str, Any]) -> None:
    """Point each review's data folder at its copy in the index (its guidance files), so the
    index serves the same on a host that has not got the original folders."""
    copies = [path / str(r.get("copy", "")) for r in manifest["reviews"] if isinstance(r, dict)]
    if not copies:
        return
    reviews = getattr(kb, "reviews", None)
    if reviews is None:
        kb.data_dir = copies[0]
        return
    for review, copy in zip(reviews.values(), copies, strict=False):
        review.folder = copy
        review.kb.data_dir = copy
    kb.data_dir = copies[0]
