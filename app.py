#!/usr/bin/env python3
"""Composition root: load the stage config, build every lab, add cdk-nag, synth.

npx cdk synth                                  # sandbox stage (default)
npx cdk synth -c stage=prod                    # prod stage
npx cdk synth -c labs=queue-worker[,fanout]    # only these labs' stacks (make synth LAB=...)
"""

from __future__ import annotations

import sys

import aws_cdk as cdk

from stacks.app_builder import add_nag_checks, build_app
from stacks.config import ConfigError, load_stage_config
from stacks.labs import LABS, labs_named


def main(app: cdk.App | None = None) -> int:
    """Builds and synthesizes the app; the CDK CLI passes context and output folder in the environment.

    Tests pass their own App (context and outdir set): jsii's Node process reads the environment once.
    """
    app = app or cdk.App()
    context = {key: app.node.try_get_context(key) for key in ("stage", "stages")}
    if context["stage"] is None:
        del context["stage"]
    # The labs to build: all of them, or those the `labs` context key names. Each lab's stack
    # shares nothing with the others, so one built alone has the template it has in the whole app.
    names = app.node.try_get_context("labs")
    try:
        config = load_stage_config(context)
        labs = LABS if names is None else labs_named(str(names))
    except (ConfigError, LookupError) as error:
        # One line naming key, value and what is allowed; no traceback for a typo.
        print(f"error: {error}", file=sys.stderr)
        return 1
    build_app(app, config, labs)
    add_nag_checks(app)
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
