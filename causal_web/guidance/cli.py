"""``causal-web typology``, ``stages``, ``guidance`` and ``diagnose``: the guidance derived from the
evidence, each saying which instrument it uses and that it is derived, not the study's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import yaml

from causal_web.cli.support import data_option, guarded, write_output

if TYPE_CHECKING:
    from causal_web.knowledge_base import KnowledgeBase

__all__ = ["COMMANDS", "diagnose", "guidance", "stages", "typology"]


def _json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _kb(data_dir: Path | None) -> KnowledgeBase:
    from causal_web.knowledge_base import load

    return load(data_dir)


def _claims(claims: list[dict]) -> str:
    bits = []
    for claim in claims:
        flag = " [curator's inference]" if claim["inferred"] else ""
        cites = f" ({', '.join(claim['cites'])})" if claim["cites"] else ""
        bits.append(f"{claim['value']}{cites}{flag}")
    return "; ".join(bits)


@click.command()
@click.argument("type_id", required=False)
@data_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (as GET /ioc-types).")
@guarded
def typology(type_id: str | None, data_dir: Path | None, as_json: bool) -> None:
    """The collaboration types the sources name (derived; not the report's typology), or one."""
    from causal_web.guidance.query import get_collaboration_type, list_collaboration_types

    kb = _kb(data_dir)
    if type_id:
        body = get_collaboration_type(kb, type_id)
        if as_json:
            _json(body)
            return
        click.echo(body["typology"]["notice"])
        click.echo(
            f"\n{body['label']} ({body['id']})"
            + (f", IOC type {body['ioc_type']}" if body["ioc_type"] else "")
        )
        for name, claims in body["attributes"].items():
            click.echo(f"  {name}: {_claims(claims)}")
        if body["not_stated"]:
            click.echo(f"  not stated in any transcribed source: {', '.join(body['not_stated'])}")
        return
    body = list_collaboration_types(kb)
    if as_json:
        _json(body)
        return
    click.echo(body["typology"]["notice"])
    click.echo(f"\n{'type':<34} {'mandated':<9} {'CMOCs':<18} {'entry points':<28} studies")
    for item in body["items"]:
        click.echo(
            f"{item['id']:<34} {'yes' if item['mandated'] else '-':<9} {', '.join(item['cmocs']) or '-':<18} "
            f"{', '.join(item['entry_points']) or '-':<28} {len(item['studies'])}"
        )
    click.echo("\n`causal-web typology ID` shows every claim with what it cites.")


@click.command()
@data_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (as GET /stages).")
@guarded
def stages(data_dir: Path | None, as_json: bool) -> None:
    """The life-cycle stages of the 2023 life-cycle paper (source 6), with the curator's mappings."""
    from causal_web.guidance.query import list_stages

    body = list_stages(_kb(data_dir))
    if as_json:
        _json(body)
        return
    citation = body["citation"]
    click.echo(f"Life-cycle stages: {citation['source']} ({citation['locator']}): {citation['title']}")
    click.echo(body["notice"])
    for stage in body["stages"]:
        mapped = [r for m in stage["mappings"] for r in m["records"]]
        click.echo(
            f"  {stage['order']}. {stage['label']} ({stage['id']}): {', '.join(mapped) or 'no mapping'}"
        )


@click.command()
@data_option
@click.option("--ioc-type", default=None, help="Only prompts that apply to this collaboration type.")
@click.option("--stage", default=None, help="Only prompts of this life-cycle stage (the curator's mapping).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (as GET /guidance).")
@guarded
def guidance(data_dir: Path | None, ioc_type: str | None, stage: str | None, as_json: bool) -> None:
    """Action prompts derived from the CMOCs and chains, grouped by mechanism, ranked by evidence."""
    from causal_web.guidance.query import action_guidance

    body = action_guidance(_kb(data_dir), ioc_type, stage)
    if as_json:
        _json(body)
        return
    click.echo(body["notice"])
    for note in body["notes"]:
        click.echo(note)
    for group in body["groups"]:
        click.echo(f"\n{group['label']} ({group['group'] or 'ungrouped'})")
        for prompt in group["prompts"]:
            click.echo(f"  - {prompt['text']}")
            for chain in prompt["chains"]:
                click.echo(
                    f"      chain: {chain['from']} -> {chain['to']} as {chain['as']} ({chain['nesting']}, "
                    f"{chain['provenance']})"
                )


def _score(value: float | None) -> str:
    return "    -" if value is None else f"{value:5.2f}"


def _read_answers(path: Path) -> object:
    from causal_web.errors import CausalWebError

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CausalWebError(f"{path}: not valid YAML: {error}") from None
    if isinstance(data, dict) and set(data) == {"answers"}:
        return data["answers"]
    return data


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@data_option
@click.option(
    "--html", "html_out", type=click.Path(dir_okay=False, path_type=Path), help="Write a printable report."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (as POST /diagnostic/score).")
@guarded
def diagnose(answers: Path, data_dir: Path | None, html_out: Path | None, as_json: bool) -> None:
    """Score ANSWERS (YAML: item ID to 1-5, optionally under `answers:`) with the derived diagnostic."""
    from causal_web.guidance.query import diagnose as score
    from causal_web.guidance.report import render_report

    result = score(_kb(data_dir), _read_answers(answers))
    if html_out is not None:
        write_output(render_report(result), html_out)
    if as_json:
        _json(result)
        return
    click.echo(f"Instrument: {result['instrument']['notice']}")
    for mechanism in result["mechanisms"]:
        flag = "AT RISK" if mechanism["at_risk"] else "ok"
        click.echo(f"  {mechanism['label']:<28} {_score(mechanism['score'])}  {flag}")
    click.echo(f"\n{result['maturity']['label']}:")
    for domain in result["maturity"]["domains"]:
        click.echo(
            f"  {domain['label']:<28} {_score(domain['score'])}  "
            f"level {domain['level']} ({domain['level_label']})"
        )
    for mechanism in result["mechanisms"]:
        if not mechanism["at_risk"]:
            continue
        click.echo(f"\n{mechanism['label']} is at risk: weak items {', '.join(mechanism['weak_items'])}")
        click.echo(
            f"  CMOCs: {', '.join(mechanism['cmocs'])}; chains: {', '.join(mechanism['chains']) or 'none'}"
        )
        for prompt in mechanism["prompts"]:
            click.echo(f"  - {prompt['text']}")


COMMANDS = (typology, stages, guidance, diagnose)
