"""The queue-worker lab's learner tools: the sandbox loop's verify step."""
