"""The ``causal-web`` command line: thin commands over library functions."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from causal_web.cli.support import data_option, guarded, write_output

__all__ = ["main"]

RDF_FORMATS = ("ttl", "jsonld", "nt", "trig", "nquads")
GRAPH_FORMATS = ("graphml", "gexf", "cytoscape", "csv", "causal-map", "dot")
LARGE_FOLDER_RECORDS = 20_000  # validate says how to skip SHACL from this size on


def _json_option(func: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(func)


def _load(data_dir: Path | None, base_iri: str | None = None) -> Any:
    from causal_web.knowledge_base import load
    from causal_web.rdf.iris import DEFAULT_BASE_IRI

    return load(data_dir, base_iri=base_iri or DEFAULT_BASE_IRI)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


class LazyGroup(click.Group):
    """A command group that imports a command's module only when the command is looked up.

    ``lazy`` maps a command name to the module and attribute that define it; ``--help`` looks
    every command up, so it still lists each with its one-line help.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, tuple[str, str]] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, attribute = self.lazy[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(package_name="causal-web")
def main() -> None:
    """causal-web: a knowledge graph of context-mechanism-outcome configurations (CMOCs).

    Bundled with the NIHR realist synthesis of inter-organisational collaboration between
    health care providers. Every command that reads data takes --data DIR for your own folder.
    """


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@data_option
@_json_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors, and list every part not coded yet.")
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes (schema and references only).")
@guarded
def validate(path: Path | None, data_dir: Path | None, as_json: bool, strict: bool, no_shacl: bool) -> None:
    """Check a data folder: schema, references, duplicates and SHACL shapes.

    Exits 0 when the data is valid, 1 with a report naming file, record and field otherwise.
    Parts not coded to a concept yet are valid; without --strict they are only counted. With
    --data given more than once, checks each folder, then that they load side by side.
    """
    from causal_web.model.validate import validate_folder
    from causal_web.resources import bundled_data_dir

    if path is None and isinstance(data_dir, tuple):
        from causal_web.cli.reviews import validate_several

        sys.exit(validate_several(data_dir, as_json, strict, not no_shacl))

    folder = path or data_dir or bundled_data_dir()

    def announce(records: int) -> None:
        if records >= LARGE_FOLDER_RECORDS:
            click.echo(
                f"Checking the SHACL shapes on {records:,} records in batches; this is the slow part "
                "(minutes per 10,000 records). --no-shacl skips it and keeps every other check.",
                err=True,
            )

    report, counts = validate_folder(folder, shacl=not no_shacl, strict=strict, before_shacl=announce)
    uncoded = [p for p in report.problems if p.rule == "coding.uncoded"]
    if not strict and not as_json:
        report.problems = [p for p in report.problems if p.rule != "coding.uncoded"]
    failed = not report.ok or (strict and report.problems)
    if as_json:
        _print_json({**report.to_dict(), "folder": str(folder), "records": counts})
    elif failed:
        click.echo(f"{folder}: {report.summary()}", err=True)
    else:
        extra = f" with {len(report.problems)} warning(s)" if report.problems else ""
        click.echo(
            f"{folder}: valid{extra} ({counts['cmocs']} CMOCs, {counts['links']} links, "
            f"{counts['mechanisms']} mechanisms, {counts['concepts']} concepts, "
            f"{counts['sources']} sources)"
        )
        for problem in report.problems:
            click.echo(str(problem), err=True)
        if uncoded and not strict:
            click.echo(
                f"{len(uncoded)} part(s) are not coded to a concept yet and draw no edge in the web; "
                "`causal-web validate --strict` lists them.",
                err=True,
            )
    sys.exit(1 if failed else 0)


@main.command()
@data_option
@_json_option
@guarded
def stats(data_dir: Path | None, as_json: bool) -> None:
    """Counts of CMOCs, concepts, sources and links, per phase, and the coverage ledger."""
    from causal_web.cli.tables import render_table
    from causal_web.knowledge_base import load
    from causal_web.review_set import review_stats

    kb = load(data_dir)
    result = review_stats(kb)
    if as_json:
        _print_json(result)
        return
    for review in result.get("reviews", []):
        t = review["totals"]
        click.echo(f"review {review['id']}: {t['cmocs']} CMOCs, {t['links']} links, {t['concepts']} concepts")
    totals = result["totals"]
    click.echo(
        f"{totals['cmocs']} CMOCs, {totals['links']} stated links, {totals['mechanisms']} "
        f"mechanism entries, {totals['concepts']} concepts, {totals['sources']} sources, "
        f"{totals['concept_edges']} concept-to-concept links"
    )
    click.echo("")
    click.echo(
        render_table(
            ["phase", "CMOCs", "links", "mechanisms", "concepts", "sources"],
            [
                [p["id"], p["cmocs"], p["links"], p["mechanisms"], p["concepts"], p["sources"]]
                for p in result["phases"]
            ],
        )
    )
    click.echo("\nCoverage ledger (transcribed / known to exist):")
    entries = result["coverage"]["entries"]
    click.echo(
        render_table(
            ["source", "item", "transcribed", "known", "complete"],
            [
                [e["source"], e["item"], e["transcribed"], e["known"], "yes" if e["complete"] else "no"]
                for e in entries
            ],
            max_width=60,
        )
    )
    gaps = [g for e in entries for g in e["gaps"]]
    if gaps:
        click.echo("\nKnown gaps:")
        for gap in gaps:
            click.echo(f"  - {gap}")


@main.command()
@data_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RDF_FORMATS + GRAPH_FORMATS + ("sheet", "xlsx")),
    default="ttl",
    show_default=True,
    help="RDF (ttl, jsonld, nt, trig, nquads), a graph format, or the extraction sheet (sheet = CSV, xlsx).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@click.option("--base-iri", default=None, help="Base IRI for the data's IRIs.")
