"""The billing-alarm lab's learner tools: the sandbox loop's verify step."""
