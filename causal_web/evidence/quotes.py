"""Verified quotes (dismech's rule): every quote must appear verbatim in its source's text.

A source's text is the file its ``text:`` names (a path inside the data folder, such as
``texts/aunger-2021-review.txt``), or else its ``abstract:``. Before comparing, both sides are
normalised the same way: runs of whitespace become one space, curly and angled quotation marks
become straight ones, and every dash or hyphen becomes ``-``. Letters, case and punctuation are
otherwise compared as they are.

Quotes are exported as W3C Web Annotation ``TextQuoteSelector``s (exact, prefix, suffix), cut
from the source's own text so that annotation tools can anchor them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from causal_web.model.records import Dataset
from causal_web.model.validation import ValidationReport

__all__ = ["QuoteSelector", "check_quotes", "normalise_quote", "quote_selector", "read_source_texts"]

CONTEXT_CHARS = 32
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    }
)
_SPACE = re.compile(r"\s")


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text, and for each of its characters the index it came from."""
    chars: list[str] = []
    where: list[int] = []
    in_space = True  # drops leading whitespace
    for index, char in enumerate(text):
        if _SPACE.match(char) or char == "\u00a0":
            if not in_space:
                chars.append(" ")
                where.append(index)
            in_space = True
            continue
        in_space = False
        chars.append(char.translate(_TRANSLATE))
        where.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        where.pop()
    return "".join(chars), where


def normalise_quote(text: str) -> str:
    """Whitespace collapsed, quotation marks straightened, dashes made plain."""
    return _normalise_with_map(text)[0]


@dataclass(frozen=True, slots=True)
class QuoteSelector:
    """A Web Annotation TextQuoteSelector: the quote as the source words it, and its context."""

    exact: str
    prefix: str = ""
    suffix: str = ""


def quote_selector(quote: str, text: str | None, context: int = CONTEXT_CHARS) -> QuoteSelector | None:
    """The selector of ``quote`` in ``text``; with no text, the quote alone; None when the quote is
    not in the text."""
    if not text:
        return QuoteSelector(quote.strip())
    wanted = normalise_quote(quote)
    normal, where = _normalise_with_map(text)
    at = normal.find(wanted) if wanted else -1
    if at < 0:
        return None
    start, end = where[at], where[at + len(wanted) - 1] + 1
    return QuoteSelector(text[start:end], text[max(0, start - context) : start], text[end : end + context])


def read_source_texts(dataset: Dataset, folder: Path, report: ValidationReport) -> None:
    """Read each source's text into ``dataset.texts``: the ``text:`` file, or the abstract."""
    root = folder.resolve()
    for source in dataset.sources.values():
        if source.text:
            relative = PurePosixPath(source.text)
            path = (root / relative).resolve()
            if relative.is_absolute() or ".." in relative.parts or not path.is_relative_to(root):
                report.add(
                    "source.text",
                    "sources.yaml",
                    source.id,
                    "text",
                    f"{source.text!r} must be a path inside the data folder, such as texts/{source.id}.txt.",
                )
                continue
            if not path.is_file():
                report.add(
                    "source.text",
                    "sources.yaml",
                    source.id,
                    "text",
                    f"text file {source.text!r} not found in the data folder.",
                )
                continue
            try:
                dataset.texts[source.id] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                report.add(
                    "source.text", "sources.yaml", source.id, "text", f"cannot read {source.text!r}: {error}"
                )
        elif source.abstract:
            dataset.texts[source.id] = source.abstract


def _records(dataset: Dataset) -> list:
    tables = dataset.record_tables()
    return [record for table in tables for record in table.values()]


def check_quotes(dataset: Dataset, report: ValidationReport, strict: bool = False) -> int:
    """Report every quote that is not in its source's text (an error naming the record, the
    evidence item and the source); in ``strict`` mode, warn about quotes whose source has no
    text to check them against. Returns the number of quotes checked."""
    checked = 0
    for record in _records(dataset):
        for position, item in enumerate(record.evidence):
            if not item.quote:
                continue
            field_name = f"evidence[{position}].quote"
            text = dataset.texts.get(item.source)
            if text is None:
                if strict:
                    report.add(
                        "quote.unchecked",
                        record.file,
                        record.id,
                        field_name,
                        f"evidence[{position}] quotes source {item.source!r}, which has no text or "
                        "abstract to check it against.",
                        severity="warning",
                    )
                continue
            checked += 1
            if quote_selector(item.quote, text) is None:
                report.add(
                    "quote.not-in-source",
                    record.file,
                    record.id,
                    field_name,
                    f"{record.id} evidence[{position}]: the quote {_short(item.quote)!r} is not in "
                    f"the text of source {item.source!r}, even after normalising whitespace, quotation marks "
                    "and dashes. Copy it verbatim from the source.",
                )
    return checked


def _short(text: str, width: int = 60) -> str:
    text = normalise_quote(text)
    return text if len(text) <= width else text[: width - 1] + "…"
