"""The compact storage behind the causal web: one shared row per record, packed evidence items.

Every record behind an edge or a hop is stored once, as a row of a :class:`RecordTable` (its ID,
kind, phase, sources, evidence bases, citation). An evidence item (one record behind one edge or
hop) is two unsigned 64-bit integers in an :class:`array.array`, naming the record's row, the
interned labels of the two parts, the interned relation, the valence and the inferred flag.
:class:`~causal_web.web.graph.EdgeEvidence` tuples are made from them only when asked for.

A :class:`HopEvidence` keeps its packed items and a few numbers worked out once (distinct
sources and bases, phases, flags, the records that take part in a nesting), so that chain
tracing can test and rank hops without unpacking them.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import NamedTuple

__all__ = ["EXCLUDED_BY_DEFAULT", "VALENCE_KEYS", "EdgeEvidence", "HopEvidence", "RecordTable"]

# Record kinds that are not findings: left out of chains unless asked for.
EXCLUDED_BY_DEFAULT = frozenset({"background", "aggregate"})
VALENCE_KEYS = ("+", "-", "unspecified")
_VALENCE_CODE = {value: code for code, value in enumerate(VALENCE_KEYS)}

# Row fields (a row is a plain tuple, shared by every item of the record).
RECORD, KIND, RECORD_KIND, PHASE, SOURCES, BASES, CITATION, INCOMPLETE, EXCLUDED = range(9)

# Hop flags.
_INFERRED_ALL, _INCOMPLETE_ANY, _HAS_FINDING, _HAS_EXCLUDED, _KEPT = 1, 2, 4, 8, 16
_NONE: tuple[str, ...] = ()
_NO_IDS: frozenset[str] = frozenset()


class EdgeEvidence(NamedTuple):
    """One record behind an edge or hop. A tuple, so that it serialises as JSON."""

    record: str
    kind: str  # "cmoc" or "link"
    record_kind: str  # the record's own kind: cmoc, background, stated, aggregate, ...
    phase: str
    sources: tuple[str, ...]
    bases: tuple[str, ...]
    cause_label: str
    effect_label: str
    citation: str
    valence: str  # "+", "-" or "unspecified"
    relation: str  # enables | constrains | generates, or the link's relation
    inferred: bool
    incomplete: bool


class RecordTable:
    """The records behind a web, one row each, with the interned part labels and relations."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.labels: list[str] = []
        self.relations: list[str] = []
        self._label_codes: dict[str, int] = {}
        self._relation_codes: dict[str, int] = {}

    def add_row(self, row: tuple) -> int:
        self.rows.append(row)
        return len(self.rows) - 1

    def pack(
        self, row: int, cause_label: str, effect_label: str, valence: str, relation: str, inferred: bool
    ) -> tuple[int, int]:
        """One evidence item as two integers."""
        labels = self._label_codes
        cause = labels.get(cause_label)
        if cause is None:
            cause = labels[cause_label] = len(self.labels)
            self.labels.append(cause_label)
        effect = labels.get(effect_label)
        if effect is None:
            effect = labels[effect_label] = len(self.labels)
            self.labels.append(effect_label)
        code = self._relation_codes.get(relation)
        if code is None:
            code = self._relation_codes[relation] = len(self.relations)
            self.relations.append(relation)
        return (row << 16) | (code << 3) | (_VALENCE_CODE[valence] << 1) | inferred, (cause << 32) | effect

    def done(self) -> None:
        """Drop the build-time lookups."""
        self._label_codes = {}
        self._relation_codes = {}

    def unpack(self, head: int, labels: int) -> EdgeEvidence:
        row = self.rows[head >> 16]
        return EdgeEvidence(
            row[RECORD],
            row[KIND],
            row[RECORD_KIND],
            row[PHASE],
            row[SOURCES],
            row[BASES],
            self.labels[labels >> 32],
            self.labels[labels & 0xFFFFFFFF],
            row[CITATION],
            VALENCE_KEYS[(head >> 1) & 3],
            self.relations[(head >> 3) & 0x1FFF],
            bool(head & 1),
            row[INCOMPLETE],
        )

    def items(self, packed: array) -> Iterator[EdgeEvidence]:
        for index in range(0, len(packed), 2):
            yield self.unpack(packed[index], packed[index + 1])

    def relation_of(self, head: int) -> str:
        return self.relations[(head >> 3) & 0x1FFF]


