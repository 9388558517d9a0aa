"""Lab 8: ops-automation, scheduled Lambda chores from the guide's boto3 scripts (see stack.py)."""
