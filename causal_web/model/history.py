"""The audit trail of a record: who changed it, when, what they did and why.

A record's ``history`` is a list of events, oldest first, in the spirit of dismech's curation
events. ``causal-web import`` writes the first event of every record it creates; the RDF gives
each event as a PROV activity (docs/evidence.md).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # fields imports records, which imports this module
    from causal_web.model.fields import Reader

__all__ = ["HISTORY_FIELDS", "HistoryEvent", "history_of", "history_to_dicts", "import_event", "read_history"]

HISTORY_FIELDS = ("date", "by", "what", "why")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One change to a record."""

    date: str  # ISO 8601: a date, or a date and time
    by: str
    what: str  # import | reconcile | code | edit | ... : what was done
    why: str = ""


def read_history(reader: Reader) -> list[HistoryEvent]:
    """The ``history`` list of a record, reporting bad entries."""
    from causal_web.model.fields import read_items

    events = []
    for sub, _data in read_items(reader, "history"):
        sub.check_fields(HISTORY_FIELDS)
        date = sub.text("date", required=True)
        if date and not _DATE.match(date):
            sub.problem("schema.pattern", "date", f"date {date!r} must be ISO 8601, such as 2026-12-01.")
        by, what = sub.text("by", required=True), sub.text("what", required=True)
        events.append(HistoryEvent(date, by, what, sub.text("why")))
    return events


def history_to_dicts(events: list[HistoryEvent]) -> list[dict]:
    return [
        {k: v for k, v in (("date", e.date), ("by", e.by), ("what", e.what), ("why", e.why)) if v}
        for e in events
    ]


def import_event(
    sheet_name: str, by: str = "causal-web import", when: dt.datetime | None = None
) -> HistoryEvent:
    """The event ``causal-web import`` writes on every record it creates."""
    moment = (when or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    return HistoryEvent(
        moment.isoformat().replace("+00:00", "Z"), by, "import", f"read from the spreadsheet {sheet_name}"
    )


def history_of(dataset: object, record_id: str) -> list[HistoryEvent]:
    """The history of the record ``record_id`` (a CMOC, link or mechanism entry); raises
    :class:`~causal_web.errors.UnknownIdError` when there is no such record."""
    from causal_web.errors import UnknownIdError

    record = dataset.record(record_id)  # type: ignore[attr-defined]
    if record is None:
        known = [*dataset.cmocs, *dataset.links, *dataset.mechanisms]  # type: ignore[attr-defined]
        raise UnknownIdError("record", record_id, known)
    return list(getattr(record, "history", []))
