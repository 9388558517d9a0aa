"""Learner tools of the queue-worker lab."""
