"""The billing-alarm lab's tests."""
