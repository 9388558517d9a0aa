"""The fanout lab."""
