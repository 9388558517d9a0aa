"""The three_tier lab."""
