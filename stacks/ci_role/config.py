"""The CI role's settings, from context keys given on the command line (make ci-role)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from stacks.config import ConfigError

REPOSITORY_KEY = "ci_role_repository"
BRANCH_KEY = "ci_role_branch"
PROVIDER_KEY = "ci_role_oidc_provider_arn"
# GitHub's rules for owner and repository names: letters, digits, '-', '_' and '.'.
_REPOSITORY = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")
_BRANCH = re.compile(r"^[A-Za-z0-9._/-]+$")
_PROVIDER = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:oidc-provider/token\.actions\.githubusercontent\.com$")


@dataclass(frozen=True)
class CiRoleSettings:
    """Who may assume the role: one repository, one branch."""

    repository: str  # "owner/name"
    branch: str = "main"
    # The account's existing GitHub OIDC provider (one per account and URL); None creates it.
    oidc_provider_arn: str | None = None

    @property
    def subject(self) -> str:
        """The `sub` claim of GitHub's OIDC token for a job on that branch (no `environment:`)."""
        return f"repo:{self.repository}:ref:refs/heads/{self.branch}"


def ci_role_settings(context: dict[str, Any]) -> CiRoleSettings | None:
    """The settings when `ci_role_repository` is given, else None; a bad value is one line."""
    repository = context.get(REPOSITORY_KEY)
    if repository is None:
        return None
    if not isinstance(repository, str) or not _REPOSITORY.match(repository):
        raise ConfigError(REPOSITORY_KEY, repository, "must be a GitHub repository as owner/name")
    branch = context.get(BRANCH_KEY) or "main"
    if not isinstance(branch, str) or not _BRANCH.match(branch) or ".." in branch:
        raise ConfigError(BRANCH_KEY, branch, "must be a branch name such as main")
    provider = context.get(PROVIDER_KEY) or None
    if provider is not None and (not isinstance(provider, str) or not _PROVIDER.match(provider)):
        raise ConfigError(
            PROVIDER_KEY,
            provider,
            "must be the ARN of the account's token.actions.githubusercontent.com OIDC provider, "
            "or empty to create one",
        )
    return CiRoleSettings(repository=repository, branch=branch, oidc_provider_arn=provider)
