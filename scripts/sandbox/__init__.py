"""The sandbox loop: preflight, deploy, verify, destroy, leftovers (see README "Sandbox loop")."""
