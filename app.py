#!/usr/bin/env python3
"""Composition root: load the stage config, build every lab, add cdk-nag, synth.

npx cdk synth                                  # sandbox stage (default)
npx cdk synth -c stage=prod                    # prod stage
npx cdk synth -c labs=queue-worker[,fanout]    # only these labs' stacks (make synth LAB=...)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# cdk.json runs `python3 app.py`: whichever python3 comes first on PATH. Before the venv is on
# PATH that is the system's, without the CDK packages; this file then runs itself again with
# the repository's venv (its bin first on PATH, so that jsii starts the venv's Node too), or,
# when there is none yet, says in one line how to make it.
VENV_PYTHON = Path(__file__).resolve().parent / ".venv" / "bin" / "python"
IN_THE_VENV = "CLOUDOPS_APP_REEXEC"  # set for the second run: never loop


def run_in_the_venv() -> None:
    try:
        import aws_cdk  # noqa: F401
    except ModuleNotFoundError:
        if VENV_PYTHON.exists() and IN_THE_VENV not in os.environ:
            path = f"{VENV_PYTHON.parent}{os.pathsep}{os.environ.get('PATH', '')}"
            env = {**os.environ, IN_THE_VENV: "1", "PATH": path}
            os.execve(VENV_PYTHON, [str(VENV_PYTHON), __file__, *sys.argv[1:]], env)
        sys.exit(
            f"error: {sys.executable} has no CDK packages: run `make synth` first "
            '(it sets up .venv), then export PATH="$PWD/.venv/bin:$PATH"'
        )


if __name__ == "__main__":
    run_in_the_venv()

import aws_cdk as cdk  # noqa: E402

from stacks.app_builder import add_nag_checks, build_app, build_ci_role  # noqa: E402
from stacks.ci_role.config import BRANCH_KEY, PROVIDER_KEY, REPOSITORY_KEY, ci_role_settings  # noqa: E402
from stacks.components.alert_topic import alarm_email_note  # noqa: E402
from stacks.config import ConfigError, load_stage_config  # noqa: E402
from stacks.labs import LABS, labs_named  # noqa: E402


def main(app: cdk.App | None = None) -> int:
    """Builds and synthesizes the app; the CDK CLI passes context and output folder in the environment.

    Tests pass their own App (context and outdir set): jsii's Node process reads the environment once.
    """
    app = app or cdk.App()
    context = {key: app.node.try_get_context(key) for key in ("stage", "stages", "rehearsal")}
    if context["stage"] is None:
        del context["stage"]
    # The labs to build: all of them, or those the `labs` context key names. Each lab's stack
    # shares nothing with the others, so one built alone has the template it has in the whole app.
    names = app.node.try_get_context("labs")
    try:
        config = load_stage_config(context)
        ci_role = ci_role_settings(
            {key: app.node.try_get_context(key) for key in (REPOSITORY_KEY, BRANCH_KEY, PROVIDER_KEY)}
        )
        labs = LABS if names is None else labs_named(str(names))
    except (ConfigError, LookupError) as error:
        # One line naming key, value and what is allowed; no traceback for a typo.
        print(f"error: {error}", file=sys.stderr)
        return 1
    build_app(app, config, labs)
    if ci_role is not None:  # make ci-role: the role a fork's GitHub Actions workflow assumes
        build_ci_role(app, ci_role)
    add_nag_checks(app)
    app.synth()
    note = alarm_email_note(config)
    if note is not None:
        print(note, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