@guarded
def export(data_dir: Path | None, fmt: str, output: Path | None, base_iri: str | None) -> None:
    """Export the knowledge base as RDF or as a graph file for other tools."""
    from causal_web.exports import export_text

    kb = _load(data_dir, base_iri)
    if fmt in ("sheet", "xlsx"):
        from causal_web.sheets.export_sheet import sheet_export

        write_output(sheet_export(kb.dataset, fmt), output)
        return
    write_output(export_text(kb, fmt), output)


@main.command()
@data_option
@click.option("--check", is_flag=True, help="Only report files that are not canonical (exit 1 if any).")
@guarded
def lint(data_dir: Path | None, check: bool) -> None:
    """Rewrite the data files in canonical form (key order, quoting, layout)."""
    from causal_web.model.canonical import lint_folder
    from causal_web.resources import bundled_data_dir

    if isinstance(data_dir, tuple):
        from causal_web.cli.reviews import lint_several

        sys.exit(lint_several(data_dir, check))
    folder = data_dir or bundled_data_dir()
    changed = lint_folder(folder, check=check)
    verb = "not canonical" if check else "rewritten"
    for name in changed:
        click.echo(f"{name}: {verb}")
    if not changed:
        click.echo(f"{folder}: every file is canonical")
    sys.exit(1 if check and changed else 0)


def _slot_text(slots: list) -> str:
    return " ; ".join(s.label for s in slots)


