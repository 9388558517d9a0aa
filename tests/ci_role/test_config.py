"""The CI role's context keys: a bad value is one line naming the key and what is allowed."""

from __future__ import annotations

import pytest

from stacks.ci_role.config import ci_role_settings
from stacks.config import ConfigError


def test_no_repository_means_no_ci_role() -> None:
    assert ci_role_settings({}) is None


def test_defaults_to_main() -> None:
    settings = ci_role_settings({"ci_role_repository": "alice/labs"})
    assert settings is not None
    assert settings.subject == "repo:alice/labs:ref:refs/heads/main"


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({"ci_role_repository": "alice"}, 'ci_role_repository = "alice": must be a GitHub repository as owner/name'),
        ({"ci_role_repository": "alice/*"}, "must be a GitHub repository as owner/name"),
        ({"ci_role_repository": "a/b", "ci_role_branch": "*"}, 'ci_role_branch = "*": must be a branch name'),
        (
            {"ci_role_repository": "a/b", "ci_role_oidc_provider_arn": "arn:aws:iam::1:oidc-provider/x"},
            "must be the ARN of the account's token.actions.githubusercontent.com OIDC provider",
        ),
    ],
)
def test_bad_values_are_one_line(context: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigError) as raised:
        ci_role_settings(context)
    assert expected in str(raised.value)
    assert "\n" not in str(raised.value)
