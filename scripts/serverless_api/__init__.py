"""Learner tools of the serverless-api lab: the local API, the OpenAPI document, the benchmark."""
