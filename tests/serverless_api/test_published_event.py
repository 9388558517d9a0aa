"""The handler on the Powertools collection's REST proxy event (events/SOURCES.toml): AWS's own shape.

GET /my/path is no route of the orders API: a 404 with the API's JSON error body.
"""

from __future__ import annotations

import json

from orders_api import handler
from scripts.serverless_api.local_api import LocalContext
from tests.harness import load_event


def test_the_published_rest_proxy_event_for_an_unknown_path_is_a_404(table: str) -> None:
    response = handler.lambda_handler(
        load_event("serverless_api", "powertools_api_gateway_proxy_event.json"), LocalContext(aws_request_id="t")
    )
    assert response["statusCode"] == 404
    assert "message" in json.loads(response["body"])
