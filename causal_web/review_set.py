"""Several reviews loaded side by side: one knowledge base over all of them, and one per review.

``load([A, B])`` (or ``--data A --data B``) gives a :class:`ReviewSet`. Its ``dataset`` and
``web`` hold every review's records (:func:`causal_web.model.reviews.merge_datasets`), so lists,
chains and the explorer span the reviews; :func:`select_review` gives the knowledge base of one
review for a ``review=`` filter. The RDF keeps each review's own named graphs
(``{base}graphs/{review}/{phase}``), describes each review at ``{base}reviews/{review}`` and
holds the SKOS mappings in ``{base}graphs/mappings`` (docs/rdf.md, "Several reviews"). A single
folder loads as a plain :class:`~causal_web.knowledge_base.KnowledgeBase`, unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from causal_web.errors import UnknownIdError
from causal_web.knowledge_base import KnowledgeBase
from causal_web.model.loading import load_dataset
from causal_web.model.reviews import ConceptMapping, merge_datasets, read_mappings, review_id, review_ids
from causal_web.rdf.iris import DEFAULT_BASE_IRI

if TYPE_CHECKING:
    from rdflib import Dataset as RDFDataset

__all__ = ["Review", "ReviewSet", "list_reviews", "load_reviews", "review_stats", "select_review"]

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCTERMS = "http://purl.org/dc/terms/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DCAT_DATASET = "http://www.w3.org/ns/dcat#Dataset"


@dataclass(slots=True)
class Review:
    """One loaded review: its ID, its title and its own knowledge base."""

    id: str
    title: str
    folder: Path
    kb: KnowledgeBase


class ReviewSet(KnowledgeBase):
    """Every loaded review in one knowledge base, with each review's own at hand."""

    def __init__(
        self,
        reviews: Sequence[Review],
        mappings: Sequence[ConceptMapping] = (),
        base_iri: str = DEFAULT_BASE_IRI,
    ) -> None:
        merged, owner = merge_datasets([r.id for r in reviews], [r.kb.dataset for r in reviews], mappings)
        super().__init__(merged, base_iri=base_iri, data_dir=reviews[0].folder)
        self.reviews = {r.id: r for r in reviews}
        self.owner = owner  # record ID: the review it comes from
        self.mappings = list(mappings)

    def review_iri(self, rid: str) -> str:
        return f"{self.iris.base}reviews/{rid}"

    def review_graph(self, rid: str, name: str) -> str:
        return self.iris.graph(f"{rid}/{name}")

    def iter_nquads(self) -> Iterator[str]:
        """Each review's quads in its own named graphs, the reviews, and the mappings: one
        review at a time, so that no text of them all is ever held."""
        import pyoxigraph as ox

        plain = self.iris.graph("")
        meta = ox.NamedNode(self.iris.graph("reviews"))
        for rid, review in self.reviews.items():
            names: set[str] = set()
            quads: list[ox.Quad] = []
            text = "".join(review.kb.iter_nquads()).encode("utf-8")
            for quad in ox.parse(text, format=ox.RdfFormat.N_QUADS):
                graph = quad.graph_name
                if isinstance(graph, ox.NamedNode) and graph.value.startswith(plain):
                    name = graph.value[len(plain) :]
                    names.add(name)
                    graph = ox.NamedNode(self.review_graph(rid, name))
                quads.append(ox.Quad(quad.subject, quad.predicate, quad.object, graph))
            del text
            node = ox.NamedNode(self.review_iri(rid))
            quads.append(ox.Quad(node, ox.NamedNode(_RDF_TYPE), ox.NamedNode(_DCAT_DATASET), meta))
            quads.append(ox.Quad(node, ox.NamedNode(_DCTERMS + "identifier"), ox.Literal(rid), meta))
            if review.title:
                quads.append(ox.Quad(node, ox.NamedNode(_DCTERMS + "title"), ox.Literal(review.title), meta))
            for name in sorted(names):
                graph = ox.NamedNode(self.review_graph(rid, name))
                quads.append(ox.Quad(graph, ox.NamedNode(_DCTERMS + "isPartOf"), node, meta))
            yield ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")
        mapping_graph = ox.NamedNode(self.iris.graph("mappings"))
        quads = []
        for m in self.mappings:
            target = m.match if ":" in m.match else self.iris.concept(m.match)
            quads.append(
                ox.Quad(
                    ox.NamedNode(self.iris.concept(m.concept)),
                    ox.NamedNode(_SKOS + m.relation),
                    ox.NamedNode(target),
                    mapping_graph,
                )
            )
        yield ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")

    def build_rdf(self) -> RDFDataset:
        from rdflib import Dataset as RDFDataset

        graph = RDFDataset()
        graph.parse(data=self.nquads, format="nquads")
        return graph

    def index(self) -> ReviewSet:
        super().index()
        for review in self.reviews.values():
            _ = review.kb.web
        return self


