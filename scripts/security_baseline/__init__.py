"""Learner tools and verify step of the security-baseline lab (CloudTrail, GuardDuty, EventBridge)."""
