"""Lab 4: serverless-api, API Gateway REST -> Lambda -> DynamoDB (the guide's Orders API)."""