@main.command()
@data_option
@_json_option
@click.option("--context", help="Concept ID in the context slot (narrower concepts match too).")
@click.option("--mechanism", help="Concept ID in the mechanism slot.")
@click.option("--outcome", help="Concept ID in the outcome slot.")
@click.option("--concept", help="Concept ID in any slot.")
@click.option("--phase", help="Phase ID, e.g. review-2021.")
@click.option("--source", help="Source ID, e.g. aunger-2021-review.")
@click.option("--ioc-type", help="IOC type ID, e.g. mandated.")
@click.option("--status", type=click.Choice(["affirmed", "refined", "refuted", "new"]))
@click.option("-q", "--search", "q", help="Words that must all appear in the published labels.")
@click.option(
    "--kind",
    type=click.Choice(["cmoc", "mechanism-list", "background", "all"]),
    default="cmoc",
    show_default=True,
    help="Record kind: full configurations, or a summary's lists and claims.",
)
@guarded
def cmocs(data_dir: Path | None, as_json: bool, **filters: str | None) -> None:
    """List CMOCs, filtered by concept, phase, source, IOC type, status or text."""
    from causal_web.cli.tables import render_table
    from causal_web.evidence.assess import cmoc_with_evidence
    from causal_web.knowledge_base import load
    from causal_web.web.queries import CMOCFilter, find_cmocs

    kb = load(data_dir)
    found = find_cmocs(kb.dataset, CMOCFilter(**filters))
    if as_json:
        _print_json({"total": len(found), "items": [cmoc_with_evidence(kb.dataset, c) for c in found]})
        return
    click.echo(
        render_table(
            ["id", "phase", "context", "mechanism", "outcome"],
            [
                [c.id, c.phase, _slot_text(c.context), _slot_text(c.mechanism), _slot_text(c.outcome)]
                for c in found
            ],
            max_width=40,
        )
    )
    click.echo(f"\n{len(found)} CMOC(s)")


@main.command()
@click.argument("concept_id")
@data_option
@_json_option
@guarded
def concept(concept_id: str, data_dir: Path | None, as_json: bool) -> None:
    """A concept: its definition, what activates it, what it leads to, and its CMOCs."""
    from causal_web.cli.tables import render_table
    from causal_web.knowledge_base import load
    from causal_web.model.serialise import neighbourhood_to_dict
    from causal_web.web.queries import concept_neighbourhood

    kb = load(data_dir)
    hood = concept_neighbourhood(kb.web, concept_id)
    if as_json:
        _print_json(neighbourhood_to_dict(hood))
        return
    c = hood["concept"]
    click.echo(f"{c.pref_label} ({c.id})" + (f", group: {c.group}" if c.group else ""))
    if c.definition:
        click.echo(f"  {c.definition}")
    if c.alt_labels:
        click.echo(f"  published as: {'; '.join(c.alt_labels)}")
    if c.broader or hood["narrower"]:
        click.echo(
            f"  broader: {', '.join(c.broader) or '-'}; narrower: {', '.join(hood['narrower']) or '-'}"
        )
    for title, rows in (
        ("Activated by (upstream)", hood["upstream"]),
        ("Leads to (downstream)", hood["downstream"]),
    ):
        click.echo(f"\n{title}:")
        if not rows:
            click.echo("  (none)")
            continue
        click.echo(
            render_table(
                ["concept", "valence", "+/-/?", "CMOCs", "links", "bases"],
                [
                    [
                        n.concept,
                        n.valence,
                        "/".join(str(n.valence_counts[k]) for k in ("+", "-", "unspecified")),
                        ", ".join(n.cmocs),
                        ", ".join(n.links),
                        len(n.bases),
                    ]
                    for n in rows
                ],
                max_width=44,
            )
        )
    click.echo("")
    for slot, ids in hood["cmocs"].items():
        click.echo(f"As {slot}: {', '.join(ids) or '(none)'}")


