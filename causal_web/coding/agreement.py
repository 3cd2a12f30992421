"""Agreement between two coders who coded the same excerpts into two data folders.

**Unit of agreement.** CMOCs are matched by ID. For each CMOC both folders hold, each slot and
each position ``i`` below the larger of the two coders' part counts in that slot is one unit.
Each coder's category for a unit is the concept ID of their part ``i``, ``(uncoded)`` when that
part has ``concept: null``, or ``(absent)`` when the coder's slot has no part ``i``. A slot left
empty by both coders gives no unit. Percent agreement is the share of units whose two
categories are equal; Cohen's kappa is ``(p_o - p_e) / (1 - p_e)``, with ``p_o`` that share and
``p_e`` the sum over categories of the product of the two coders' marginal shares. Kappa is
undefined (``None``) when ``p_e`` is 1, i.e. both coders used one and the same category for
every unit. "overall" pools the units of every slot.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from causal_web.model.loading import load_dataset
from causal_web.model.records import SLOT_NAMES, Dataset, Part

__all__ = [
    "ABSENT",
    "UNCODED",
    "AgreementResult",
    "Disagreement",
    "SlotAgreement",
    "cohen_kappa",
    "compare_datasets",
    "compare_folders",
]

UNCODED = "(uncoded)"
ABSENT = "(absent)"


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of coder A's and coder B's categories, one pair per unit (``None`` when
    there are no units or chance agreement is 1)."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    count_a = Counter(a for a, _b in pairs)
    count_b = Counter(b for _a, b in pairs)
    expected = sum(count_a[k] * count_b[k] for k in count_a) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


@dataclass(frozen=True, slots=True)
class SlotAgreement:
    slot: str
    units: int
    agreed: int
    percent: float | None
    kappa: float | None

    def to_dict(self) -> dict:
        return {
            "slot": self.slot,
            "units": self.units,
            "agreed": self.agreed,
            "percent": self.percent,
            "kappa": self.kappa,
        }


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One unit the coders coded differently, with each coder's part (``None`` when absent)."""

    record: str
    slot: str
    index: int
    a: Part | None
    b: Part | None

    @staticmethod
    def category(part: Part | None) -> str:
        if part is None:
            return ABSENT
        return part.concept if part.concept is not None else UNCODED

    def describe(self, side: str) -> str:
        part = self.a if side == "a" else self.b
        return ABSENT if part is None else f"{part.label!r} -> {self.category(part)}"

    def to_dict(self) -> dict:
        def one(part: Part | None) -> dict | None:
            return (
                None
                if part is None
                else {"label": part.label, "concept": part.concept, "polarity": part.polarity.value}
            )

        return {
            "record": self.record,
            "slot": self.slot,
            "index": self.index,
            "a": one(self.a),
            "b": one(self.b),
            "category_a": self.category(self.a),
            "category_b": self.category(self.b),
        }


@dataclass(slots=True)
class AgreementResult:
    matched: int
    only_a: list[str]
    only_b: list[str]
    slots: list[SlotAgreement]
    overall: SlotAgreement
    disagreements: list[Disagreement] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "unit": "one part position of one slot of a CMOC both folders hold",
            "matched_records": self.matched,
            "only_a": self.only_a,
            "only_b": self.only_b,
            "slots": [s.to_dict() for s in self.slots],
            "overall": self.overall.to_dict(),
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


def _summary(slot: str, pairs: list[tuple[str, str]]) -> SlotAgreement:
    agreed = sum(1 for a, b in pairs if a == b)
    percent = 100.0 * agreed / len(pairs) if pairs else None
    return SlotAgreement(slot, len(pairs), agreed, percent, cohen_kappa(pairs))


def compare_datasets(a: Dataset, b: Dataset) -> AgreementResult:
    """Agreement of coder A's dataset with coder B's, by the units of the module docstring.

    Slots are reported when at least one unit falls in them, in ICAMO order.
    """
    shared = [record_id for record_id in a.cmocs if record_id in b.cmocs]
    per_slot: dict[str, list[tuple[str, str]]] = {slot: [] for slot in SLOT_NAMES}
    disagreements = []
    for record_id in shared:
        for slot in SLOT_NAMES:
            parts_a, parts_b = a.cmocs[record_id].slots(slot), b.cmocs[record_id].slots(slot)
            for index in range(max(len(parts_a), len(parts_b))):
                part_a = parts_a[index] if index < len(parts_a) else None
                part_b = parts_b[index] if index < len(parts_b) else None
                pair = (Disagreement.category(part_a), Disagreement.category(part_b))
                per_slot[slot].append(pair)
                if pair[0] != pair[1]:
                    disagreements.append(Disagreement(record_id, slot, index, part_a, part_b))
    slots = [_summary(slot, pairs) for slot, pairs in per_slot.items() if pairs]
    pooled = [pair for pairs in per_slot.values() for pair in pairs]
    return AgreementResult(
        matched=len(shared),
        only_a=sorted(set(a.cmocs) - set(b.cmocs)),
        only_b=sorted(set(b.cmocs) - set(a.cmocs)),
        slots=slots,
        overall=_summary("overall", pooled),
        disagreements=disagreements,
    )


def compare_folders(folder_a: str | Path, folder_b: str | Path) -> AgreementResult:
    """Load and validate both folders, then :func:`compare_datasets`."""
    return compare_datasets(load_dataset(folder_a), load_dataset(folder_b))
