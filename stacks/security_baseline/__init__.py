"""Lab 9: security-baseline, CloudTrail, GuardDuty, EventBridge -> SNS / remediation (see stack.py)."""