def row_of(head: int) -> int:
    return head >> 16


def row_numbers(packed: array) -> set[int]:
    """The record rows a packed item array names (each item is two integers, the first
    holding the row number), each once."""
    return {head >> 16 for head in packed[::2]}


def valence_of(head: int) -> str:
    return VALENCE_KEYS[(head >> 1) & 3]


def count_packed(
    table: RecordTable, packed: array, counts: dict[str, int], seen: set[tuple[int, int]]
) -> None:
    """Add the records of ``packed`` to ``counts`` by stated valence, each (record, valence) once.
    Records are told apart by ID, as :func:`~causal_web.web.graph.count_valences` does."""
    rows = table.rows
    for index in range(0, len(packed), 2):
        head = packed[index]
        key = (rows[head >> 16][RECORD], (head >> 1) & 3)
        if key not in seen:
            seen.add(key)
            counts[VALENCE_KEYS[key[1]]] += 1


class HopEvidence:
    """Everything that supports one concept-to-concept step of a chain, packed.

    ``records``, ``sources``, ``bases``, ``phases``, ``evidence`` and the valence counts are
    worked out from the packed items when read; ``n_sources`` and ``n_bases`` are kept.
    """

    __slots__ = (
        "_findings",
        "_flags",
        "_items",
        "_phases",
        "_table",
        "n_bases",
        "n_sources",
        "nest_in",
        "nest_out",
        "source",
        "target",
        "through",
    )

    def __init__(
        self,
        source: str,
        target: str,
        table: RecordTable,
        items: array,
        through: tuple[str, ...],
        nesting_ids: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
        kept: bool = False,
    ) -> None:
        self.source = source
        self.target = target
        self.through = through  # the mechanisms the hop works through, sorted
        self._table = table
        self._items = items
        self._findings: HopEvidence | bool | None = False
        rows = table.rows
        seen: dict[int, None] = {}
        inferred_all = True
        for index in range(0, len(items), 2):
            head = items[index]
            seen[head >> 16] = None
            inferred_all = inferred_all and bool(head & 1)
        sources: set[str] = set()
        bases: set[str] = set()
        phases: set[str] = set()
        flags = (_INFERRED_ALL if items and inferred_all else 0) | (_KEPT if kept else 0)
        for number in seen:
            row = rows[number]
            sources.update(row[SOURCES])
            bases.update(row[BASES])
            phases.add(row[PHASE])
            if row[INCOMPLETE]:
                flags |= _INCOMPLETE_ANY
            flags |= _HAS_EXCLUDED if row[EXCLUDED] else _HAS_FINDING
        self.n_sources = len(sources)
        self.n_bases = len(bases)
        self._phases = tuple(sorted(phases))
        self._flags = flags
        # The records of the hop that a recorded nesting starts from or leads to (mostly none).
        out_ids, in_ids = nesting_ids
        ids = [rows[n][RECORD] for n in seen] if out_ids or in_ids else []
        self.nest_out = tuple(dict.fromkeys(r for r in ids if r in out_ids)) or _NONE
        self.nest_in = frozenset(r for r in ids if r in in_ids) or _NO_IDS

    def __reduce__(self) -> tuple[object, tuple[tuple]]:
        # One call with the slot values: an index of 100k CMOCs unpickles about 160k hops, and
        # this is some 40% cheaper than a state dict set attribute by attribute. The findings-only
        # copy is a cache (and may be the hop itself), so it is worked out again when asked for.
        values = tuple(False if name == "_findings" else getattr(self, name) for name in self.__slots__)
        return _restore_hop, (values,)

    def __setstate__(self, state: tuple[None, dict]) -> None:  # indexes pickled with a state dict
        for name, value in state[1].items():
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"HopEvidence({self.source!r}, {self.target!r}, records={self.records!r})"

    # -- the records ------------------------------------------------------------------------

    def _rows(self) -> list[tuple]:
        rows = self._table.rows
        items = self._items
        return [rows[n] for n in dict.fromkeys(head >> 16 for head in items[::2])]  # in item order

    @property
    def records(self) -> list[str]:
        """Record IDs, in the order they were added, each once."""
        return list(dict.fromkeys(row[RECORD] for row in self._rows()))

    @property
    def mechanisms(self) -> frozenset[str]:
        return frozenset(self.through)

    @property
    def sources(self) -> set[str]:
        return {s for row in self._rows() for s in row[SOURCES]}

    @property
    def bases(self) -> set[str]:
        return {b for row in self._rows() for b in row[BASES]}

    @property
    def phases(self) -> set[str]:
        return set(self._phases)

    @property
    def evidence(self) -> list[EdgeEvidence]:
        return list(self._table.items(self._items))

    def __len__(self) -> int:
        return len(self._items) // 2

    # -- what the records say -----------------------------------------------------------------

    @property
    def valence_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(VALENCE_KEYS, 0)
        count_packed(self._table, self._items, counts, set())
        return counts

    @property
    def valence(self) -> str:
        from causal_web.web.graph import summary_valence

        return summary_valence(self.valence_counts)

    @property
    def record_kinds(self) -> list[str]:
        return sorted({row[RECORD_KIND] for row in self._rows()})

    @property
    def inferred(self) -> bool:
        """True when every record behind the hop rests on a curator's inference."""
        return bool(self._flags & _INFERRED_ALL)

    @property
    def incomplete(self) -> bool:
        return bool(self._flags & _INCOMPLETE_ANY)

    @property
    def flagged(self) -> bool:
        """Inferred or incomplete: ranks a chain lower."""
        return bool(self._flags & (_INFERRED_ALL | _INCOMPLETE_ANY))

    @property
    def kept(self) -> bool:
        """True for the hops the web keeps (its own and their findings-only copies), which
        live as long as the web and so may be looked up by identity."""
        return bool(self._flags & _KEPT)

    # -- filtered copies ----------------------------------------------------------------------

    def restricted(self, phases: set[str] | None, include_background: bool = True) -> HopEvidence | None:
        """This hop with only the evidence of ``phases`` (None: all), without non-findings
        unless ``include_background``; None if nothing is left."""
        keep_all_phases = phases is None or all(p in phases for p in self._phases)
        if keep_all_phases and include_background:
            return self
        if keep_all_phases:
            if self._findings is False:
                self._findings = self._without_background()
            return self._findings  # type: ignore[return-value]
        return self._keeping(
            lambda row: row[PHASE] in phases and (include_background or not row[EXCLUDED])  # type: ignore[operator]
        )

    def _without_background(self) -> HopEvidence | None:
        if not self._flags & _HAS_EXCLUDED:
            return self
        if not self._flags & _HAS_FINDING:
            return None
        return self._keeping(lambda row: not row[EXCLUDED], kept=bool(self._flags & _KEPT))

    def _keeping(self, keep: object, kept: bool = False) -> HopEvidence | None:
        """A copy of this hop with only the items whose record row passes ``keep``."""
        rows = self._table.rows
        items = self._items
        packed = array("Q")
        for index in range(0, len(items), 2):
            if keep(rows[items[index] >> 16]):  # type: ignore[operator]
                packed.append(items[index])
                packed.append(items[index + 1])
        if not packed:
            return None
        return HopEvidence(
            self.source, self.target, self._table, packed, self.through, (self.nest_out, self.nest_in), kept
        )

    def has_finding(self) -> bool:
        return bool(self._flags & _HAS_FINDING)


def _restore_hop(values: tuple) -> HopEvidence:
    """A pickled :class:`HopEvidence` back from its slot values (in ``__slots__`` order)."""
    hop = object.__new__(HopEvidence)
    (
        hop._findings,
        hop._flags,
        hop._items,
        hop._phases,
        hop._table,
        hop.n_bases,
        hop.n_sources,
        hop.nest_in,
        hop.nest_out,
        hop.source,
        hop.target,
        hop.through,
    ) = values
    return hop


def pack_all(pairs: Iterable[tuple[int, int]]) -> array:
    packed = array("Q")
    for head, labels in pairs:
        packed.append(head)
        packed.append(labels)
    return packed
