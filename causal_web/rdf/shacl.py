"""Apply the SHACL shapes in ``ontology/shapes.ttl`` and report results as problems."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from causal_web.errors import CausalWebError
from causal_web.model.records import Dataset
from causal_web.model.validation import ValidationReport
from causal_web.rdf.convert import nquads_union_graph, rdflib_term
from causal_web.rdf.iris import DEFAULT_BASE_IRI, IRIs
from causal_web.rdf.mapping import dataset_to_nquads
from causal_web.rdf.namespaces import CW
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


SHACL_BATCH_RECORDS = 5_000
_RECORD_KINDS = (
    ("cmocs", "cmoc"),
    ("links", "link"),
    ("mechanisms", "mechanism"),
    ("nestings", "nesting"),
    ("entry_points", "entry_point"),
    ("demi_regularities", "demi_regularity"),
    ("theories", "theory"),
)
# Record classes a batch may point at in another batch (a nesting's CMOCs, a link's source link).
_POINTED_CLASSES = (
    ("cmocs", "cmoc", "CMOC"),
    ("links", "link", "CausalLink"),
    ("mechanisms", "mechanism", "MechanismEntry"),
)


def _record_batches(dataset: Dataset, size: int) -> Iterator[Dataset]:
    """The dataset's records ``size`` at a time, each batch with no catalogue."""
    records = [(attribute, r) for attribute, _ in _RECORD_KINDS for r in getattr(dataset, attribute).values()]
    # sources stay: an evidence item's base is read from its source while the batch is written
    empty = {"phases": {}, "concepts": {}, "ioc_types": {}, "coverage": []}
    for start in range(0, len(records), size):
        chunk: dict[str, dict] = {attribute: {} for attribute, _ in _RECORD_KINDS}
        for attribute, record in records[start : start + size]:
            chunk[attribute][record.id] = record
        yield replace(dataset, **empty, **chunk)


def _graphs(dataset: Dataset, base: str, size: int) -> Iterator[tuple[Graph, list[URIRef] | None]]:
    """The data graphs to validate, each with its focus nodes (None: every target).

    A small dataset is one graph. A large one is first its catalogue alone (phases, sources,
    concepts), then its records ``size`` at a time, each batch with the catalogue entries
    its triples point at (the shapes check their types, ``sh:class``), and the batch's
    records as focus nodes.
    """
    total = sum(len(getattr(dataset, attribute)) for attribute, _ in _RECORD_KINDS)
    if total <= size:
        yield nquads_union_graph(dataset_to_nquads(dataset, base)), None
        return
    catalogue_only = replace(dataset, **{attribute: {} for attribute, _ in _RECORD_KINDS})
    catalogue_text = dataset_to_nquads(catalogue_only, base)
    yield nquads_union_graph(catalogue_text), None
    catalogue = ox.Store()
    catalogue.bulk_load(input=catalogue_text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    del catalogue_text
    iris = IRIs(base)
    record_types = {
        getattr(iris, kind)(record_id): URIRef(str(CW) + cls)
        for attribute, kind, cls in _POINTED_CLASSES
        for record_id in getattr(dataset, attribute)
    }
    for batch in _record_batches(dataset, size):
        graph = nquads_union_graph(dataset_to_nquads(batch, base))
        subjects = set(graph.subjects(unique=True))
        pointed = {o for o in graph.objects(unique=True) if isinstance(o, URIRef) and o not in subjects}
        for node in pointed:
            for quad in catalogue.quads_for_pattern(ox.NamedNode(str(node)), None, None, None):
                graph.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
            if str(node) in record_types:  # a record of another batch: only its type matters here
                graph.add((node, RDF.type, record_types[str(node)]))
        focus = [
            URIRef(getattr(iris, kind)(record_id))
            for attribute, kind in _RECORD_KINDS
            for record_id in getattr(batch, attribute)
        ]
        yield graph, focus


def check_shacl(
    dataset: Dataset,
    report: ValidationReport,
    base: str = DEFAULT_BASE_IRI,
    batch_records: int = SHACL_BATCH_RECORDS,
) -> bool:
    """Validate the dataset's RDF against the shapes; add a problem per violation.

    A large dataset is checked in parts (its catalogue, then ``batch_records`` records at a
    time with the catalogue entries they refer to), so memory stays bounded: the shapes only
    look at a record, its own sub-nodes and the types of what it refers to.
    """
    from pyshacl import validate  # imported here: it is slow to import and only needed here

    shapes, ontology = load_shapes()
    iris = IRIs(base)
    conforms_all = True
    seen: set[tuple[str, str, str, str, str]] = set()
    for data, focus in _graphs(dataset, base, batch_records):
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
