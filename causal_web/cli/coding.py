"""``causal-web code``, ``agreement`` and ``reconcile``: coding parts and double coding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from causal_web.cli.support import guarded

__all__ = ["agreement", "code", "reconcile"]

_FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.command()
@click.argument("folder", type=_FOLDER)
@click.option(
    "--review",
    "reviews",
    multiple=True,
    type=_FOLDER,
    help="Another review's data folder whose concepts and coded labels are suggested too (repeatable).",
)
@click.option("--apply", "apply_", is_flag=True, help="Write the parts coding.csv codes back to the folder.")
@click.option(
    "--by", default="causal-web code", show_default=True, help="Who coded, for the records' history."
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@guarded
def code(folder: Path, reviews: tuple[Path, ...], apply_: bool, by: str, as_json: bool) -> None:
    """List the parts of FOLDER not coded to a concept, each with up to five suggested concepts.

    Decisions go into FOLDER/coding.csv, one row per label: columns label and concept, and
    optionally polarity, inferred, pref_label and notes. concept is a concept ID, several IDs
    separated by '|' (one part per concept, joined by an 'and' relation), new:<id> for a new
    concept, or empty to keep the label uncoded; polarity (increase, decrease, unspecified)
    overrides the one read from the label; inferred (true/false) flags the coding as the
    reviewer's reading. The file is applied before the list is made; --apply also writes the
    coded parts back (docs/import.md, "The coding file").
    """
    from causal_web.coding.coding import (
        apply_coding,
        candidate_labels,
        read_coding,
        record_coding_events,
        suggest,
        uncoded_parts,
        unsplit_parts,
    )
    from causal_web.coding.files import dataset_files, write_checked
    from causal_web.model.loading import load_dataset
    from causal_web.model.reviews import review_id

    dataset = load_dataset(folder)
    mapping = read_coding(folder)
    others = [(review_id(other), load_dataset(other)) for other in reviews]
    vocabulary = {}
    for _name, other in reversed(others):
        vocabulary.update(other.concepts)
    before = set(dataset.concepts)
    unsplit = unsplit_parts(dataset, mapping)
    changes = apply_coding(dataset, mapping, vocabulary)
    candidates = candidate_labels(dataset)
    for name, other in others:
        candidates += candidate_labels(other, review=name, coded_parts=True)
    remaining = uncoded_parts(dataset)
    for part in remaining:
        if not part.incomplete:
            part.suggestions = suggest(part.label, candidates)
    written: list[str] = []
    history = None
    if apply_ and changes:
        history = record_coding_events(dataset, changes, by)
        names = {
            dataset.cmocs[c.record].file if c.record in dataset.cmocs else dataset.links[c.record].file
            for c in changes
        }
        if set(dataset.concepts) != before:
            names.add("concepts.yaml")
        files = dataset_files(dataset)
        written = write_checked(folder, {name: files[name] for name in sorted(names)})
    if as_json:
        _print_json(
            {
                "folder": str(folder),
                "coded": [c.to_dict() for c in changes],
                "applied": bool(apply_ and changes),
                "written": written,
                "uncoded": [p.to_dict() for p in remaining],
                "unsplit": [
                    {"record": p.record, "slot": p.slot, "index": p.index, "label": p.label} for p in unsplit
                ],
            }
        )
        return
    for part in remaining:
        click.echo(f"{part.record} {part.slot}[{part.index}]: {part.label!r}")
        if part.incomplete:
            click.echo("    cut off: a fragment is never coded")
        elif not part.suggestions:
            click.echo("    no suggestion: code it with a concept ID or new:<id> in coding.csv")
        for s in part.suggestions:
            where = f", review {s.review}" if s.review else ""
            click.echo(f"    {s.concept:<32} {s.score:5.1f}  matched {s.matched!r}{where}")
    for part in unsplit:
        why = "a link's end" if part.slot in ("from", "to") else "a relation's from or to"
        click.echo(
            f"note: {part.record} {part.slot}[{part.index}] {part.label!r} left uncoded: coding.csv codes "
            f"the label to several concepts, but the part is {why}, which names one part"
        )
    verb = "coded and written" if written else "coded by coding.csv"
    click.echo(f"\n{len(remaining)} uncoded part(s); {len(changes)} part(s) {verb}.")
    if changes and not apply_:
        click.echo("Run again with --apply to write them to the folder.")
    if history is False:
        click.echo("(records keep no history in this model: no history event written)")


@click.command()
@click.argument("folder_a", type=_FOLDER)
@click.argument("folder_b", type=_FOLDER)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@guarded
def agreement(folder_a: Path, folder_b: Path, as_json: bool) -> None:
    """Agreement between two coders' folders of the same excerpts, slot by slot.

    Records are matched by ID. The unit is one part position of one slot of a record both
    folders hold; its category is the coded concept, or '(uncoded)'. Reports percent agreement
    and Cohen's kappa per slot and overall, and lists every disagreement (docs/data-format.md).
    """
    from causal_web.coding.agreement import compare_folders

    result = compare_folders(folder_a, folder_b)
    if as_json:
        _print_json(result.to_dict())
        return
    click.echo(
        f"{result.matched} record(s) in both folders; "
        f"only in A: {len(result.only_a)}, only in B: {len(result.only_b)}"
    )
    click.echo(f"{'slot':<20} {'units':>5} {'agree':>5} {'percent':>8} {'kappa':>7}")
    for row in [*result.slots, result.overall]:
        kappa = "-" if row.kappa is None else f"{row.kappa:.3f}"
        percent = "-" if row.percent is None else f"{row.percent:.1f}"
        click.echo(f"{row.slot:<20} {row.units:>5} {row.agreed:>5} {percent:>8} {kappa:>7}")
    if result.disagreements:
        click.echo("\nDisagreements:")
        for d in result.disagreements:
            click.echo(f"  {d.record} {d.slot}[{d.index}]: A {d.describe('a')} | B {d.describe('b')}")


@click.command()
@click.argument("folder_a", type=_FOLDER)
@click.argument("folder_b", type=_FOLDER)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="New consensus folder.",
)
@click.option(
    "--prefer",
    type=click.Choice(["a", "b"]),
    default="a",
    show_default=True,
    help="Whose coding wins a disagreement not decided in the choices file.",
)
@click.option(
    "--choices",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV of the reconciler's choices: record, slot, index, choice (a, b or a concept ID), notes.",
)
@click.option("--coder-a", default="A", show_default=True, help="Name of coder A, for the evidence.")
@click.option("--coder-b", default="B", show_default=True, help="Name of coder B, for the evidence.")
@click.option(
    "--by", default="reconciler", show_default=True, help="Who reconciled, for the evidence and history."
)
@guarded
def reconcile(
    folder_a: Path,
    folder_b: Path,
    output: Path,
    prefer: str,
    choices: Path | None,
    coder_a: str,
    coder_b: str,
    by: str,
) -> None:
    """Write a consensus folder from two coders' folders.

    Each record keeps both coders' parts as they extracted them, as evidence items (coder A,
    coder B), and the reconciler's choice as its parts, with an evidence item saying which
    position was decided how. The folder is checked before it is renamed into place.
    """
    from causal_web.coding.reconcile import read_choices, reconcile_folders

    decided = read_choices(choices) if choices else {}
    result = reconcile_folders(
        folder_a, folder_b, output, prefer=prefer, choices=decided, coders=(coder_a, coder_b), by=by
    )
    click.echo(
        f"Wrote {output}: {result.records} record(s), {result.disagreements} disagreement(s) reconciled "
        f"({result.by_choice} from the choices file, {result.by_preference} by --prefer {prefer})."
    )
    click.echo(f"Next: causal-web validate {output}")
