"""Data IRIs, minted under one configurable base IRI.

The default is the project's persistent namespace, the parent of the vocabulary's
(``https://w3id.org/causal-web/ns#``): exports and the library mint the same IRIs wherever
they run. A service deployed behind that namespace serves them; a local service mints IRIs
under its own address only when told to (``causal-web serve --base-iri self``).
"""

from __future__ import annotations

__all__ = ["DEFAULT_BASE_IRI", "IRIs"]

DEFAULT_BASE_IRI = "https://w3id.org/causal-web/"


class IRIs:
    """Mints the data IRIs under one base IRI."""

    def __init__(self, base: str = DEFAULT_BASE_IRI) -> None:
        if not base.endswith(("/", "#")):
            base += "/"
        if any(c in base for c in ' <>"{}|\\^`'):
            raise ValueError(f"base IRI {base!r} contains characters not allowed in an IRI")
        self.base = base

    def cmoc(self, id: str) -> str:
        return f"{self.base}cmocs/{id}"

    def concept(self, id: str) -> str:
        return f"{self.base}concepts/{id}"

    def source(self, id: str) -> str:
        return f"{self.base}sources/{id}"

    def phase(self, id: str) -> str:
        return f"{self.base}phases/{id}"

    def link(self, id: str) -> str:
        return f"{self.base}links/{id}"

    def mechanism(self, id: str) -> str:
        return f"{self.base}mechanisms/{id}"

    def nesting(self, id: str) -> str:
        return f"{self.base}nestings/{id}"

    def entry_point(self, id: str) -> str:
        return f"{self.base}entry-points/{id}"

    def demi_regularity(self, id: str) -> str:
        return f"{self.base}demi-regularities/{id}"

    def theory(self, id: str) -> str:
        return f"{self.base}theories/{id}"

    def base_of_evidence(self, id: str) -> str:
        return f"{self.base}bases/{id}"

    def ioc_type(self, id: str) -> str:
        return f"{self.base}ioc-types/{id}"

    def group(self, id: str) -> str:
        return f"{self.base}concepts/groups/{id}"

    def graph(self, name: str) -> str:
        return f"{self.base}graphs/{name}"

    @property
    def scheme(self) -> str:
        return f"{self.base}concepts/"
