"""docs/serverless-api/openapi.json is what the handler's routes generate, and says what they do."""

from __future__ import annotations

import json

import pytest

from orders_api import logic, routes
from scripts.serverless_api import openapi
from tests.serverless_api.conftest import Call


def test_the_committed_document_is_the_generated_one() -> None:
    # If this fails: python -m scripts.serverless_api.openapi (and commit the file)
    assert openapi.DOCUMENT.read_text(encoding="utf-8") == openapi.render(openapi.document())


def test_check_mode_fails_on_a_stale_document(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from pathlib import Path

    stale = Path(str(tmp_path)) / "openapi.json"
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(openapi, "DOCUMENT", stale)
    monkeypatch.setattr(openapi, "REPO", stale.parent)
    assert openapi.main(["--check"]) == 1
    assert openapi.main([]) == 0
    assert openapi.main(["--check"]) == 0


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"])
def test_every_documented_operation_is_routed_and_every_other_method_is_a_405(call: Call, method: str) -> None:
    # Asked of the handler: the document and the resolver are both built from routes.ROUTES
    paths = json.loads(openapi.DOCUMENT.read_text())["paths"]
    assert set(paths) == {"/orders", "/orders/{order_id}"}
    for path, operations in paths.items():
        reply = call(method, path.replace("{order_id}", "0b7e1b5c-6a7e-4c39-9d7e-2f3a4b5c6d7e"))
        if method.lower() in operations:
            # Answered by the route: a 400 for the missing input, or the unknown order's 404
            assert reply.status in (400, 404), (method, path)
            assert reply.body["message"] != "no such route"
        else:
            assert (reply.status, reply.headers["Allow"]) == (405, ", ".join(sorted(map(str.upper, operations))))


def test_the_operations_are_the_routes_table() -> None:
    paths = json.loads(openapi.DOCUMENT.read_text())["paths"]
    documented = [
        (path, method.upper(), operation["operationId"])
        for path, ops in paths.items()
        for method, operation in ops.items()
    ]
    assert sorted(documented) == sorted((route.path, route.method, route.function) for route in routes.ROUTES)


def test_no_operation_documents_powertools_422() -> None:
    text = openapi.DOCUMENT.read_text()
    assert '"422"' not in text
    assert "HTTPValidationError" not in text


def test_the_amount_is_documented_as_the_api_checks_it() -> None:
    amount = json.loads(openapi.DOCUMENT.read_text())["components"]["schemas"]["NewOrder"]["properties"]["amount"]
    assert amount["type"] == "number"
    assert amount["exclusiveMinimum"] == 0
    assert amount["maximum"] == int(logic.MAX_AMOUNT)
    assert amount["multipleOf"] == 0.01


def test_every_refusal_is_documented_with_the_error_shape() -> None:
    paths = json.loads(openapi.DOCUMENT.read_text())["paths"]
    for operations in paths.values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (operation["summary"], status)
