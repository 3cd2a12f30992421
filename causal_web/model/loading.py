"""Read a data folder into a :class:`~causal_web.model.records.Dataset` with a validation report.

``read_dataset`` never raises on bad data: it returns everything it could read and a report of
every problem. ``load_dataset`` raises :class:`DataValidationError` when the report has errors.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from causal_web.errors import DataValidationError
from causal_web.evidence.quotes import read_source_texts
from causal_web.model import guards
from causal_web.model.parse import (
    parse_base,
    parse_cmoc,
    parse_concept,
    parse_demi_regularity,
    parse_entry_point,
    parse_ioc_type,
    parse_link,
    parse_mechanism,
    parse_nesting,
    parse_phase,
    parse_source,
    parse_theory,
)
from causal_web.model.records import Dataset
from causal_web.model.references import check_references
from causal_web.model.validation import ValidationReport

__all__ = [
    "CATALOGUE_FILES",
    "MAX_FILE_BYTES",
    "gc_paused",
    "load_dataset",
    "parse_yaml_text",
    "read_dataset",
    "record_files",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
CATALOGUE_FILES = {
    "phases.yaml": ("phases",),
    "sources.yaml": ("bases", "sources"),
    "concepts.yaml": ("scheme", "concepts", "ioc_types"),
    "coverage.yaml": ("ledger",),
}
RECORD_SECTIONS = (
    "cmocs",
    "links",
    "mechanisms",
    "nestings",
    "entry_points",
    "demi_regularities",
    "theories",
)

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAGS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


class _Fallback(Exception):
    """The document uses a feature the fast constructor leaves to PyYAML's own."""


