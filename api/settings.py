"""Service settings, read from the environment (prefix ``CAUSAL_WEB_``) at the edge only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from causal_web.rdf.iris import DEFAULT_BASE_IRI

__all__ = ["SELF_BASE_IRI", "Settings"]

# The base_iri value that means "this service's own address".
SELF_BASE_IRI = "self"

# Addresses that mean "this machine": data IRIs minted for them use the name localhost.
_LOCAL_HOSTS = {"", "0.0.0.0", "::", "127.0.0.1", "::1", "localhost"}  # noqa: S104 - names, not binds


class Settings(BaseSettings):
    """Where the data is, where the service listens, and the limits of its SPARQL endpoint.

    Every field can be set from the environment: ``CAUSAL_WEB_DATA``, ``CAUSAL_WEB_BASE_IRI``,
    ``CAUSAL_WEB_HOST``, ``CAUSAL_WEB_PORT``, ``CAUSAL_WEB_CORS_ORIGINS`` (comma-separated or a
    JSON list), ``CAUSAL_WEB_SPARQL_TIMEOUT``, ``CAUSAL_WEB_SPARQL_MAX_ROWS`` and
    ``CAUSAL_WEB_SPARQL_WORKERS``, ``CAUSAL_WEB_SPARQL_MEMORY_MB``, ``CAUSAL_WEB_SPARQL_QUEUE_WAIT``
    and ``CAUSAL_WEB_SPARQL_MAX_QUERY_BYTES``.
    """

    model_config = SettingsConfigDict(env_prefix="CAUSAL_WEB_", extra="ignore")

    data: Path | None = Field(None, description="Data folder (default: the bundled IOC dataset).")
    base_iri: str | None = Field(
        None,
        description=f"Base of the data IRIs (default: {DEFAULT_BASE_IRI}; {SELF_BASE_IRI!r}: this "
        "service's own address, so that the IRIs resolve here).",
    )
    host: str = Field("127.0.0.1", description="Interface to listen on.")
    port: int = Field(8000, ge=1, le=65535, description="Port to listen on.")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["*"],
        description="Origins allowed to call the API from a browser: any ('*', the default, as "
        "public SPARQL endpoints do), a list, or none (an empty value turns CORS off).",
    )
    sparql_timeout: float = Field(10.0, gt=0, le=3600, description="Seconds a SPARQL query may run.")
    sparql_max_rows: int = Field(10_000, ge=1, description="Most rows (or triples) a SPARQL query returns.")
    sparql_workers: int = Field(2, ge=1, le=64, description="SPARQL queries that can run at once.")
    sparql_memory_mb: int = Field(
        1024, ge=16, le=1_048_576, description="MiB of memory one SPARQL query may use before it is stopped."
    )
    sparql_queue_wait: float = Field(
        5.0, ge=0, le=3600, description="Seconds a SPARQL query may wait for a free worker (then 503)."
    )
    sparql_max_query_bytes: int = Field(
        1_048_576, ge=1024, description="Largest SPARQL request body, in bytes (larger ones get 413)."
    )
    evidence_scorer: str = Field("bases", description="Evidence scorer by name (docs/evidence.md).")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.lower() in ("", "none", "off"):
                return []
            if text.startswith("["):
                import json

                return json.loads(text)
            return [origin.strip() for origin in text.split(",") if origin.strip()]
        return value

    @property
    def public_host(self) -> str:
        """The host name to print and to mint IRIs with."""
        if self.host in _LOCAL_HOSTS:
            return "localhost"
        return f"[{self.host}]" if ":" in self.host else self.host

    @property
    def url(self) -> str:
        """Where the service answers, with a trailing slash."""
        return f"http://{self.public_host}:{self.port}/"

    @property
    def resolved_base_iri(self) -> str:
        """The base IRI: the configured one (``self``: the service's own address), or the
        project's canonical namespace."""
        if self.base_iri == SELF_BASE_IRI:
            return self.url
        return self.base_iri or DEFAULT_BASE_IRI
