"""The CI role: what a fork's GitHub Actions workflow assumes to run the sandbox loop.

Not a lab (it is not in stacks/labs.py's LABS): the app builds it only when the
`ci_role_repository` context key is given (`make ci-role REPOSITORY=owner/name`).
"""
