"""Learner tools and verify step of the ops-automation lab (scheduled EBS snapshot chores)."""
