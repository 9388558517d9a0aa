"""The three-tier lab's learner tools: the sandbox loop's verify step."""
