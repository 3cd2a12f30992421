"""Random valid records survive sheet -> import -> export -> import unchanged."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from causal_web.model.loading import load_dataset
from causal_web.model.records import SLOT_NAMES, Concept
from causal_web.sheets.export_sheet import export_sheet
from causal_web.sheets.importer import import_sheet
from causal_web.sheets.template import write_rows

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)
_LABEL = st.lists(_WORD, min_size=1, max_size=4).map(lambda words: " ".join(words).capitalize())
# None: the part is left uncoded (its cell reads "null"); "none" is a concept of _VOCABULARY
_CONCEPT = st.one_of(st.none(), st.just("none"), st.lists(_WORD, min_size=1, max_size=3).map("-".join))
_PART = st.tuples(_LABEL, _CONCEPT, st.sampled_from(["increase", "decrease", "unspecified"]))
_SLOTS = ("context", "mechanism", "mechanism_resource", "mechanism_response", "outcome", "intervention")
_FLAGS = ("incomplete", "split_inferred", "configuration_inferred", "ioc_types_inferred")
# a concept whose ID is a word a concept cell uses for "uncoded": with it in the vocabulary, a cell
# "none" is the concept none, and it must come back as that concept (a cell "null" still leaves the
# part uncoded, as does a generated word "null", which no concept has)
_VOCABULARY = [Concept("none", "None")]


@st.composite
def _row(draw: st.DrawFn, number: int) -> dict[str, str]:
    row = {"id": f"R-{number}", "phase": draw(st.sampled_from(["review", "refined"]))}
    if draw(st.booleans()):
        row["title"] = draw(_LABEL)
    if draw(st.booleans()):
        row["section"] = draw(_LABEL)
    if draw(st.booleans()):
        row["notes"] = draw(_LABEL)
    for slot in draw(st.lists(st.sampled_from(_SLOTS), min_size=1, max_size=3, unique=True)):
        parts = draw(st.lists(_PART, min_size=1, max_size=3))
        row[slot] = "\n".join(p[0] for p in parts)
        row[f"{slot}_concept"] = "; ".join(p[1] or "null" for p in parts)
        row[f"{slot}_polarity"] = "; ".join(p[2] for p in parts)
    refs = draw(
        st.lists(st.sampled_from(["Smith et al. 2019", "[12, 15]", "paper-a", "Jones 2020"]), unique=True)
    )
    row["sources"] = "\n".join(refs)
    iocs = draw(st.lists(st.sampled_from(["mandated", "integrative", "voluntary-network"]), unique=True))
    if iocs:
        row["ioc_types"] = "; ".join(iocs)
    flags = draw(st.lists(st.sampled_from(_FLAGS), unique=True))
    if flags:
        row["flags"] = draw(st.sampled_from([", ", "; "])).join(flags)
    return row


_ROWS = st.integers(min_value=1, max_value=5).flatmap(
    lambda n: st.tuples(*(_row(i) for i in range(1, n + 1)))
)


def _view(folder: Path) -> dict:
    dataset = load_dataset(folder)
    return {
        cid: (
            c.phase, c.title, c.citation.section, c.notes, c.statement,
            {s: [(p.label, p.concept, p.polarity.value) for p in c.slots(s)] for s in SLOT_NAMES},
            [(e.source, e.notes) for e in c.evidence],
            c.ioc_types,
            {f for f in _FLAGS if getattr(c, f)},
        )
        for cid, c in dataset.cmocs.items()
    }  # fmt: skip


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=_ROWS)
def test_sheet_import_export_import_is_stable(rows):
    work = Path(tempfile.mkdtemp())
    try:
        first_sheet = write_rows(work / "first.csv", list(rows))
        first = import_sheet(
            first_sheet, work / "first", vocabulary=_VOCABULARY, mint=False, shacl=False
        ).folder
        export_sheet(load_dataset(first), work / "again.xlsx")
        second = import_sheet(
            work / "again.xlsx", work / "second", vocabulary=_VOCABULARY, mint=False, shacl=False
        ).folder
        assert _view(second) == _view(first)
        # and the records are the rows as written
        view = _view(first)
        for row in rows:
            parts = view[row["id"]][5]
            for slot in _SLOTS:
                if slot in row:
                    assert [p[0] for p in parts[slot]] == row[slot].split("\n")
                    expected = [None if c == "null" else c for c in row[f"{slot}_concept"].split("; ")]
                    assert [p[1] for p in parts[slot]] == expected
            assert view[row["id"]][7] == (row["ioc_types"].split("; ") if "ioc_types" in row else [])
            # the row's flags: the sheet has a flags column, so an empty context, mechanism or
            # outcome cell does not mark the record incomplete by itself
            flags = set(row["flags"].replace(";", ",").split(", ")) if "flags" in row else set()
            assert view[row["id"]][8] == flags
    finally:
        shutil.rmtree(work)
