"""docs/serverless-api/openapi.json is what the handler's routes generate, and says what they do."""

from __future__ import annotations

import json
import re

import pytest

from orders_api import api, logic
from scripts.serverless_api import openapi


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


def test_every_documented_path_and_method_is_routed_and_no_other() -> None:
    # The 405 logic's table (api.ROUTE_METHODS) and the document agree on every route
    paths = json.loads(openapi.DOCUMENT.read_text())["paths"]
    documented = {
        (re.sub(r"\{[^}]+\}", "x", path), method.upper()) for path, operations in paths.items() for method in operations
    }
    routed = set()
    for path in ("/orders", "/orders/x"):
        routed |= {(path, method) for method in api.allowed_methods(path)}
    assert documented == routed


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
