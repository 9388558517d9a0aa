"""The handler on the Powertools collection's REST proxy event (events/SOURCES.toml): AWS's own shape.

GET /my/path is no route of the orders API: a 404 with the API's JSON error body.
"""

from __future__ import annotations

import json

from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventModel

from orders_api import handler
from scripts.serverless_api.local_api import LocalContext
from tests.harness import load_event
from tests.serverless_api.conftest import proxy_event


def test_the_published_rest_proxy_event_for_an_unknown_path_is_a_404(table: str) -> None:
    response = handler.lambda_handler(
        load_event("serverless_api", "powertools_api_gateway_proxy_event.json"), LocalContext(aws_request_id="t")
    )
    assert response["statusCode"] == 404
    assert "message" in json.loads(response["body"])


def test_the_events_the_tests_build_have_the_shape_api_gateway_sends() -> None:
    # proxy_event() changes the written fixture for each request: its output must parse too.
    event = proxy_event(
        "POST", "/orders", body={"user_id": "u1", "amount": 3}, query={"limit": "5"}, headers={"X-Test": "1"}
    )
    parsed = APIGatewayProxyEventModel.model_validate(event)
    assert (parsed.httpMethod, parsed.path) == ("POST", "/orders")