def load_reviews(folders: Sequence[str | Path], base_iri: str = DEFAULT_BASE_IRI) -> ReviewSet:
    """Load and validate each folder as one review and put them side by side.

    Raises :class:`~causal_web.errors.DataValidationError` for a folder that is not valid and
    :class:`~causal_web.model.reviews.ReviewError` for reviews that clash (a record ID in two
    reviews) or a bad mapping file.
    """
    paths = [Path(f) for f in folders]
    datasets = [load_dataset(p) for p in paths]
    ids = review_ids(paths, datasets)
    reviews = [
        Review(rid, str(d.scheme.get("title") or ""), p, KnowledgeBase(d, base_iri=base_iri, data_dir=p))
        for rid, p, d in zip(ids, paths, datasets, strict=True)
    ]
    mappings = [m for p in paths for m in read_mappings(p)]
    return ReviewSet(reviews, mappings, base_iri=base_iri)


def _single_id(kb: KnowledgeBase) -> str:
    from causal_web.resources import bundled_data_dir

    return review_id(kb.data_dir or bundled_data_dir(), kb.dataset)


def select_review(kb: KnowledgeBase, rid: str | None) -> KnowledgeBase:
    """``kb`` itself when ``rid`` is empty, else the knowledge base of review ``rid`` alone.

    Raises :class:`~causal_web.errors.UnknownIdError` for a review that is not loaded.
    """
    if not rid:
        return kb
    if isinstance(kb, ReviewSet):
        if rid not in kb.reviews:
            raise UnknownIdError("review", rid, kb.reviews)
        return kb.reviews[rid].kb
    own = _single_id(kb)
    if rid != own:
        raise UnknownIdError("review", rid, [own])
    return kb


def _summary(rid: str, title: str, iri: str, kb: KnowledgeBase, graphs: list[str]) -> dict:
    dataset = kb.dataset
    return {
        "id": rid,
        "title": title,
        "iri": iri,
        "graphs": graphs,
        "cmocs": len(dataset.cmocs),
        "links": len(dataset.links),
        "concepts": len(dataset.concepts),
        "sources": len(dataset.sources),
        "phases": list(dataset.phases),
    }


def list_reviews(kb: KnowledgeBase) -> dict:
    """The loaded reviews, each with its IRI, named graphs and counts, and the SKOS mappings."""
    if isinstance(kb, ReviewSet):
        items = [
            _summary(
                rid,
                review.title,
                kb.review_iri(rid),
                review.kb,
                [kb.review_graph(rid, name) for name in (*review.kb.dataset.phases, "catalogue")],
            )
            for rid, review in kb.reviews.items()
        ]
        return {"total": len(items), "items": items, "mappings": [m.to_dict() for m in kb.mappings]}
    rid = _single_id(kb)
    graphs = [kb.iris.graph(name) for name in (*kb.dataset.phases, "catalogue")]
    item = _summary(
        rid, str(kb.dataset.scheme.get("title") or ""), f"{kb.iris.base}reviews/{rid}", kb, graphs
    )
    return {"total": 1, "items": [item], "mappings": []}


def review_stats(kb: KnowledgeBase) -> dict:
    """``causal-web stats`` (and ``GET /stats``): the counts of every record loaded and, when
    several reviews are loaded, ``reviews``: each one's ID, title and its own counts."""
    from causal_web.model.stats import dataset_stats

    result = dataset_stats(kb.dataset)
    if isinstance(kb, ReviewSet):
        result["reviews"] = [
            {"id": rid, "title": r.title, **dataset_stats(r.kb.dataset)} for rid, r in kb.reviews.items()
        ]
    return result
