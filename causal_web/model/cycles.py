"""Cycles among single-valued references (a phase's ``previous``, a source's ``part_of``).

Each such reference points at most one step up, so a record is on a cycle when following the
references from it comes back to it. Walking each chain once, and remembering where every
walk ended, keeps this linear in the number of records.
"""

from __future__ import annotations

from collections.abc import Mapping

from causal_web.model.validation import ValidationReport

__all__ = ["check_reference_cycles", "records_on_cycles"]


def records_on_cycles(parent: Mapping[str, str]) -> list[str]:
    """The IDs that sit on a cycle of ``parent`` links (ID to the ID it refers to), sorted."""
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    on_cycle: set[str] = set()
    for start in parent:
        walk = []
        node: str | None = start
        while node is not None and node in parent and node not in state:
            state[node] = 1
            walk.append(node)
            node = parent.get(node) or None
        if node is not None and state.get(node) == 1:
            # the walk came back to one of its own: that node and those after it are the cycle
            on_cycle.update(walk[walk.index(node) :])
        for done in walk:
            state[done] = 2
    return sorted(on_cycle)


def check_reference_cycles(
    parent: Mapping[str, str], file: str, field: str, kind: str, report: ValidationReport
) -> None:
    """Add a problem for each record on a cycle of ``field`` references."""
    for record in records_on_cycles(parent):
        report.add(
            "reference.cycle",
            file,
            record,
            field,
            f"{kind} {record!r} comes back to itself through its {field!r} references "
            f"({record} -> {parent[record]} -> ...). Break the cycle: one {kind} must come first.",
        )
