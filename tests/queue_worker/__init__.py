"""The queue-worker lab's tests."""
