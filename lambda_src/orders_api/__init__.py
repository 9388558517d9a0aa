"""Orders API: API Gateway REST (proxy) -> Lambda -> DynamoDB (guide 001 "serverless REST API", 002 `Orders`).

- handler.py: the Lambda entry point (Logger, Tracer, Metrics wiring only);
- api.py: the routes (Powertools REST resolver with validation), errors, CORS;
- models.py: the request and response shapes, which also generate openapi.json;
- logic.py: pure rules (status transitions, ids, page tokens), no AWS;
- store.py: the only module that talks to DynamoDB.
"""
