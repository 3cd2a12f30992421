"""The readiness diagnostic: its instrument (a data file), answer checking, scoring and the
maturity profile. Derived from the CMOCs, not the study's survey (docs/guidance.md).

Scoring, in short: an item answered ``a`` on the 1-5 scale scores ``a`` when agreeing with it
enables what it bears on and ``6 - a`` when it constrains it. A mechanism's score is the mean of
its items' scores weighted by each item's independent evidence bases; below ``at_risk_below`` the
mechanism is at risk. A maturity domain pools its mechanisms' items the same way, and its level is
the band of the 1-5 scale its score falls in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from causal_web.errors import CausalWebError
from causal_web.guidance.evidence import pooled_bases
from causal_web.guidance.files import GuidanceDataError, cited_exists, guidance_file, read_guidance, require
from causal_web.model.records import Dataset, PartRef

__all__ = [
    "DIRECTIONS",
    "AnswerError",
    "Instrument",
    "Item",
    "check_answers",
    "no_instrument",
    "read_instrument",
    "score_answers",
]

DIRECTIONS = ("enables", "constrains")
_READ = re.compile(r"^(?P<record>\S+) (?P<slot>[a-z_]+)\[(?P<index>\d+)\]$")
_FILE = "guidance/diagnostic.yaml"


class AnswerError(CausalWebError, ValueError):
    """Answers that cannot be scored; ``problems`` lists ``(item, message)`` for each, in order."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        self.item = problems[0][0]
        super().__init__("; ".join(message for _item, message in problems))


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: str
    mechanism: str
    reads: tuple[tuple[str, PartRef], ...]
    toward: str
    direction: str
    direction_inferred: bool
    also: tuple[str, ...]
    notes: str
    bases: tuple[str, ...]
    concepts: tuple[str, ...] = ()  # the coded concepts of the parts it reads (for links to the web)

    @property
    def cmocs(self) -> list[str]:
        return list(dict.fromkeys([cmoc for cmoc, _ref in self.reads] + list(self.also)))

    @property
    def weight(self) -> int:
        """The item's weight: the independent evidence bases of the records it cites."""
        return len(self.bases)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "mechanism": self.mechanism,
            "cmocs": self.cmocs,
            "reads": [f"{cmoc} {ref}" for cmoc, ref in self.reads],
            "toward": self.toward,
            "direction": self.direction,
            "direction_inferred": self.direction_inferred,
            "reverse_scored": self.direction == "constrains",
            "weight": self.weight,
            "bases": list(self.bases),
            "concepts": list(self.concepts),
            "notes": self.notes,
        }


@dataclass(slots=True)
class Instrument:
    id: str
    label: str
    gap: str
    scale_min: int
    scale_max: int
    scale_labels: list[str]
    at_risk_below: float
    mechanisms: dict[str, dict]
    items: dict[str, Item]
    maturity: dict

    def header(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "derived": True,
            "notice": f"{self.label}: items derived from the CMOCs of the causal web. The study's own "
            f"survey is not transcribed (coverage ledger: {self.gap}).",
            "gap": self.gap,
            "scale": {"min": self.scale_min, "max": self.scale_max, "labels": self.scale_labels},
            "at_risk_below": self.at_risk_below,
        }


def _reads(dataset: Dataset, raw: object, item_id: str) -> tuple[tuple[str, PartRef], ...]:
    if not isinstance(raw, list) or not raw:
        raise GuidanceDataError(_FILE, item_id, "reads", "must list at least one 'CMOC slot[i]'")
    found = []
    for index, text in enumerate(raw):
        match = _READ.match(str(text))
        if match is None:
            raise GuidanceDataError(_FILE, item_id, f"reads[{index}]", f"{text!r} is not 'CMOC-ID slot[i]'")
        cmoc = dataset.cmocs.get(match["record"])
        if cmoc is None:
            raise GuidanceDataError(_FILE, item_id, f"reads[{index}]", f"unknown CMOC {match['record']!r}")
        ref = PartRef(match["slot"], int(match["index"]))
        if cmoc.part(ref) is None:
            raise GuidanceDataError(_FILE, item_id, f"reads[{index}]", f"{cmoc.id} has no part {ref}")
        found.append((cmoc.id, ref))
    return tuple(found)


