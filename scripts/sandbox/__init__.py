"""The sandbox loop: preflight, deploy, verify, destroy, leftovers (see docs/sandbox-loop.md)."""
