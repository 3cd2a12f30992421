"""The search under chain tracing: the time budget's clock, distances to the target and the
views of the web worked out once for it (see :mod:`causal_web.web.chains`)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

from causal_web.web.graph import CausalWeb, HopEvidence

__all__ = [
    "Distances",
    "SearchClock",
    "cached_distances",
    "distances_to",
    "keep_distances",
    "on_path",
    "passes_via",
    "path_of",
    "reverse_of_findings",
]

# Units of work (hops looked at, or their equivalent) between two readings of the clock.
CHECK_EVERY = 1024


class SearchClock:
    """The time budget, read every ``CHECK_EVERY`` units of work and once at the start, so that a
    question of a few hundred hops never reads the clock after it has begun and a zero budget
    stops before any work. A unit is a hop looked at in the search; the joins and the chains built
    after it are charged in the same units (see :mod:`causal_web.web.chains`)."""

    __slots__ = ("deadline", "next_check", "work")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.work = 0
        self.next_check = 0

    def spent(self, work: int) -> bool:
        self.work += work
        if self.work < self.next_check:
            return False
        self.next_check = self.work + CHECK_EVERY
        return time.perf_counter() >= self.deadline


def distances_to(
    reverse: dict[str, Iterable[str]],
    targets: set[str],
    last: int,
    clock: SearchClock,
    keep: Callable[[str, str], bool] | None = None,
) -> dict[str, int] | None:
    """How many hops each concept is from ``targets`` over the hops of ``reverse`` (concept to
    the concepts with a hop to it) that ``keep`` keeps (all if None), for the concepts at most
    ``last`` hops away; None when the time budget ran out first."""
    distance = dict.fromkeys(targets, 0)
    queue = deque(targets)
    if clock.spent(0):
        return None
    while queue:
        node = queue.popleft()
        step = distance[node] + 1
        if step > last:
            continue
        before = reverse.get(node, ())
        if clock.spent(len(before)):  # type: ignore[arg-type]
            return None
        for prev in before:
            if prev not in distance and (keep is None or keep(prev, node)):
                distance[prev] = step
                queue.append(prev)
    return distance


_DISTANCE_MAPS = 64  # distance maps kept per web, the most recent
_KEEPING = threading.Lock()  # API requests run in threads; one of them trims the kept maps at a time


class Distances:
    """A distance map, and for each distance the set of concepts at most that far: the search
    intersects it with the hops out of a concept rather than reading them one by one."""

    __slots__ = ("_near", "hops")

    def __init__(self, hops: dict[str, int]) -> None:
        self.hops = hops
        self._near: dict[int, frozenset[str]] = {}

    def near(self, most: int) -> frozenset[str]:
        found = self._near.get(most)
        if found is None:
            found = self._near[most] = frozenset(c for c, d in self.hops.items() if d <= most)
        return found


def cached_distances(web: CausalWeb, ends: set[str], depth: int, mode: tuple | None) -> Distances | None:
    if mode is None:
        return None
    return web.derived.get("distances", {}).get((frozenset(ends), depth, mode))


def keep_distances(web: CausalWeb, ends: set[str], depth: int, mode: tuple, distance: Distances) -> None:
    with _KEEPING:
        kept = web.derived.setdefault("distances", {})
        kept[frozenset(ends), depth, mode] = distance
        while len(kept) > _DISTANCE_MAPS:
            kept.pop(next(iter(kept)), None)


def reverse_of_findings(web: CausalWeb, min_sources: int) -> dict[str, tuple[str, ...]]:
    """``web.reverse`` over the hops that stand on a finding with ``min_sources`` (0 or 1) sources
    left once non-findings are set aside; worked out once per web."""
    key = ("reverse-findings", min_sources)
    found = web.derived.get(key)
    if found is None:
        hops = web.hops
        found = {}
        for v, us in web.reverse.items():
            kept = tuple(
                u for u in us if (h := hops[u][v].restricted(None, False)) and h.n_sources >= min_sources
            )
            if kept:
                found[v] = kept
        web.derived[key] = found
    return found


def path_of(entry: tuple) -> list[HopEvidence]:
    path = []
    while entry[1] is not None:
        path.append(entry[1])
        entry = entry[2]
    path.reverse()
    return path


def on_path(entry: tuple | None, concept: str) -> bool:
    while entry is not None:
        if entry[0] == concept:
            return True
        entry = entry[2]
    return False


def passes_via(path: list[HopEvidence], via_set: set[str]) -> bool:
    return any(
        hop.source in via_set or hop.target in via_set or not via_set.isdisjoint(hop.through) for hop in path
    )
