"""Settings come from the environment with the CAUSAL_WEB_ prefix."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from causal_web.api.settings import Settings


def test_defaults(monkeypatch):
    for name in ("HOST", "PORT", "BASE_IRI", "CORS_ORIGINS", "SPARQL_TIMEOUT", "DATA"):
        monkeypatch.delenv(f"CAUSAL_WEB_{name}", raising=False)
    settings = Settings()
    assert settings.resolved_base_iri == "https://w3id.org/causal-web/"
    assert settings.cors_origins == ["*"]
    assert settings.data is None


@pytest.mark.parametrize("off", ["", "none", "[]"])
def test_cors_can_be_turned_off(monkeypatch, off):
    monkeypatch.setenv("CAUSAL_WEB_CORS_ORIGINS", off)
    assert Settings().cors_origins == []


def test_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CAUSAL_WEB_PORT", "9001")
    monkeypatch.setenv("CAUSAL_WEB_HOST", "0.0.0.0")
    monkeypatch.setenv("CAUSAL_WEB_CORS_ORIGINS", "http://a.example, http://b.example")
    monkeypatch.setenv("CAUSAL_WEB_SPARQL_TIMEOUT", "2.5")
    monkeypatch.setenv("CAUSAL_WEB_SPARQL_MAX_ROWS", "100")
    monkeypatch.setenv("CAUSAL_WEB_DATA", str(tmp_path))
    settings = Settings()
    assert settings.resolved_base_iri == "https://w3id.org/causal-web/"  # not rewritten unless asked
    monkeypatch.setenv("CAUSAL_WEB_BASE_IRI", "self")
    assert Settings().resolved_base_iri == "http://localhost:9001/"
    assert settings.cors_origins == ["http://a.example", "http://b.example"]
    assert (settings.sparql_timeout, settings.sparql_max_rows) == (2.5, 100)
    assert settings.data == tmp_path
    monkeypatch.setenv("CAUSAL_WEB_CORS_ORIGINS", '["*"]')
    monkeypatch.setenv("CAUSAL_WEB_BASE_IRI", "https://w3id.org/ioc/")
    settings = Settings()
    assert settings.cors_origins == ["*"]
    assert settings.resolved_base_iri == "https://w3id.org/ioc/"


def test_a_named_host_mints_iris_under_its_name_when_asked():
    assert Settings(host="api.example.org", port=80).resolved_base_iri == "https://w3id.org/causal-web/"
    named = Settings(host="api.example.org", port=80, base_iri="self")
    assert named.resolved_base_iri == "http://api.example.org:80/"


@pytest.mark.parametrize("bad", [{"port": 0}, {"port": 70000}, {"sparql_timeout": 0}, {"sparql_max_rows": 0}])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValidationError):
        Settings(**bad)


def test_sparql_limits_from_the_environment(monkeypatch):
    for name in ("SPARQL_MEMORY_MB", "SPARQL_QUEUE_WAIT", "SPARQL_MAX_QUERY_BYTES"):
        monkeypatch.delenv(f"CAUSAL_WEB_{name}", raising=False)
    defaults = Settings()
    assert (defaults.sparql_memory_mb, defaults.sparql_queue_wait, defaults.sparql_max_query_bytes) == (
        1024,
        5.0,
        1_048_576,
    )
    monkeypatch.setenv("CAUSAL_WEB_SPARQL_MEMORY_MB", "300")
    monkeypatch.setenv("CAUSAL_WEB_SPARQL_QUEUE_WAIT", "0.5")
    monkeypatch.setenv("CAUSAL_WEB_SPARQL_MAX_QUERY_BYTES", "4096")
    settings = Settings()
    assert (settings.sparql_memory_mb, settings.sparql_queue_wait, settings.sparql_max_query_bytes) == (
        300,
        0.5,
        4096,
    )
    for bad in ({"sparql_memory_mb": 8}, {"sparql_queue_wait": -1}, {"sparql_max_query_bytes": 10}):
        with pytest.raises(ValidationError):
            Settings(**bad)
