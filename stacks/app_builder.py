"""The one place that puts every lab's stack into an App, shared by app.py and the tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, ServerlessChecks

from stacks.ci_role.config import CiRoleSettings
from stacks.components.bucket_policies import retain_policies_of_retained_buckets
from stacks.components.provider_logs import own_provider_log_groups
from stacks.config import StageConfig
from stacks.labs import LABS, PROJECT_TAG, Lab


def build_app(app: cdk.App, config: StageConfig, labs: Sequence[Lab] = LABS) -> dict[str, cdk.Stack]:
    """Adds every stack of every lab of the registry (or of `labs`) to `app`; returns them by stack id.

    Stack ids carry no stage name: a learner deploys one stage per account, and
    a stable id keeps `cdk deploy <id>` the same in the README for both stages.
    A lab pinned to a region (billing-alarm) gets that region; a lab of several stacks
    (multi-region-failover) gets each stack's region from its section, and each of its
    stacks receives the ones built before it (`peers`, by role) and depends on them, so
    `cdk deploy`/`cdk destroy` order them. The other labs stay environment-agnostic. The
    study tools (scripts/study/) build one lab alone: labs share nothing, so its templates
    are the same as in the whole app.
    """
    stacks: list[cdk.Stack] = []
    for lab in labs:
        section = config.sections[lab.package]
        regions = lab.stack_regions(section)
        peers: dict[str, cdk.Stack] = {}
        for spec in lab.stack_specs:
            stack_kwargs: dict[str, Any] = {"description": lab.description}
            if regions[spec.stack_id] is not None:
                stack_kwargs["env"] = cdk.Environment(region=regions[spec.stack_id])
            if lab.stacks:
                stack_kwargs["description"] = f"{lab.description}: {spec.role} stack"
                stack_kwargs["peers"] = dict(peers)
            stack = lab.stack_type(spec.stack_class)(
                app,
                spec.stack_id,
                config=section,
                protect_data=config.protect_data,
                **stack_kwargs,
            )
            for earlier in peers.values():
                stack.add_stack_dependency(earlier, "the lab's stacks deploy in the registry's order")
            peers[spec.role] = stack
            # Every taggable resource says whose it is: `make leftovers` finds what a destroy left by these.
            cdk.Tags.of(stack).add("Project", PROJECT_TAG)
            cdk.Tags.of(stack).add("Stage", config.stage)
            cdk.Tags.of(stack).add("Lab", lab.name)
            own_provider_log_groups(stack)
            retain_policies_of_retained_buckets(stack)
            stacks.append(stack)
    return {stack.node.id: stack for stack in stacks}


def build_ci_role(app: cdk.App, settings: CiRoleSettings) -> cdk.Stack:
    """The CI role's stack (not a lab): tagged like the labs, so leftovers sees it too."""
    from stacks.ci_role.stack import STACK_ID, CiRoleStack

    stack = CiRoleStack(
        app, STACK_ID, settings=settings, description="CloudOps CDK Labs: GitHub OIDC role for the sandbox loop"
    )
    cdk.Tags.of(stack).add("Project", PROJECT_TAG)
    cdk.Tags.of(stack).add("Lab", "ci-role")
    return stack


def nag_packs() -> list[Any]:
    """The cdk-nag rule packs every lab must pass."""
    return [AwsSolutionsChecks(), ServerlessChecks()]


def add_nag_checks(app: cdk.App) -> None:
    """Registers cdk-nag so that synth fails on any unacknowledged finding."""
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
