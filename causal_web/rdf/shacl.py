"""Apply the SHACL shapes in ``ontology/shapes.ttl`` and report results as problems."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from causal_web.model.records import Dataset
from causal_web.model.validation import ValidationReport
from causal_web.rdf.iris import DEFAULT_BASE_IRI, IRIs
from causal_web.rdf.mapping import dataset_to_rdf, union_graph
from causal_web.resources import ontology_file, shapes_file

__all__ = ["check_shacl", "load_shapes"]


@lru_cache(maxsize=4)
def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def load_shapes() -> tuple[Graph, Graph]:
    """The shapes graph and the ontology graph."""
    return _parse(shapes_file()), _parse(ontology_file())


def _locate(dataset: Dataset, iris: IRIs, node: str) -> tuple[str, str, str]:
    """File, record ID and field of a focus node IRI."""
    for kind, records in (
        ("cmocs", dataset.cmocs),
        ("links", dataset.links),
        ("mechanisms", dataset.mechanisms),
        ("nestings", dataset.nestings),
        ("entry-points", dataset.entry_points),
        ("demi-regularities", dataset.demi_regularities),
        ("theories", dataset.theories),
    ):
        prefix = f"{iris.base}{kind}/"
        if node.startswith(prefix):
            record_id, _, rest = node[len(prefix) :].partition("/")
            record = records.get(record_id)
            return (record.file if record else kind), record_id, _field(rest)
    for kind, file in (
        ("sources", "sources.yaml"),
        ("bases", "sources.yaml"),
        ("concepts", "concepts.yaml"),
        ("phases", "phases.yaml"),
    ):
        prefix = f"{iris.base}{kind}/"
        if node.startswith(prefix):
            return file, node[len(prefix) :].split("/")[0], ""
    return "", node, ""


def _field(rest: str) -> str:
    """``mechanism-resource/2`` → ``mechanism_resource[1]``; ``evidence/1`` → ``evidence[0]``."""
    steps = rest.split("/") if rest else []
    out: list[str] = []
    for step in steps:
        if step.isdigit() and out:
            out[-1] += f"[{int(step) - 1}]"
        else:
            out.append(step.replace("-", "_"))
    return ".".join(out)


def check_shacl(dataset: Dataset, report: ValidationReport, base: str = DEFAULT_BASE_IRI) -> bool:
    """Validate the dataset's RDF against the shapes; add a problem per violation."""
    from pyshacl import validate  # imported here: it is slow to import and only needed here

    shapes, ontology = load_shapes()
    data = union_graph(dataset_to_rdf(dataset, base))
    conforms, results, _text = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
    )
    iris = IRIs(base)
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage) or "violates a shape"
        severity = results.value(result, SH.resultSeverity)
        file, record, field = _locate(dataset, iris, str(focus))
        prop = path.split("#")[-1].split("/")[-1] if isinstance(path, URIRef) else ""
        field = ".".join(x for x in (field, prop) if x)
        report.add(
            "shacl",
            file,
            record,
            field,
            str(message),
            "error" if severity == SH.Violation else "warning",
        )
    return bool(conforms)
