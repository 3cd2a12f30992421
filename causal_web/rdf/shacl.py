"""Apply the SHACL shapes in ``ontology/shapes.ttl`` and report results as problems."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from causal_web.errors import CausalWebError
from causal_web.model.records import Dataset
from causal_web.model.validation import ValidationReport
from causal_web.rdf.convert import nquads_union_graph
from causal_web.rdf.iris import DEFAULT_BASE_IRI, IRIs
from causal_web.rdf.mapping import dataset_to_nquads
from causal_web.resources import ontology_file, shapes_file

__all__ = ["check_shacl", "load_shapes", "turtle_error_message"]


@lru_cache(maxsize=4)
def _parse(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except OSError as error:
        raise CausalWebError(f"{path}: cannot be read ({error.strerror or error})") from None
    except Exception as error:  # rdflib raises BadSyntax and others for a broken file
        raise CausalWebError(turtle_error_message(path, error)) from None


def turtle_error_message(path: Path, error: Exception) -> str:
    """A one-paragraph message for an ontology file that does not parse."""
    detail = " ".join(str(error).split())
    if len(detail) > 300:
        detail = detail[:300] + "..."
    return (
        f"{path}: the ontology file is not valid Turtle ({type(error).__name__}: {detail}). "
        "Fix its syntax, or reinstall causal-web to restore the bundled file."
    )


def load_shapes() -> tuple[Graph, Graph]:
    """The shapes graph and the ontology graph."""
    return _parse(shapes_file()), _parse(ontology_file())


def _locate(dataset: Dataset, iris: IRIs, node: str) -> tuple[str, str, str]:
    """File, record ID and field of a focus node IRI."""
    for kind, records in (
        ("cmocs", dataset.cmocs),
        ("links", dataset.links),
        ("mechanisms", dataset.mechanisms),
    ):
        prefix = f"{iris.base}{kind}/"
        if node.startswith(prefix):
            record_id, _, rest = node[len(prefix) :].partition("/")
            record = records.get(record_id)
            field = rest.replace("/", ".")
            if rest.count("/") == 1 and rest.split("/")[1].isdigit():
                name, position = rest.split("/")
                field = f"{name}[{int(position) - 1}]"
            return (record.file if record else kind), record_id, field
    for kind, file in (("sources", "sources.yaml"), ("concepts", "concepts.yaml"), ("phases", "phases.yaml")):
        prefix = f"{iris.base}{kind}/"
        if node.startswith(prefix):
            return file, node[len(prefix) :].split("/")[0], ""
    return "", node, ""


SHACL_BATCH_RECORDS = 5_000


def _batches(dataset: Dataset, size: int) -> Iterator[tuple[Dataset, bool]]:
    """The dataset's catalogue with ``size`` records at a time; True for the first batch."""
    records = [
        (attribute, record)
        for attribute in ("cmocs", "links", "mechanisms")
        for record in getattr(dataset, attribute).values()
    ]
    if len(records) <= size:
        yield dataset, True
        return
    for start in range(0, len(records), size):
        chunk: dict[str, dict] = {"cmocs": {}, "links": {}, "mechanisms": {}}
        for attribute, record in records[start : start + size]:
            chunk[attribute][record.id] = record
        yield replace(dataset, **chunk), start == 0


def check_shacl(
    dataset: Dataset,
    report: ValidationReport,
    base: str = DEFAULT_BASE_IRI,
    batch_records: int = SHACL_BATCH_RECORDS,
) -> bool:
    """Validate the dataset's RDF against the shapes; add a problem per violation.

    Records are checked ``batch_records`` at a time, each batch with the whole catalogue
    (phases, sources, concepts), so memory stays bounded on a large folder: the shapes only
    look at a record, its own sub-nodes and the catalogue entries it refers to. The catalogue
    itself is checked with the first batch.
    """
    from pyshacl import validate  # imported here: it is slow to import and only needed here

    shapes, ontology = load_shapes()
    iris = IRIs(base)
    conforms_all = True
    seen: set[tuple[str, str, str, str, str]] = set()
    for batch, first in _batches(dataset, batch_records):
        data = nquads_union_graph(dataset_to_nquads(batch, base))
        focus = None
        if not first:
            focus = [
                URIRef(getattr(iris, kind)(record_id))
                for kind, records in (
                    ("cmoc", batch.cmocs),
                    ("link", batch.links),
                    ("mechanism", batch.mechanisms),
                )
                for record_id in records
            ]
        conforms, results, _text = validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            advanced=True,
            focus_nodes=focus,
        )
        conforms_all = conforms_all and bool(conforms)
        for result in results.subjects(SH.resultSeverity, None):
            node = results.value(result, SH.focusNode)
            path = results.value(result, SH.resultPath)
            message = results.value(result, SH.resultMessage) or "violates a shape"
            severity = results.value(result, SH.resultSeverity)
            file, record, field = _locate(dataset, iris, str(node))
            prop = path.split("#")[-1].split("/")[-1] if isinstance(path, URIRef) else ""
            field = ".".join(x for x in (field, prop) if x)
            level = "error" if severity == SH.Violation else "warning"
            key = (file, record, field, str(message), level)
            if key not in seen:
                seen.add(key)
                report.add("shacl", file, record, field, str(message), level)
        del data, results
    return conforms_all
