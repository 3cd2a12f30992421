"""``build_index``: load data folders once and write an index the service starts from.

The build writes a new staging folder beside the target and swaps it in only when it is
complete (:func:`causal_web.atomic.replace_folder`), so a build that is killed or fails leaves
the old index as it was, and the next build tidies up what the killed one left.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import platform
import shutil
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from causal_web.atomic import replace_folder, write_file_atomic
from causal_web.errors import CausalWebError
from causal_web.index.hashing import content_hash
from causal_web.index.layout import (
    COPIES_DIR,
    FORMAT,
    FORMAT_VERSION,
    KB_FILE,
    MANIFEST_FILE,
    STORE_DIR,
)
from causal_web.index.warm import SERVING_VIEWS, warm_views
from causal_web.rdf.iris import DEFAULT_BASE_IRI

__all__ = ["Progress", "build_index"]

Progress = Callable[[str, str], None]
"""Called with a phase (load, RDF, store, web, views, write) and a line saying what is happening."""

_QUADS_FILE = "quads.nq"


def _silent(phase: str, message: str) -> None:
    pass


class _Pickler(pickle.Pickler):
    """Pickles frozen slotted dataclasses (the records' parts, relations and evidence) as a call
    of the class with the field values: unpickling them so costs their ``__init__`` and not the
    slower ``__setstate__`` that dataclasses give frozen classes (about 40% of the records'
    unpickling time at 100,000 CMOCs). Any other object is pickled as usual."""

    _fields: ClassVar[dict[type, tuple[str, ...] | None]] = {}

    def reducer_override(self, obj: object) -> Any:
        cls = type(obj)
        names = self._fields.get(cls, ())
        if names == ():
            names = self._fields[cls] = _frozen_fields(cls)
        if names is None:
            return NotImplemented
        return (cls, tuple(getattr(obj, name) for name in names))


def _frozen_fields(cls: type) -> tuple[str, ...] | None:
    """The init fields of a frozen slotted dataclass without ``__post_init__``, else None."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in vars(cls) or hasattr(cls, "__post_init__"):
        return None
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if not all(f.init for f in fields):
        return None
    return tuple(f.name for f in fields)


def _write_quads(kb: Any, path: Path) -> int:
    """Stream the data's N-Quads to ``path``; return how many lines (quads) were written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for chunk in kb.iter_nquads():
            out.write(chunk)
            count += chunk.count("\n")
    return count


def _reviews(kb: Any, folders: Sequence[Path]) -> list[dict[str, Any]]:
    from causal_web.review_set import list_reviews

    items = list_reviews(kb)["items"]
    rows = []
    for position, (item, folder) in enumerate(zip(items, folders, strict=True)):
        rows.append(
            {
                "id": item["id"],
                "title": item["title"],
                "folder": str(folder),
                "copy": f"{COPIES_DIR}/{position}/{folder.name}",
                "counts": {k: item[k] for k in ("cmocs", "links", "concepts", "sources")},
            }
        )
    return rows


def _copy_guidance(folders: Sequence[Path], reviews: list[dict[str, Any]], staging: Path) -> None:
    from causal_web.guidance.files import GUIDANCE_FOLDER

    for folder, review in zip(folders, reviews, strict=True):
        target = staging / review["copy"]
        target.mkdir(parents=True)
        if (folder / GUIDANCE_FOLDER).is_dir():
            shutil.copytree(folder / GUIDANCE_FOLDER, target / GUIDANCE_FOLDER)


def build_index(
    folders: Sequence[str | Path],
    out: str | Path,
    base_iri: str = DEFAULT_BASE_IRI,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Load and validate ``folders`` (the bundled data when empty; several are reviews side by
    side, as ``--data`` given more than once) and write their index to ``out``, replacing an
    index already there only once the new one is complete. Returns the manifest.

    Raises :class:`~causal_web.errors.DataValidationError` for data that is not valid (nothing
    is written then), and :class:`~causal_web.errors.CausalWebError` when a file changed while
    the index was being built.
    """
    import pyoxigraph as ox

    from causal_web.knowledge_base import load
    from causal_web.model.loading import gc_paused
    from causal_web.resources import bundled_data_dir

    report = progress or _silent
    paths = [Path(f).resolve() for f in folders] or [bundled_data_dir().resolve()]
    started = time.perf_counter()
    clock = {"phase": started}

    def phase(name: str, message: str) -> None:
        report(name, message)
        clock["phase"] = time.perf_counter()

    def took() -> str:
        return f"{time.perf_counter() - clock['phase']:.1f} s"

    phase("load", f"hashing and reading {len(paths)} folder(s): " + ", ".join(str(p) for p in paths))
    digest = content_hash(paths)
    kb = load(paths if len(paths) > 1 else paths[0], base_iri=base_iri)
    dataset = kb.dataset
    report("load", f"{len(dataset.cmocs):,} CMOCs, {len(dataset.concepts):,} concepts ({took()})")
    manifest: dict[str, Any] = {}

    def fill(staging: Path) -> None:
        quads_file = staging / _QUADS_FILE
        phase("RDF", "writing the data's quads")
        quads = _write_quads(kb, quads_file)
        report("RDF", f"{quads:,} quads ({took()})")
        phase("store", f"loading {quads:,} quads and the ontology into an on-disk store")
        store = ox.Store(str(staging / STORE_DIR))
        ontology, ontology_graph = _ontology(kb)
        store.bulk_load(path=str(quads_file), format=ox.RdfFormat.N_QUADS, lenient=True)
        try:
            store.bulk_load(input=ontology, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ontology_graph))
        except SyntaxError as error:
            from causal_web.rdf.shacl import turtle_error_message
            from causal_web.resources import ontology_file

            raise CausalWebError(turtle_error_message(ontology_file(), error)) from None
        quads_file.unlink()
        stored = len(store)
        store.flush()
        report("store", f"{stored:,} quads stored ({took()})")
        phase("web", "building the causal web")
        web = kb.web
        for review in getattr(kb, "reviews", {}).values():
            _ = review.kb.web  # each review's own web, for review= filters
        report(
            "web",
            f"{web.node_count():,} concepts, {web.edge_count():,} edges ({took()})",
        )
        phase("views", "deriving the views serving needs: " + ", ".join(SERVING_VIEWS))
        kb.__dict__["store"] = store  # the index's own store, which some views are counted from
        try:
            with gc_paused():
                took_views = warm_views(kb)
        finally:
            del kb.__dict__["store"], store
        each = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in took_views.items())
        report("views", f"{each} ({took()})")
        phase("write", "writing the records, the causal web and the views")
        with (staging / KB_FILE).open("wb") as handle, gc_paused():
            _Pickler(handle, protocol=5).dump(kb)
            handle.flush()
            os.fsync(handle.fileno())
        reviews = _reviews(kb, paths)
        _copy_guidance(paths, reviews, staging)
        if content_hash(paths) != digest:
            raise CausalWebError(
                "the data changed while the index was being built; the old index is kept. Run "
                "`causal-web index` again once the files are saved."
            )
        manifest.update(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "causal_web_version": _version(),
                "pyoxigraph_version": ox.__version__,
                "python_version": platform.python_version(),
                "base_iri": kb.base_iri,
                "content_hash": digest,
                "reviews": reviews,
                "counts": {
                    "cmocs": len(dataset.cmocs),
                    "links": len(dataset.links),
                    "mechanisms": len(dataset.mechanisms),
                    "concepts": len(dataset.concepts),
                    "sources": len(dataset.sources),
                    "quads": stored,
                    "web_nodes": web.node_count(),
                    "web_edges": web.edge_count(),
                },
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "build_seconds": round(time.perf_counter() - started, 2),
            }
        )
        write_file_atomic(staging / MANIFEST_FILE, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        report("write", f"index written ({took()}); swapping it in")

    replace_folder(Path(out), {}, check=fill)
    return manifest


def _ontology(kb: Any) -> tuple[bytes, str]:
    from causal_web.resources import ontology_file

    return ontology_file().read_bytes(), kb.iris.graph("ontology")


def _version() -> str:
    import causal_web

    return causal_web.__version__
