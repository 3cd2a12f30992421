"""The loaded state: a dataset with its RDF, its SPARQL store and its causal web, built once."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from causal_web.errors import CausalWebError
from causal_web.model.loading import load_dataset
from causal_web.model.records import Dataset
from causal_web.rdf.iris import DEFAULT_BASE_IRI, IRIs
from causal_web.resources import bundled_data_dir, ontology_file

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph
    from rdflib import Dataset as RDFDataset

    from causal_web.web.graph import CausalWeb

__all__ = ["KnowledgeBase", "load"]

_UNPICKLED = frozenset({"store", "rdf", "graph"})
T = TypeVar("T")


class KnowledgeBase:
    """One dataset and everything derived from it. Derived views are built on first use."""

    def __init__(
        self, dataset: Dataset, base_iri: str = DEFAULT_BASE_IRI, data_dir: Path | None = None
    ) -> None:
        self.dataset = dataset
        self.iris = IRIs(base_iri)
        self.data_dir = data_dir

    @property
    def base_iri(self) -> str:
        return self.iris.base

    @property
    def cmocs(self) -> dict:
        return self.dataset.cmocs

    def iter_nquads(self) -> Iterator[str]:
        """The data's N-Quads, a few lines at a time (the store is loaded from this stream)."""
        from causal_web.rdf.mapping import iter_nquads

        return iter_nquads(self.dataset, self.iris.base)

    @property
    def nquads(self) -> str:
        """The data as N-Quads text, made anew on each use: the service keeps no copy of it
        (the store holds the quads), so only an export pays for the text."""
        from causal_web.model.loading import gc_paused

        with gc_paused():
            return "".join(self.iter_nquads())

    def build_rdf(self) -> RDFDataset:
        """A new rdflib Dataset of the data, for exports; nothing keeps it."""
        from causal_web.rdf.mapping import dataset_to_rdf

        return dataset_to_rdf(self.dataset, self.iris.base)

    @cached_property
    def rdf(self) -> RDFDataset:
        """rdflib Dataset: one named graph per phase plus the catalogue (built on first use and
        kept; the service never builds it, exports use :meth:`build_rdf`)."""
        return self.build_rdf()

    @cached_property
    def store(self) -> pyoxigraph.Store:
        """Embedded pyoxigraph store with the data and the ontology, for SPARQL."""
        return self.fill_store()

    def fill_store(self, store: pyoxigraph.Store | None = None) -> pyoxigraph.Store:
        """Load the data and the ontology into ``store`` (a new in-memory store by default),
        streaming the quads: no copy of the whole N-Quads text is made."""
        from causal_web.rdf.shacl import turtle_error_message
        from causal_web.rdf.store import build_store

        path = ontology_file()
        try:
            return build_store(self.iter_nquads(), path.read_bytes(), self.iris.graph("ontology"), store)
        except SyntaxError as error:  # pyoxigraph's parse errors
            raise CausalWebError(turtle_error_message(path, error)) from None

    def __getstate__(self) -> dict:
        """What pickling keeps (the on-disk index does): the records and the causal web, not
        the store, the RDF or the drawings, which are rebuilt or reopened."""
        return {k: v for k, v in self.__dict__.items() if k not in _UNPICKLED}

    @cached_property
    def web(self) -> CausalWeb:
        """The networkx causal web."""
        from causal_web.web.graph import build_web

        return build_web(self.dataset)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The concept graph of the causal web (edges keyed by valence), with every attribute a
        plain JSON value (see :mod:`causal_web.notebook`), so that pyvis, ``node_link_data`` and
        other tools take it as it is. ``kb.web.graph`` is the same graph holding the records."""
        from causal_web.notebook import json_safe_graph

        return json_safe_graph(self.web.graph)

    def sparql(self, query: str) -> list[dict[str, object]] | bool | list:
        """Run a read-only SPARQL query on the union of all graphs, as the endpoint does:
        SELECT gives a list of row dicts (``pandas.DataFrame(kb.sparql(q))`` makes a table),
        ASK a bool, CONSTRUCT and DESCRIBE a list of pyoxigraph triples."""
        from causal_web.rdf.store import query_union

        return query_union(self.store, query)

    def _repr_html_(self) -> str:
        from causal_web.notebook import knowledge_base_html

        return knowledge_base_html(self)

    def kept(self, name: str, build: Callable[[], T]) -> T:
        """``build()``, made on first use and kept on the knowledge base under ``name``: a view
        derived once per web (the guidance and its action prompts). Kept views are pickled with
        the knowledge base, so an index warmed when it is built
        (:func:`causal_web.index.warm.warm_views`) serves them without deriving them again."""
        views: dict[str, Any] = self.__dict__.setdefault("kept_views", {})
        if name not in views:
            views[name] = build()
        return views[name]

    def index(self) -> KnowledgeBase:
        """Build every derived view now (the service does this before it takes requests)."""
        _ = self.store, self.web
        return self


def load(
    data: str | Path | Sequence[str | Path] | None = None, base_iri: str = DEFAULT_BASE_IRI
) -> KnowledgeBase:
    """Load and validate a data folder (the bundled IOC dataset by default).

    Several folders load side by side as a :class:`~causal_web.review_set.ReviewSet`.
    Raises :class:`~causal_web.errors.DataValidationError` listing every problem when the
    folder is not valid.
    """
    if isinstance(data, Sequence) and not isinstance(data, str):
        if len(data) > 1:
            from causal_web.review_set import load_reviews

            return load_reviews(data, base_iri=base_iri)
        data = data[0] if data else None
    folder = Path(data) if data is not None else bundled_data_dir()
    return KnowledgeBase(load_dataset(folder), base_iri=base_iri, data_dir=folder)
