"""Orders API: API Gateway REST (proxy) -> Lambda -> DynamoDB (guide 001 "serverless REST API", 002 `Orders`).

- handler.py: the Lambda entry point (Logger, Tracer, Metrics wiring only);
- api.py: the route functions on Powertools' REST resolver (routing, CORS, errors, 404/405);
- routes.py: the routes as data (method, path, documented answers): api.py registers them,
  scripts/serverless_api/openapi.py documents them;
- requests.py: what each request must be, in plain Python;
- models.py: the same requests and the responses as pydantic models, for openapi.json only;
- logic.py: pure rules (status transitions, ids, page tokens, the 400's wording), no AWS;
- store.py: the only module that talks to DynamoDB.

The import budget: Lambda imports handler.py on every cold start, and the bench's target
is under 300 ms (python -m scripts.serverless_api.bench). Powertools' OpenAPI validation
(enable_validation) and pydantic took about 90-170 ms of it (median import 416-543 ms
before, 330-368 ms after, in interleaved fresh processes on the 2-core build machine at
load 0.9-2.5), so the function imports neither: nothing it imports may import models.py
(tests/serverless_api/test_import_budget.py). What remains is the floor of the libraries
it needs (Powertools' event handler, Logger, Metrics, Tracer with the X-Ray SDK, botocore);
orders_api's own modules add about 10 ms to it.
"""
