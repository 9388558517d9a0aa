#!/usr/bin/env python3
"""Composition root: load the stage config, build every lab, add cdk-nag, synth.

npx cdk synth                  # sandbox stage (default)
npx cdk synth -c stage=prod    # prod stage
"""

from __future__ import annotations

import sys

import aws_cdk as cdk

from stacks.app_builder import add_nag_checks, build_app, build_ci_role
from stacks.ci_role.config import BRANCH_KEY, PROVIDER_KEY, REPOSITORY_KEY, ci_role_settings
from stacks.config import ConfigError, load_stage_config


def main() -> int:
    app = cdk.App()
    context = {key: app.node.try_get_context(key) for key in ("stage", "stages")}
    if context["stage"] is None:
        del context["stage"]
    try:
        config = load_stage_config(context)
        ci_role = ci_role_settings(
            {key: app.node.try_get_context(key) for key in (REPOSITORY_KEY, BRANCH_KEY, PROVIDER_KEY)}
        )
    except ConfigError as error:
        # One line naming key, value and what is allowed; no traceback for a typo.
        print(f"error: {error}", file=sys.stderr)
        return 1
    build_app(app, config)
    if ci_role is not None:  # make ci-role: the role a fork's GitHub Actions workflow assumes
        build_ci_role(app, ci_role)
    add_nag_checks(app)
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
