"""The audit trail: import writes the first event of every record, `causal-web history` prints
it, and the RDF gives it as a PROV activity that passes the SHACL shapes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from causal_web.cli.main import main
from causal_web.model.loading import load_dataset
from causal_web.rdf.mapping import dataset_to_rdf, union_graph
from causal_web.resources import shapes_file

SHEET = Path(__file__).parent / "data" / "sheets" / "review-extract.csv"


def _imported(tmp_path: Path) -> Path:
    out = tmp_path / "imported"
    result = CliRunner().invoke(main, ["import", str(SHEET), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_import_starts_every_records_history(tmp_path):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    out = _imported(tmp_path)
    cmocs = yaml.safe_load((out / "cmocs.yaml").read_text())["cmocs"]
    assert cmocs
    for cmoc in cmocs:
        [event] = cmoc["history"]
        assert (event["by"], event["what"]) == ("causal-web import", "import")
        assert event["why"] == "read from the spreadsheet review-extract.csv"
        when = dt.datetime.fromisoformat(event["date"].replace("Z", "+00:00"))
        assert before <= when <= dt.datetime.now(dt.UTC)


def test_history_command_prints_the_events(tmp_path):
    out = _imported(tmp_path)
    first = yaml.safe_load((out / "cmocs.yaml").read_text())["cmocs"][0]["id"]
    text = CliRunner().invoke(main, ["history", first, "--data", str(out)])
    assert text.exit_code == 0, text.output
    assert "causal-web import  import: read from the spreadsheet review-extract.csv" in text.stdout
    as_json = json.loads(CliRunner().invoke(main, ["history", first, "--data", str(out), "--json"]).stdout)
    assert as_json["history"][0]["what"] == "import"
    unknown = CliRunner().invoke(main, ["history", "NO-SUCH-ID", "--data", str(out)])
    assert unknown.exit_code == 2 and "Unknown record 'NO-SUCH-ID'" in unknown.output
    bundled = CliRunner().invoke(main, ["history", "R21-016"])
    assert bundled.exit_code == 0 and "R21-016: no history recorded" in bundled.stdout


def test_history_is_given_as_prov_activities_that_pass_shacl(tmp_path):
    out = _imported(tmp_path)
    cmocs = out / "cmocs.yaml"
    data = yaml.safe_load(cmocs.read_text())
    data["cmocs"][0]["history"].append(
        {"date": "2026-12-01", "by": "A. Curator", "what": "edit", "why": "fixed a label"}
    )
    cmocs.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    dataset = load_dataset(out)
    record = dataset.cmocs[data["cmocs"][0]["id"]]
    graph = union_graph(dataset_to_rdf(dataset))
    node = URIRef(f"https://w3id.org/causal-web/cmocs/{record.id}")
    first, second = URIRef(f"{node}/history/1"), URIRef(f"{node}/history/2")
    assert (first, RDF.type, PROV.Activity) in graph
    assert (first, PROV.generated, node) in graph and (node, PROV.wasGeneratedBy, first) in graph
    assert (second, PROV.used, node) in graph
    assert graph.value(second, PROV.endedAtTime) == Literal("2026-12-01", datatype=XSD.date)
    assert graph.value(graph.value(second, PROV.wasAssociatedWith), RDFS.label) == Literal("A. Curator")
    assert graph.value(second, RDFS.comment) == Literal("fixed a label")
    conforms, _g, text = shacl_validate(
        graph, shacl_graph=Graph().parse(shapes_file()), inference="none", advanced=True
    )
    assert conforms, text


def test_a_history_event_without_a_date_names_the_record(tmp_path):
    out = _imported(tmp_path)
    cmocs = out / "cmocs.yaml"
    data = yaml.safe_load(cmocs.read_text())
    data["cmocs"][0]["history"][0]["date"] = "yesterday"
    cmocs.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    result = CliRunner().invoke(main, ["validate", "--no-shacl", str(out)])
    assert result.exit_code == 1
    assert f"[{data['cmocs'][0]['id']}] history[0].date" in result.output
