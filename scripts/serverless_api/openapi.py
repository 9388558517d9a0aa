"""The orders API's OpenAPI document, generated from the handler's routes and models.

    python -m scripts.serverless_api.openapi            # rewrite docs/serverless-api/openapi.json
    python -m scripts.serverless_api.openapi --check    # exit 1 if the file is out of date

Powertools builds the document from the routes in lambda_src/orders_api/api.py (paths,
parameters, request and response models); two corrections make it say what the API does:
- Powertools lists a 422 "Validation Error" on every operation; this API answers invalid
  input with 400 and its own error shape (api.py's RequestValidationError handler), so the
  422 and its schemas are removed;
- a response that fails its own model is answered by the same handler as any other bug:
  a 500 with the API's error shape, not Powertools' ResponseValidationError;
- a 204 has no body, so it gets no content.
A test fails when the committed file differs from what this generates.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scripts.stack_outputs import OneLineParser, run

REPO = Path(__file__).resolve().parents[2]
LAMBDA_SRC = REPO / "lambda_src"
DOCUMENT = REPO / "docs" / "serverless-api" / "openapi.json"
TITLE = "Orders API (serverless-api lab)"
VERSION = "1.0.0"
DESCRIPTION = (
    "API Gateway REST -> Lambda -> DynamoDB, from the study guides' Orders example. "
    "Every refusal is JSON {message, fields} with a 4xx status; input values are never echoed."
)
SERVERS = [
    {"url": "http://127.0.0.1:3000", "description": "make api-local: the same handler against an in-memory table"},
    {
        "url": "https://{api_id}.execute-api.{region}.amazonaws.com/{stage}",
        "description": "the deployed stage (the stack's ApiUrl output)",
        "variables": {
            "api_id": {"default": "api-id"},
            "region": {"default": "us-east-1"},
            "stage": {"default": "v1", "description": "the API Gateway stage (stacks/serverless_api/rest_api.py)"},
        },
    },
]
_POWERTOOLS_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")
_INTERNAL_ERROR = {
    "description": "internal error: logged with the request id the message names; no details",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def document() -> dict[str, Any]:
    if str(LAMBDA_SRC) not in sys.path:
        sys.path.insert(0, str(LAMBDA_SRC))
    from orders_api.api import app

    generated: dict[str, Any] = json.loads(
        app.get_openapi_json_schema(title=TITLE, version=VERSION, description=DESCRIPTION)
    )
    generated["servers"] = SERVERS
    for operations in generated["paths"].values():
        for operation in operations.values():
            responses = operation["responses"]
            responses.pop("422", None)
            responses["500"] = _INTERNAL_ERROR
            if "204" in responses:
                responses["204"].pop("content", None)
    schemas = generated.get("components", {}).get("schemas", {})
    for name in _POWERTOOLS_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    return generated


def render(content: dict[str, Any]) -> str:
    return json.dumps(content, indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(
        description="Generate (or --check) docs/serverless-api/openapi.json from the handler's routes."
    )
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    expected = render(document())
    current = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""
    relative = DOCUMENT.relative_to(REPO)
    if args.check:
        if current != expected:
            print(f"{relative} is out of date: run python -m scripts.serverless_api.openapi", file=sys.stderr)
            return 1
        print(f"{relative} is up to date")
        return 0
    DOCUMENT.parent.mkdir(parents=True, exist_ok=True)
    DOCUMENT.write_text(expected, encoding="utf-8")
    print(f"wrote {relative}" + ("" if current != expected else " (unchanged)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