def read_instrument(dataset: Dataset, data_dir: Path) -> Instrument:
    """The diagnostic of ``guidance/diagnostic.yaml``, checked against ``dataset``."""
    data = read_guidance(guidance_file(data_dir, "diagnostic.yaml"), ("instrument", "mechanisms", "items"))
    head = data["instrument"]
    scale = require(head, "scale", dict, _FILE, "instrument")
    mechanisms: dict[str, dict] = {}
    for index, raw in enumerate(require(data, "mechanisms", list, _FILE, "")):
        mechanism_id = require(raw, "id", str, _FILE, f"mechanisms[{index}]")
        mechanisms[mechanism_id] = {
            "id": mechanism_id,
            "label": require(raw, "label", str, _FILE, mechanism_id),
            "group": str(raw.get("group") or ""),
        }
    items: dict[str, Item] = {}
    for index, raw in enumerate(require(data, "items", list, _FILE, "")):
        item_id = require(raw, "id", str, _FILE, f"items[{index}]")
        if item_id in items:
            raise GuidanceDataError(_FILE, item_id, "id", "duplicate item ID")
        mechanism = require(raw, "mechanism", str, _FILE, item_id)
        if mechanism not in mechanisms:
            raise GuidanceDataError(_FILE, item_id, "mechanism", f"unknown mechanism {mechanism!r}")
        toward = require(raw, "toward", str, _FILE, item_id)
        if toward not in dataset.concepts:
            raise GuidanceDataError(_FILE, item_id, "toward", f"unknown concept {toward!r}")
        direction = require(raw, "direction", str, _FILE, item_id)
        if direction not in DIRECTIONS:
            raise GuidanceDataError(_FILE, item_id, "direction", f"must be one of {', '.join(DIRECTIONS)}")
        also = tuple(raw.get("also") or ())
        for cited in also:
            if not cited_exists(dataset, cited):
                raise GuidanceDataError(_FILE, item_id, "also", f"unknown record {cited!r}")
        reads = _reads(dataset, raw.get("reads"), item_id)
        cmocs = list(dict.fromkeys([c for c, _r in reads] + list(also)))
        items[item_id] = Item(
            item_id,
            require(raw, "text", str, _FILE, item_id),
            mechanism,
            reads,
            toward,
            direction,
            bool(raw.get("direction_inferred", False)),
            also,
            str(raw.get("notes") or ""),
            pooled_bases(dataset, cmocs),
            tuple(
                dict.fromkeys(
                    p.concept for c, r in reads if (p := dataset.cmocs[c].part(r)) is not None and p.concept
                )
            ),
        )
    maturity = dict(data.get("maturity") or {})
    for index, domain in enumerate(maturity.get("domains") or []):
        for mechanism in domain.get("mechanisms") or []:
            if mechanism not in mechanisms:
                raise GuidanceDataError(
                    _FILE, f"maturity.domains[{index}]", "mechanisms", f"unknown {mechanism!r}"
                )
        for cited in domain.get("cites") or []:
            if not cited_exists(dataset, cited):
                raise GuidanceDataError(
                    _FILE, f"maturity.domains[{index}]", "cites", f"unknown record {cited!r}"
                )
    return Instrument(
        require(head, "id", str, _FILE, "instrument"),
        require(head, "label", str, _FILE, "instrument"),
        str(head.get("gap") or ""),
        require(scale, "min", int, _FILE, "instrument.scale"),
        require(scale, "max", int, _FILE, "instrument.scale"),
        list(scale.get("labels") or []),
        float(head.get("at_risk_below", 3.0)),
        mechanisms,
        items,
        maturity,
    )


def no_instrument() -> Instrument:
    """For a data folder without ``guidance/diagnostic.yaml``: an instrument with no items."""
    return Instrument(
        "none",
        "No diagnostic (this data folder has no guidance/diagnostic.yaml)",
        "",
        1,
        5,
        [],
        3.0,
        {},
        {},
        {},
    )


