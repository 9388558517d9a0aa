"""The three-tier lab's tests."""
