"""Commands over the evidence views: ``contradictions``, ``matrix`` and ``history``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from causal_web.cli.support import data_option, guarded

__all__ = ["contradictions", "history", "matrix"]


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _load(data_dir: Path | None) -> Any:
    from causal_web.knowledge_base import load

    return load(data_dir)


def _side_text(side: dict) -> str:
    items = "; ".join(
        f"{e['source']} {e.get('table', '') or e.get('section', '')} {e['judgement']}".replace("  ", " ")
        for e in side["evidence"]
    )
    return f"{side['label']}: {', '.join(side['records'])} [bases {', '.join(side['bases'])}] ({items})"


@click.command()
@data_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@guarded
def contradictions(data_dir: Path | None, as_json: bool) -> None:
    """Configurations whose evidence disagrees, with both sides and their evidence.

    Listed: the same contexts and mechanisms with outcomes in opposite directions, a refuting
    item against a confirming one, and edges whose records state opposite valences.
    """
    from causal_web.evidence.contradictions import contradictions_report

    kb = _load(data_dir)
    report = contradictions_report(kb.dataset, kb.web)
    if as_json:
        _print_json(report)
        return
    for number, entry in enumerate(report["contradictions"], start=1):
        across = "different bases" if entry["bases_differ"] else "one base"
        click.echo(f"{number}. {entry['kind']}: {entry['about']} ({across})")
        for side in entry["sides"]:
            click.echo(f"     {_side_text(side)}")
    click.echo(f"{report['total']} contradiction(s)")


@click.command()
@data_option
@click.option(
    "--rows", required=True, help="A slot (context, mechanism, outcome, ...), ioc_type or a concept group."
)
@click.option("--cols", required=True, help="A slot, ioc_type or a concept group.")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the matrix as CSV.")
@guarded
def matrix(data_dir: Path | None, rows: str, cols: str, as_json: bool, as_csv: bool) -> None:
    """The evidence matrix: CMOCs by two dimensions, each cell with its CMOC IDs, independent
    evidence bases and status.

    \b
    causal-web matrix --rows context --cols mechanism
    causal-web matrix --rows ioc_type --cols core-mechanism --csv
    """
    from causal_web.evidence.matrix import evidence_matrix, matrix_to_csv

    result = evidence_matrix(_load(data_dir).dataset, rows, cols)
    if as_json:
        _print_json(result)
    elif as_csv:
        click.echo(matrix_to_csv(result), nl=False)
    else:
        for cell in result["cells"]:
            click.echo(
                f"{cell['row']} x {cell['col']}: {', '.join(cell['cmocs'])}  "
                f"{cell['evidence_bases']} base(s), {cell['evidence_status']}"
            )
        click.echo(f"{len(result['cells'])} cell(s)")


@click.command()
@click.argument("record_id")
@data_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@guarded
def history(record_id: str, data_dir: Path | None, as_json: bool) -> None:
    """The audit trail of a record: each change with its date, who made it, what and why."""
    from causal_web.model.history import history_of, history_to_dicts
    from causal_web.model.loading import load_dataset
    from causal_web.resources import bundled_data_dir

    events = history_of(load_dataset(data_dir or bundled_data_dir()), record_id)
    if as_json:
        _print_json({"record": record_id, "history": history_to_dicts(events)})
        return
    if not events:
        click.echo(f"{record_id}: no history recorded")
        return
    for event in events:
        why = f": {event.why}" if event.why else ""
        click.echo(f"{event.date}  {event.by}  {event.what}{why}")