class _Loader(guards.UniqueKeysMixin, _BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader, with a faster resolver and constructor for plain documents.

    The results are exactly those of the safe loader: the resolver skips the regular
    expressions only for scalars whose first character no implicit resolver is registered
    for, and the constructor builds plain strings, lists and mappings itself, hands every
    other scalar to PyYAML, and hands the whole document back to PyYAML when it meets an
    anchor or alias, a merge key (``<<``), a non-scalar key or any non-standard tag. A
    100k-CMOC data folder loads about twice as fast this way (see docs/benchmarks.md).
    """

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        # Called from the C composer for every node. With no path resolvers, PyYAML's own
        # resolver gives the default tag to every collection and every quoted scalar, and
        # tries its regular expressions only on plain scalars whose first character has one.
        if self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode:
            if implicit[0]:
                table = self.yaml_implicit_resolvers
                if None in table or value[:1] in table:
                    return super().resolve(kind, value, implicit)
            return _STR_TAG
        return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        if self.yaml_path_resolvers:
            super().descend_resolver(current_node, current_index)

    def ascend_resolver(self) -> None:
        if self.yaml_path_resolvers:
            super().ascend_resolver()

    def _build(self, node: yaml.Node, seen: set[int]) -> Any:
        scalar = yaml.ScalarNode
        tag = node.tag
        kind = type(node)
        if kind is scalar:
            return node.value if tag == _STR_TAG else self.construct_object(node)
        if id(node) in seen:  # an alias: shared or recursive structure
            raise _Fallback
        seen.add(id(node))
        if tag == _SEQ_TAG and kind is yaml.SequenceNode:
            return [
                child.value if child.tag == _STR_TAG and type(child) is scalar else self._build(child, seen)
                for child in node.value
            ]
        if tag == _MAP_TAG and kind is yaml.MappingNode:
            mapping = {}
            for key_node, value_node in node.value:
                if type(key_node) is not scalar:
                    raise _Fallback
                key_tag = key_node.tag
                if key_tag == _STR_TAG:
                    key = key_node.value
                elif key_tag in _MERGE_TAGS:
                    raise _Fallback
                else:
                    key = self.construct_object(key_node)
                if value_node.tag == _STR_TAG and type(value_node) is scalar:
                    mapping[key] = value_node.value
                else:
                    mapping[key] = self._build(value_node, seen)
            if len(mapping) < len(node.value):
                raise guards.DuplicateKeys
            return mapping
        raise _Fallback

    def construct_document(self, node: yaml.Node) -> Any:
        try:
            try:
                data = self._build(node, set())
            except _Fallback:
                return super().construct_document(node)
        except guards.DuplicateKeys:
            raise guards.duplicate_key_error(node) from None
        self.constructed_objects = {}
        self.recursive_objects = {}
        return data


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large structure is built.

    Building a 100k-CMOC dataset allocates millions of long-lived objects; each full
    collection walks all of them, so with the collector on, reading and indexing grow
    faster than linearly (about 4x slower at 100k). Reference counting still frees
    everything as usual; cycles made meanwhile are collected once the collector is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_yaml_text(text: str, file: str, report: ValidationReport) -> Any:
    """YAML text to plain data; syntax errors become problems with line and column."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except guards.DuplicateKeyError as error:
        guards.report_duplicate_key(error, file, report)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        report.add(
            "syntax.yaml",
            file,
            "",
            "",
            f"YAML syntax error{where}: {error.problem}. Fix the indentation or quoting there.",
        )
    except yaml.YAMLError as error:
        report.add("syntax.yaml", file, "", "", f"YAML error: {error}.")
    return None


def _read_text(path: Path, name: str, report: ValidationReport) -> str | None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        report.add(
            "file.too-large",
            name,
            "",
            "",
            f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit. "
            "Split its records over several files.",
        )
        return None
    raw = path.read_bytes()
    if not raw.strip():
        report.add("file.empty", name, "", "", "file is empty. Add records or delete the file.")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        report.add(
            "file.encoding",
            name,
            "",
            "",
            f"not valid UTF-8 (byte {error.start}: {raw[error.start : error.start + 1]!r}). "
            "Save the file as UTF-8.",
        )
        return None
    return text.removeprefix("\ufeff")


def _read_document(
    path: Path, name: str, allowed: tuple[str, ...], report: ValidationReport
) -> Mapping | None:
    text = _read_text(path, name, report)
    if text is None:
        return None
    data = parse_yaml_text(text, name, report)
    guards.check_document(data, name, report)
    if data is None:
        if not report.problems or report.problems[-1].file != name:
            report.add("file.empty", name, "", "", "file holds no data.")
        return None
    if not isinstance(data, Mapping):
        report.add(
            "schema.type",
            name,
            "",
            "",
            f"the top level must be a mapping with {' / '.join(allowed)}, not {type(data).__name__}.",
        )
        return None
    for key in data:
        if key not in allowed:
            report.add(
                "schema.unknown-field",
                name,
                "",
                str(key),
                f"unknown section {key!r}; this file may hold: {', '.join(allowed)}.",
            )
    return data


# Record files are parsed in worker processes when a folder holds at least this many bytes of
# them (and CAUSAL_WEB_PARSE_PROCESSES is not 1): the YAML parse is most of a large load.
PARALLEL_MIN_BYTES = 16 * 1024 * 1024


def _parse_processes(files: list[Path]) -> int:
    wanted = os.environ.get("CAUSAL_WEB_PARSE_PROCESSES", "")
    count = int(wanted) if wanted.isdigit() and int(wanted) > 0 else min(2, os.cpu_count() or 1)
    if count < 2 or len(files) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if not wanted and sum(p.stat().st_size for p in files) < PARALLEL_MIN_BYTES:
        return 1
    return min(count, len(files))


def _read_in_worker(path: Path) -> tuple[Mapping | None, list]:
    report = ValidationReport()
    with gc_paused():
        data = _read_document(path, path.name, RECORD_SECTIONS, report)
    return data, report.problems


def _read_record_documents(
    files: list[Path], report: ValidationReport
) -> Iterator[tuple[Path, Mapping | None]]:
    """Each record file's document, in order, its problems added to ``report`` as it comes.

    A large folder's files are parsed by forked worker processes (in order, a few files ahead
    of the records being built from them); the documents and problems are the same.
    """
    processes = _parse_processes(files)
    if processes == 1:
        for path in files:
            yield path, _read_document(path, path.name, RECORD_SECTIONS, report)
        return
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for path, (data, problems) in zip(files, pool.imap(_read_in_worker, files), strict=True):
            report.problems.extend(problems)
            yield path, data


def record_files(folder: Path) -> list[Path]:
    """The record files of a data folder, sorted: every YAML file but the catalogue."""
    return sorted(p for p in folder.glob("*.yaml") if p.is_file() and p.name not in CATALOGUE_FILES)


def _items(data: Mapping, section: str, name: str, report: ValidationReport) -> list:
    items = data.get(section)
    if items is None:
        return []
    if not isinstance(items, list):
        report.add("schema.type", name, "", section, f"{section!r} must be a list of records.")
        return []
    return items


def _collect(
    items: list,
    parse: Callable[..., Any],
    target: dict,
    name: str,
    kind: str,
    report: ValidationReport,
    origin: dict[str, str],
) -> None:
    for index, item in enumerate(items):
        record = parse(item, name, index, report)
        if record is None or not record.id:
            continue
        if record.id in origin:
            report.add(
                "reference.duplicate",
                name,
                record.id,
                "id",
                f"duplicate {kind} ID, first defined in {origin[record.id]}. Give each record its own ID.",
            )
            continue
        origin[record.id] = name
        target[record.id] = record


def read_dataset(folder: str | Path) -> tuple[Dataset, ValidationReport]:
    """Read every file of ``folder``; return what was read and every problem found."""
    with gc_paused():
        return _read_dataset(Path(folder))


def _read_dataset(folder: Path) -> tuple[Dataset, ValidationReport]:
    report = ValidationReport()
    dataset = Dataset()
    if not folder.is_dir():
        report.add(
            "file.missing", str(folder), "", "", "data folder not found. Pass an existing folder with --data."
        )
        return dataset, report

    catalogue: dict[str, Mapping] = {}
    for name, allowed in CATALOGUE_FILES.items():
        path = folder / name
        if not path.is_file():
            report.add(
                "file.missing",
                name,
                "",
                "",
                f"{name} is missing from {folder}. Every data folder needs it (see docs/data-format.md).",
            )
            continue
        data = _read_document(path, name, allowed, report)
        if data is not None:
            catalogue[name] = data

    origins: dict[str, dict[str, str]] = {k: {} for k in ("phase", "source", "concept", "record")}
    if "phases.yaml" in catalogue:
        items = _items(catalogue["phases.yaml"], "phases", "phases.yaml", report)
        _collect(items, parse_phase, dataset.phases, "phases.yaml", "phase", report, origins["phase"])
    if "sources.yaml" in catalogue:
        items = _items(catalogue["sources.yaml"], "bases", "sources.yaml", report)
        _collect(items, parse_base, dataset.bases, "sources.yaml", "evidence base", report, {})
        items = _items(catalogue["sources.yaml"], "sources", "sources.yaml", report)
        _collect(items, parse_source, dataset.sources, "sources.yaml", "source", report, origins["source"])
    if "concepts.yaml" in catalogue:
        data = catalogue["concepts.yaml"]
        scheme = data.get("scheme")
        dataset.scheme = dict(scheme) if isinstance(scheme, Mapping) else {}
        items = _items(data, "concepts", "concepts.yaml", report)
        _collect(
            items, parse_concept, dataset.concepts, "concepts.yaml", "concept", report, origins["concept"]
        )
        items = _items(data, "ioc_types", "concepts.yaml", report)
        _collect(items, parse_ioc_type, dataset.ioc_types, "concepts.yaml", "IOC type", report, {})
    if "coverage.yaml" in catalogue:
        ledger = _items(catalogue["coverage.yaml"], "ledger", "coverage.yaml", report)
        dataset.coverage = [dict(e) for e in ledger if isinstance(e, Mapping)]

    files = record_files(folder)
    if not files:
        report.add(
            "file.missing",
            str(folder),
            "",
            "",
            "no record files (*.yaml with cmocs, links or other record lists).",
        )
    parsers = {
        "cmocs": (parse_cmoc, dataset.cmocs, "CMOC"),
        "links": (parse_link, dataset.links, "link"),
        "mechanisms": (parse_mechanism, dataset.mechanisms, "mechanism"),
        "nestings": (parse_nesting, dataset.nestings, "nesting"),
        "entry_points": (parse_entry_point, dataset.entry_points, "entry point"),
        "demi_regularities": (parse_demi_regularity, dataset.demi_regularities, "demi-regularity"),
        "theories": (parse_theory, dataset.theories, "theory"),
    }
    for path, data in _read_record_documents(files, report):
        if data is None:
            continue
        for section, (parse, target, kind) in parsers.items():
            items = _items(data, section, path.name, report)
            _collect(items, parse, target, path.name, kind, report, origins["record"])

    check_references(dataset, report)
    read_source_texts(dataset, folder, report)  # for quote checks and quote selectors
    return dataset, report


def load_dataset(folder: str | Path) -> Dataset:
    """Read and validate ``folder``; raise :class:`DataValidationError` on any error."""
    dataset, report = read_dataset(folder)
    if not report.ok:
        raise DataValidationError(report)
    return dataset
