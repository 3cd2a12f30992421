"""Canonical form of a data folder: what ``causal-web lint`` writes and the tests expect."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from causal_web.atomic import write_file_atomic
from causal_web.errors import DataValidationError
from causal_web.model.loading import read_dataset, record_files
from causal_web.model.records import Dataset
from causal_web.model.serialise import (
    base_to_dict,
    cmoc_to_dict,
    concept_to_dict,
    demi_regularity_to_dict,
    entry_point_to_dict,
    ioc_type_to_dict,
    link_to_dict,
    mechanism_to_dict,
    nesting_to_dict,
    phase_to_dict,
    source_to_dict,
    theory_to_dict,
)

__all__ = ["canonical_files", "catalogue_files", "dump_yaml", "lint_folder"]


class _Dumper(yaml.SafeDumper):
    """Block style with lists indented under their key, as people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Mapping) -> str:
    """YAML text in the project's canonical style."""
    return yaml.dump(
        dict(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def _record_file_text(dataset: Dataset, name: str) -> str:
    sections = {}
    for section, records, to_dict in (
        ("cmocs", dataset.cmocs, cmoc_to_dict),
        ("links", dataset.links, link_to_dict),
        ("mechanisms", dataset.mechanisms, mechanism_to_dict),
        ("nestings", dataset.nestings, nesting_to_dict),
        ("entry_points", dataset.entry_points, entry_point_to_dict),
        ("demi_regularities", dataset.demi_regularities, demi_regularity_to_dict),
        ("theories", dataset.theories, theory_to_dict),
    ):
        mine = [to_dict(r) for r in records.values() if r.file == name]
        if mine:
            sections[section] = mine
    return dump_yaml(sections)


def catalogue_files(dataset: Dataset) -> dict[str, str]:
    """Canonical text of the four catalogue files of ``dataset``."""
    return {
        "phases.yaml": dump_yaml({"phases": [phase_to_dict(p) for p in dataset.phases.values()]}),
        "sources.yaml": dump_yaml(
            {
                **({"bases": [base_to_dict(b) for b in dataset.bases.values()]} if dataset.bases else {}),
                "sources": [source_to_dict(s) for s in dataset.sources.values()],
            }
        ),
        "concepts.yaml": dump_yaml(
            {
                "scheme": dataset.scheme,
                "concepts": [concept_to_dict(c) for c in dataset.concepts.values()],
                "ioc_types": [ioc_type_to_dict(i) for i in dataset.ioc_types.values()],
            }
        ),
        "coverage.yaml": dump_yaml({"ledger": dataset.coverage}),
    }


def canonical_files(folder: str | Path) -> dict[str, str]:
    """File name to canonical text for every file of a valid data folder."""
    folder = Path(folder)
    dataset, report = read_dataset(folder)
    if not report.ok:
        raise DataValidationError(report)
    files = catalogue_files(dataset)
    for path in record_files(folder):
        files[path.name] = _record_file_text(dataset, path.name)
    return files


def lint_folder(folder: str | Path, check: bool = False) -> list[str]:
    """Rewrite every file in canonical form; return the names that changed (or would, with ``check``).

    Each file is written to a temporary file and renamed over the old one, so an interrupted
    lint never leaves a half-written file.
    """
    folder = Path(folder)
    changed = []
    for name, text in canonical_files(folder).items():
        path = folder / name
        if path.read_text(encoding="utf-8") == text:
            continue
        changed.append(name)
        if check:
            continue
        write_file_atomic(path, text)  # keeps the file's own permissions
    return changed
