"""The queue_worker lab."""
