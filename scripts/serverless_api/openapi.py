"""The orders API's OpenAPI document, generated from the handler's routes and models.

    python -m scripts.serverless_api.openapi            # rewrite docs/serverless-api/openapi.json
    python -m scripts.serverless_api.openapi --check    # exit 1 if the file is out of date

Built offline from the table the handler registers its routes from
(lambda_src/orders_api/routes.py: paths, methods, summaries, documented answers) and the
pydantic models in lambda_src/orders_api/models.py, which give every schema: the request
and response bodies under #/components/schemas/, the query parameters (the fields of the
route's query model) and the path parameters (models.PathParameters). The function itself
imports neither pydantic nor models.py. One correction: an optional query parameter is
absent, never null, so its `X | None` schema is documented as X.
A test fails when the committed file differs from what this generates.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
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
_JSON = "application/json"
_SCHEMAS = "#/components/schemas/"


def document() -> dict[str, Any]:
    if str(LAMBDA_SRC) not in sys.path:
        sys.path.insert(0, str(LAMBDA_SRC))
    from pydantic.json_schema import models_json_schema

    from orders_api import models, routes

    paths: dict[str, dict[str, Any]] = {}
    for route in routes.ROUTES:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, models, routes.EVERY_ROUTE)
    # Requests as they are validated (the amount is a JSON number), responses as they are sent.
    requests = {route.body for route in routes.ROUTES if route.body}
    responses = {
        answer.model
        for route in routes.ROUTES
        for answer in [*route.answers.values(), *routes.EVERY_ROUTE.values()]
        if answer.model
    }
    _, schemas = models_json_schema(
        [(getattr(models, name), "validation") for name in sorted(requests)]
        + [(getattr(models, name), "serialization") for name in sorted(responses)],
        ref_template=_SCHEMAS + "{model}",
    )
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "description": DESCRIPTION, "version": VERSION},
        "servers": SERVERS,
        "paths": paths,
        "components": {"schemas": dict(sorted(schemas["$defs"].items()))},
    }


def _operation(route: Any, models: Any, every_route: Mapping[int, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": route.summary}
    if route.description:
        operation["description"] = route.description
    operation["operationId"] = route.function
    parameters = [
        _parameter(name, "path", models.PathParameters.model_json_schema(), required=True)
        for name in route.path_parameters
    ]
    if route.query:
        query = getattr(models, route.query).model_json_schema()
        required = set(query.get("required", ()))
        parameters += [_parameter(name, "query", query, required=name in required) for name in query["properties"]]
    if parameters:
        operation["parameters"] = parameters
    if route.body:
        operation["requestBody"] = {"content": {_JSON: {"schema": {"$ref": _SCHEMAS + route.body}}}, "required": True}
    operation["responses"] = {
        str(status): _response(answer) for status, answer in sorted({**route.answers, **every_route}.items())
    }
    return operation


def _parameter(name: str, location: str, model_schema: Mapping[str, Any], *, required: bool) -> dict[str, Any]:
    schema = dict(model_schema["properties"][name])
    alternatives = schema.get("anyOf", [])
    if not required and {"type": "null"} in alternatives:
        # Absent, never null: `str | None = None` is documented as a string.
        (present,) = [alternative for alternative in alternatives if alternative != {"type": "null"}]
        schema.pop("anyOf")
        schema = dict(sorted({**present, **schema}.items()))
        if schema.get("default", ...) is None:
            schema.pop("default")
    return {
        "name": name,
        "in": location,
        "required": required,
        "description": schema.get("description", ""),
        "schema": schema,
    }


def _response(answer: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"description": answer.description}
    if answer.model:
        response["content"] = {_JSON: {"schema": {"$ref": _SCHEMAS + answer.model}}}
    return response


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
