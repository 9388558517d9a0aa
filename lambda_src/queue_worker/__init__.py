"""Queue worker: stores weather readings from SQS in DynamoDB (guide 000, ZipcodeWeather).

handler.py wires the Lambda event to logic.py (pure parsing and validation) and
store.py (the only module that talks to AWS).
"""
