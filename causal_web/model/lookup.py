"""Lookups derived from a loaded dataset, built once and kept on it: the concept hierarchy
downwards and, per slot, which CMOCs use a concept.

A dataset is read-only once loaded. Each lookup is kept in the dataset's memo with the identity
and size of the tables it was built from, so a table replaced or grown (a test that builds a
dataset by hand, the synthetic writer) gets a fresh lookup instead of a stale one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import Any, TypeVar

from causal_web.model.records import CMOC, SLOT_NAMES, Dataset

__all__ = [
    "VIEW_CACHE_ENTRIES",
    "children",
    "cmocs_using",
    "in_listing_order",
    "kept_view",
    "memo",
    "narrower",
]

T = TypeVar("T")


def memo(dataset: Dataset, name: str, tables: tuple[Any, ...], build: Callable[[], T]) -> T:
    """``build()``, kept on ``dataset`` under ``name`` until one of ``tables`` changes size or
    is replaced."""
    key = tuple((id(t), len(t)) for t in tables)
    kept = dataset._memo.get(name)
    if kept is not None and kept[0] == key:
        return kept[1]
    value = build()
    dataset._memo[name] = (key, value)
    return value


def _children(dataset: Dataset) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for concept in dataset.concepts.values():
        for parent in concept.broader:
            found.setdefault(parent, []).append(concept.id)
    return found


def children(dataset: Dataset) -> dict[str, list[str]]:
    """Concept ID to the IDs of the concepts directly narrower than it (shared: do not change)."""
    return memo(dataset, "children", (dataset.concepts,), lambda: _children(dataset))


def narrower(dataset: Dataset, concept_id: str) -> frozenset[str]:
    """The concept and every concept below it, kept per concept."""
    table: dict[str, frozenset[str]] = memo(dataset, "narrower", (dataset.concepts,), dict)
    found = table.get(concept_id)
    if found is None:
        down = children(dataset)
        seen, todo = {concept_id}, [concept_id]
        while todo:
            for child in down.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        found = table[concept_id] = frozenset(seen)
    return found


def _ranked(dataset: Dataset) -> tuple[list[CMOC], dict[int, int]]:
    """The CMOCs in listing order (phase order, then ID), and each one's place by ``id()``."""
    order = {p: dataset.phases[p].order for p in dataset.phases}
    ordered = sorted(dataset.cmocs.values(), key=lambda c: (order.get(c.phase, 0), c.id))
    return ordered, {id(c): i for i, c in enumerate(ordered)}


def in_listing_order(dataset: Dataset, cmocs: list[CMOC]) -> list[CMOC]:
    """``cmocs`` sorted by phase order, then ID; cheap when they are nearly in that order."""
    _ordered, place = memo(dataset, "ranked", (dataset.cmocs, dataset.phases), lambda: _ranked(dataset))
    keys = list(map(place.__getitem__, map(id, cmocs)))
    if all(a < b for a, b in pairwise(keys)):
        return list(cmocs)
    return [c for _k, c in sorted(zip(keys, cmocs, strict=True), key=lambda pair: pair[0])]


def _postings(dataset: Dataset) -> tuple[list[CMOC], dict[str, dict[str, list[int]]]]:
    ordered, _place = memo(dataset, "ranked", (dataset.cmocs, dataset.phases), lambda: _ranked(dataset))
    by_slot: dict[str, dict[str, list[int]]] = {name: {} for name in SLOT_NAMES}
    for position, cmoc in enumerate(ordered):
        for name in SLOT_NAMES:
            slot = by_slot[name]
            for part in getattr(cmoc, name):
                if part.concept is not None:
                    postings = slot.setdefault(part.concept, [])
                    if not postings or postings[-1] != position:
                        postings.append(position)
    return ordered, by_slot


def cmocs_using(dataset: Dataset, concepts: Iterable[str], slots: Iterable[str] = SLOT_NAMES) -> list[CMOC]:
    """The CMOCs with any of ``concepts`` coded in any of ``slots``, in listing order."""
    ordered, by_slot = memo(dataset, "postings", (dataset.cmocs,), lambda: _postings(dataset))
    wanted = set(concepts)
    positions: set[int] = set()
    for name in slots:
        slot = by_slot[name]
        for concept in wanted:
            positions.update(slot.get(concept, ()))
    return [ordered[i] for i in sorted(positions)]


VIEW_CACHE_ENTRIES = 20_000


def kept_view(dataset: Dataset, key: tuple, build: Callable[[], T]) -> T:
    """``build()`` for ``key`` (for example a record as the API serves it), kept on ``dataset``.

    At most :data:`VIEW_CACHE_ENTRIES` views are kept; when full, the older half is dropped.
    The view is shared between callers: read it, do not change it.
    """
    views: dict = dataset._memo.setdefault("views", {})
    found = views.get(key)
    if found is None:
        if len(views) >= VIEW_CACHE_ENTRIES:
            for old in list(views)[: VIEW_CACHE_ENTRIES // 2]:
                del views[old]
        found = views[key] = build()
    return found
