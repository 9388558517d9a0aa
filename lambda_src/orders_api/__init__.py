"""Orders API: API Gateway REST (proxy) -> Lambda -> DynamoDB (guide 001 "serverless REST API", 002 `Orders`).

- handler.py: the Lambda entry point (Logger, Tracer, Metrics wiring only);
- api.py: the route functions on Powertools' REST resolver (routing, CORS, errors, 404/405);
- routes.py: the routes as data (method, path, documented answers): api.py registers them,
  scripts/serverless_api/openapi.py documents them;
- validation.py: what each request must be, in plain Python;
- models.py: the same requests and the responses as pydantic models, for openapi.json only;
- logic.py: pure rules (status transitions, ids, page tokens, the 400's wording), no AWS;
- store.py: the only module that talks to DynamoDB.

The import budget: Lambda imports handler.py on every cold start, and the target is under
300 ms (python -m scripts.serverless_api.bench). Powertools' OpenAPI validation
(enable_validation) and pydantic took about 90-170 ms of it, depending on the load: bench
medians of 490 and 528 ms with them, 354 and 360 ms without (--imports 11, the 2-core build
machine at load 1.0-1.1, Python 3.11). So the function imports neither, and nothing it
imports may import models.py (tests/serverless_api/test_import_budget.py). What remains is
the floor of the libraries it needs (Powertools' event handler, Logger, Metrics, Tracer
with the X-Ray SDK, botocore): the bench imports just those too, interleaved with the
handler, and they take as long within the noise (346 ms for the handler, 362 ms for the
libraries alone, at load 1.1).
"""
