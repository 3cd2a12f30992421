"""Property-based tests from the OpenAPI document: schemathesis generates requests for every
operation (valid ones and, for negative data, invalid ones) and checks each response.

Bounded: at most ``MAX_EXAMPLES`` requests per operation (``CAUSAL_WEB_FUZZ_EXAMPLES`` raises
it for a longer local run). In CI (``CI`` set) the examples are derandomised, so every run
sends the same requests and a failure reproduces; elsewhere each run explores new ones."""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import causal_web
from causal_web.api.app import create_app
from causal_web.api.settings import Settings

# Request bodies of this type are the SPARQL query text itself.
schemathesis.serializer.alias("application/sparql-query", "text/plain")

# positive_data_acceptance is left out on purpose: the vocabularies of IDs (phases, sources,
# concepts) come from the data, not the schema, so a schema-valid but unknown ID is rightly
# refused, and so is a schema-valid string that is not SPARQL.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def _array_in_query(operation) -> bool:
    """An operation with a list-valued query parameter (``?phase=a&phase=b``)."""
    return any("array" in json.dumps(p.definition.get("schema", {})) for p in operation.query)


# schemathesis reads the schema when the module is collected, so the app is built here.
APP = create_app(causal_web.load(), Settings(sparql_timeout=10, sparql_workers=1))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _stop_sparql_workers():
    yield
    APP.state.sparql.close()


MAX_EXAMPLES = int(os.environ.get("CAUSAL_WEB_FUZZ_EXAMPLES", "30"))


def test_every_operation_is_fuzzed():
    # the OpenAPI document lists every operation, and schemathesis takes each of them
    document = APP.openapi()
    listed = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    fuzzed = {(result.ok().method.upper(), result.ok().path) for result in schema.get_all_operations()}
    assert listed == fuzzed
    assert len(listed) >= 20


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=list(HealthCheck),
)
def test_openapi_contract(case):
    checks = CHECKS
    if _array_in_query(case.operation):
        # A lone string is the wire form of a one-item list, yet schemathesis counts it as
        # negative data for an array parameter, so this check would flag valid requests.
        checks = [c for c in CHECKS if c is not negative_data_rejection]
    case.call_and_validate(checks=checks)
