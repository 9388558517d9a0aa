#!/usr/bin/env python3
"""Composition root: load the stage config, build every lab, add cdk-nag, synth.

npx cdk synth                  # sandbox stage (default)
npx cdk synth -c stage=prod    # prod stage
"""

from __future__ import annotations

import sys

import aws_cdk as cdk

from stacks.app_builder import add_nag_checks, build_app
from stacks.config import ConfigError, load_stage_config


def main() -> int:
    app = cdk.App()
    context = {key: app.node.try_get_context(key) for key in ("stage", "stages", "rehearsal")}
    if context["stage"] is None:
        del context["stage"]
    try:
        config = load_stage_config(context)
    except ConfigError as error:
        # One line naming key, value and what is allowed; no traceback for a typo.
        print(f"error: {error}", file=sys.stderr)
        return 1
    build_app(app, config)
    add_nag_checks(app)
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
