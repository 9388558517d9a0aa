"""The static-site lab."""
