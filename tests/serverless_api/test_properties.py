"""Property-based tests generated from docs/serverless-api/openapi.json by schemathesis.

Requests that fit the document and requests that do not (wrong types, missing fields,
out-of-range values) go through the local API (the WSGI adapter `make api-local` serves,
called in-process) to the real handler and moto's DynamoDB. No response may be a 5xx; every
response must be one the document lists, with the content type and shape it lists; and
every request that breaks the document must be refused.

The example counts are bounded (a few seconds); raise them locally with
SERVERLESS_API_EXAMPLES=500 to search harder.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from scripts.serverless_api.local_api import LocalApi, load_handler
from scripts.serverless_api.openapi import DOCUMENT

EXAMPLES = int(os.environ.get("SERVERLESS_API_EXAMPLES", "30"))
SCHEMA = schemathesis.openapi.from_path(DOCUMENT)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations() if isinstance(result, Ok)]
CHECKS = {
    GenerationMode.POSITIVE: [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ],
    GenerationMode.NEGATIVE: [not_a_server_error, status_code_conformance, negative_data_rejection],
}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_generated_requests_get_documented_answers_and_never_a_5xx(
    table: str, operation: Any, mode: GenerationMode
) -> None:
    app = LocalApi(load_handler())
    statuses: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples on every run: a failure here is reproducible
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        # The table fixture is one per test on purpose: the examples share (and fill) it.
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        response = case.call(app=app)
        case.validate_response(response, checks=CHECKS[mode])  # raises on any failed check
        statuses.append(response.status_code)

    check()
    # The examples ran (a strategy that generates nothing would pass silently) and none was a 5xx.
    assert statuses
    assert max(statuses) < 500


def test_the_document_lists_every_operation_the_handler_serves() -> None:
    assert sorted(operation.label for operation in OPERATIONS) == [
        "DELETE /orders/{order_id}",
        "GET /orders",
        "GET /orders/{order_id}",
        "PATCH /orders/{order_id}",
        "POST /orders",
    ]
