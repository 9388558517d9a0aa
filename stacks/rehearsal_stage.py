"""The emulator rehearsal's stage (make rehearse): cdk.json's `rehearsal` block, outside `stages`.

It is built from a base stage (the sandbox) with a few overrides, so that the study tools,
the gates and the docs keep exactly the learner's two stages while the sandbox loop accepts
a third one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stacks.config import ConfigError, cdk_json_context, stage_names


def rehearsal_stage(context: Mapping[str, Any] | None = None) -> str | None:
    """The name of the emulator rehearsal's stage (cdk.json `rehearsal.stage`), if any."""
    rehearsal = (context or cdk_json_context()).get("rehearsal")
    return rehearsal.get("stage") if isinstance(rehearsal, Mapping) else None


def loop_stage_names(context: Mapping[str, Any] | None = None) -> list[str]:
    """The stages the sandbox loop accepts: cdk.json's, and the rehearsal's (make rehearse)."""
    context = context or cdk_json_context()
    extra = rehearsal_stage(context)
    return [*stage_names(context), *([extra] if extra else [])]


def with_rehearsal_stage(context: Mapping[str, Any]) -> Any:
    """`stages`, plus the rehearsal's stage: its base stage's block with its overrides.

    The rehearsal (make rehearse, scripts/rehearse/) deploys to a local emulator: the
    sandbox shape with shorter waits. It lives outside `stages` so that the study tools,
    the gates and the docs keep exactly the learner's two stages.
    """
    stages = context.get("stages")
    rehearsal = context.get("rehearsal")
    if not isinstance(rehearsal, Mapping) or not isinstance(stages, Mapping):
        return stages
    base, name = rehearsal.get("base"), rehearsal.get("stage")
    if base not in stages or not isinstance(name, str) or name in stages:
        raise ConfigError("rehearsal", dict(rehearsal), "needs a new stage name and a base that is one of the stages")
    block = {key: dict(value) if isinstance(value, Mapping) else value for key, value in stages[base].items()}
    for key, overrides in dict(rehearsal.get("overrides", {})).items():
        block[key] = {**block[key], **overrides} if isinstance(block.get(key), dict) else overrides
    return {**stages, name: block}