@main.command()
@click.option("--from", "start", required=True, help="Start concept ID (narrower concepts count).")
@click.option("--to", "end", required=True, help="End concept ID.")
@click.option("--via", help="Concept ID or group ('core mechanisms') the chain must pass through.")
@click.option("--max-hops", type=click.IntRange(1, 8), default=4, show_default=True)
@click.option("--phase", "phases", multiple=True, help="Only evidence from this phase (repeatable).")
@click.option(
    "--min-sources",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="Only hops backed by at least this many distinct sources.",
)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option(
    "--include-background",
    is_flag=True,
    help="Also use records that are not findings (background framing, aggregate summaries).",
)
@click.option(
    "--max-expansions",
    type=click.IntRange(1, 10_000_000),
    default=20_000,
    show_default=True,
    help="Search budget: most node expansions (paths taken off the search stack).",
)
@click.option(
    "--time-budget-ms",
    type=click.FloatRange(0, 60_000),
    default=50.0,
    show_default=True,
    help="Search budget: most wall-clock time for the search and building the chains, in ms.",
)
@data_option
@_json_option
@guarded
def chains(
    start: str,
    end: str,
    via: str | None,
    max_hops: int,
    phases: tuple[str, ...],
    min_sources: int,
    limit: int,
    include_background: bool,
    max_expansions: int,
    time_budget_ms: float,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """Trace chains of CMOCs from one concept to another, each hop with its evidence.

    Each hop reports its records, independent evidence bases and valence counts; a hop after
    the first says how it joins the one before (stated, curator, or tool: a hypothesis). The
    search stops when its budget (--max-expansions, --time-budget-ms) runs out, and says so.
    """
    from causal_web.knowledge_base import load
    from causal_web.web.chains import trace_chains

    kb = load(data_dir)
    result = trace_chains(
        kb.web,
        start,
        end,
        via=via,
        max_hops=max_hops,
        phases=phases or None,
        min_sources=min_sources,
        limit=limit,
        include_background=include_background,
        max_expansions=max_expansions,
        time_budget=time_budget_ms / 1000,
    )
    if as_json:
        _print_json(result.to_dict())
        return
    if not result.chains:
        click.echo(
            f"No chain from {start} to {end}" + (f" via {via}" if via else "") + f" within {max_hops} hops."
        )
        _echo_budget(result)
        return
    for number, chain in enumerate(result.chains, start=1):
        hypothesis = "  [hypothesis: joined by shared concepts only]" if chain.hypothesis else ""
        click.echo(
            f"{number}. {' -> '.join(chain.concepts)}   valence {chain.valence}, "
            f"weakest hop {chain.weakest_bases} evidence base(s){hypothesis}"
        )
        for hop in chain.hops:
            through = f" via {', '.join(hop.through)}" if hop.through else ""
            counts = hop.valence_counts
            flags = [f"joined: {hop.nesting}"] if hop.nesting else []
            if hop.stitched:
                flags.append("stitched: no evidence base shared with the previous hop")
            if hop.inferred:
                flags.append("inferred")
            if hop.incomplete:
                flags.append("incomplete")
            flags += [k for k in hop.record_kinds if k not in ("cmoc", "stated")]
            flag = f"  [{'; '.join(flags)}]" if flags else ""
            click.echo(
                f"     {hop.source} -> {hop.target}{through} ({hop.valence}: "
                f"+{counts['+']} -{counts['-']} ?{counts['unspecified']}): "
                f"{', '.join(hop.records)}; bases {', '.join(hop.bases)}{flag}"
            )
    more = " (more exist: raise --limit or --max-hops)" if result.truncated and not result.reason else ""
    click.echo(f"\n{len(result.chains)} chain(s){more}")
    _echo_budget(result)


def _echo_budget(result: object) -> None:
    """Say when the chain search ran out of its budget, and which part."""
    budget = result.budget  # type: ignore[attr-defined]
    if budget["reason"] == "expansions":
        click.echo(
            f"Search truncated: the budget of {budget['max_expansions']} node expansions ran out "
            "(raise --max-expansions); more chains may exist."
        )
    elif budget["reason"] == "time":
        click.echo(
            f"Search truncated: the time budget of {budget['time_budget_ms']:g} ms ran out after "
            f"{budget['expansions']} node expansions (raise --time-budget-ms); more chains may exist."
        )


@main.command()
@click.argument("phase_a")
@click.argument("phase_b")
@data_option
@_json_option
@guarded
def diff(phase_a: str, phase_b: str, data_dir: Path | None, as_json: bool) -> None:
    """Compare two theory versions through their confirms, refines and refutes links.

    Where no link joins two records, CMOCs are matched by their concepts instead, and the
    output says so.
    """
    from causal_web.knowledge_base import load
    from causal_web.web.diff import diff_phases

    kb = load(data_dir)
    result = diff_phases(kb.dataset, phase_a, phase_b)
    if as_json:
        _print_json(result.to_dict())
        return
    click.echo(f"{phase_a} -> {phase_b}")
    click.echo(f"  added:   {', '.join(result.added) or '(none)'}")
    click.echo(f"  removed: {', '.join(result.removed) or '(none)'}")
    for name, pairs, sep in (
        ("confirmed", result.confirmed, " = "),
        ("refined", result.refined, " -> "),
        ("refuted", result.refuted, " x "),
        ("kept", result.kept, " = "),
    ):
        shown = ", ".join(
            f"{a}{sep}{b}" + (" (by concepts)" if by == "concepts" else "") for a, b, by in pairs
        )
        click.echo(f"  {name + ':':<10} {shown or '(none)'}")
    for note in result.notes:
        click.echo(f"  Note: {note}")
    click.echo(f"  new concepts: {', '.join(result.new_concepts) or '(none)'}")
    if result.mechanisms:
        click.echo(f"  mechanism table of {phase_b}:")
        for m in result.mechanisms:
            click.echo(f"    {m['id']} {m['label']!r} ({m['status'] or 'status not stated'})")
    if result.coverage_gaps:
        click.echo("  Read with care: the comparison is limited by these coverage gaps:")
        for gap in result.coverage_gaps:
            click.echo(f"    - {gap}")


@main.command()
@click.argument("name", required=False)
@data_option
@_json_option
@guarded
def query(name: str | None, data_dir: Path | None, as_json: bool) -> None:
    """Run a named SPARQL query on the embedded store, or list them without NAME."""
    from causal_web.cli.tables import render_table
    from causal_web.rdf.named_queries import named_queries, run_named_query

    if name is None:
        queries = named_queries()
        if as_json:
            _print_json(
                [{"name": q.name, "title": q.title, "description": q.description} for q in queries.values()]
            )
            return
        click.echo(
            render_table(
                ["name", "question"], [[q.name, q.description] for q in queries.values()], max_width=90
            )
        )
        return
    rows = run_named_query(_load(data_dir), name)
    if as_json:
        _print_json(rows)
        return
    if rows:
        headers = list(rows[0])
        click.echo(render_table(headers, [[r[h] for h in headers] for r in rows]))
    click.echo(f"\n{len(rows)} row(s)")


@main.group()
def dev() -> None:
    """Commands for maintainers of causal-web itself."""


@dev.command()
@click.option("--check", is_flag=True, help="Exit 1 if causal_web/rdf/namespaces.py is out of date.")
def namespace(check: bool) -> None:
    """Regenerate causal_web/rdf/namespaces.py from ontology/causal-web.ttl."""
    from rdflib import Graph

    from causal_web.rdf.ontology_terms import render_namespace_module
    from causal_web.resources import ontology_file

    text = render_namespace_module(Graph().parse(ontology_file(), format="turtle"))
    target = Path(__file__).resolve().parents[1] / "rdf" / "namespaces.py"
    if target.read_text(encoding="utf-8") == text:
        click.echo("namespaces.py is up to date")
        return
    if check:
        click.echo("namespaces.py is out of date: run `causal-web dev namespace`", err=True)
        sys.exit(1)
    from causal_web.atomic import write_file_atomic

    write_file_atomic(target, text)
    click.echo(f"Wrote {target}")


# Commands defined in other modules are imported when they are run (or listed by --help), so
# that a command's cold start pays only for its own imports.
main.lazy.update(
    {
        "serve": ("causal_web.api.cli", "serve"),
        "index": ("causal_web.cli.index", "index_command"),
        "push": ("causal_web.remote.cli", "push_command"),
        "render": ("causal_web.viz.cli", "render"),
        "figure": ("causal_web.viz.cli", "figure"),
        "contradictions": ("causal_web.cli.evidence", "contradictions"),
        "history": ("causal_web.cli.evidence", "history"),
        "matrix": ("causal_web.cli.evidence", "matrix"),
        "code": ("causal_web.cli.coding", "code"),
        "agreement": ("causal_web.cli.coding", "agreement"),
        "reconcile": ("causal_web.cli.coding", "reconcile"),
        "typology": ("causal_web.guidance.cli", "typology"),
        "stages": ("causal_web.guidance.cli", "stages"),
        "guidance": ("causal_web.guidance.cli", "guidance"),
        "diagnose": ("causal_web.guidance.cli", "diagnose"),
        "import": ("causal_web.cli.sheets", "import_command"),
        "template": ("causal_web.cli.sheets", "template"),
    }
)