def check_answers(instrument: Instrument, answers: object) -> dict[str, int]:
    """The answers as whole numbers on the scale, or :class:`AnswerError` naming each bad item:
    an unknown item ID, a value that is not a number, a number off the scale, a missing item."""
    low, high = instrument.scale_min, instrument.scale_max
    if not isinstance(answers, Mapping):
        raise AnswerError([("", f"answers must map each item ID to a number from {low} to {high}")])
    problems: list[tuple[str, str]] = []
    for key in answers:
        if key not in instrument.items:
            problems.append((str(key), f"unknown item ID {str(key)!r}: this instrument has no such item"))
    checked: dict[str, int] = {}
    for item_id in instrument.items:
        if item_id not in answers:
            problems.append((item_id, f"item {item_id} is not answered"))
            continue
        value = answers[item_id]
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append((item_id, f"item {item_id}: {value!r} is not a number (answer {low} to {high})"))
        elif value != int(value) or not low <= value <= high:
            problems.append(
                (
                    item_id,
                    f"item {item_id}: {value!r} is out of range (answer a whole number {low} to {high})",
                )
            )
        else:
            checked[item_id] = int(value)
    if problems:
        raise AnswerError(problems)
    return checked


def _weighted(instrument: Instrument, scored: dict[str, int], item_ids: list[str]) -> float | None:
    total = sum(instrument.items[i].weight for i in item_ids)
    if not total:
        return None
    return round(sum(instrument.items[i].weight * scored[i] for i in item_ids) / total, 2)


def _level(instrument: Instrument, value: float | None) -> dict:
    levels = sorted(instrument.maturity.get("levels") or [], key=lambda lv: lv["from"])
    if value is None or not levels:
        return {"level": None, "label": "no items"}
    found = levels[0]
    for level in levels:
        if value >= level["from"]:
            found = level
    return {"level": found["level"], "label": found["label"]}


def score_answers(instrument: Instrument, dataset: Dataset, answers: object) -> dict:
    """Score checked answers: items, mechanisms (with those at risk), and the maturity profile.

    Action prompts are attached by :func:`causal_web.guidance.query.diagnose`."""
    given = check_answers(instrument, answers)
    high = instrument.scale_max + instrument.scale_min
    scored = {
        i: (value if instrument.items[i].direction == "enables" else high - value)
        for i, value in given.items()
    }
    items = [
        {
            **item.to_dict(),
            "answer": given[item.id],
            "score": scored[item.id],
            "weak": scored[item.id] < instrument.at_risk_below,
        }
        for item in instrument.items.values()
    ]
    mechanisms = []
    for mechanism in instrument.mechanisms.values():
        ids = [i for i, item in instrument.items.items() if item.mechanism == mechanism["id"]]
        value = _weighted(instrument, scored, ids)
        cmocs = list(dict.fromkeys(c for i in ids for c in instrument.items[i].cmocs))
        chains = [n.id for n in dataset.nestings.values() if n.source in cmocs or n.target in cmocs]
        mechanisms.append(
            {
                **mechanism,
                "score": value,
                "at_risk": value is not None and value < instrument.at_risk_below,
                "items": ids,
                "weak_items": [i for i in ids if scored[i] < instrument.at_risk_below],
                "weight": sum(instrument.items[i].weight for i in ids),
                "cmocs": cmocs,
                "chains": chains,
            }
        )
    maturity = []
    for domain in instrument.maturity.get("domains") or []:
        ids = [i for i, item in instrument.items.items() if item.mechanism in domain["mechanisms"]]
        value = _weighted(instrument, scored, ids)
        maturity.append(
            {
                "id": domain["id"],
                "label": domain["label"],
                "mechanisms": list(domain["mechanisms"]),
                "cites": list(domain.get("cites") or []),
                "score": value,
                **{
                    f"level{'_label' if k == 'label' else ''}": v
                    for k, v in _level(instrument, value).items()
                },
            }
        )
    return {
        "instrument": instrument.header(),
        "items": items,
        "mechanisms": mechanisms,
        "at_risk": [m["id"] for m in mechanisms if m["at_risk"]],
        "maturity": {
            "label": instrument.maturity.get("label", "Maturity profile (derived)"),
            "derived": True,
            "gap": instrument.maturity.get("gap", ""),
            "levels": instrument.maturity.get("levels") or [],
            "domains": maturity,
        },
    }
