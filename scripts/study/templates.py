"""The synthesized templates the study tools read: synthesized here, offline, or read from a cdk.out.

By default a tool synthesizes in-process, as the tests do (tests/harness.py): the same
`build_app` as app.py, cdk.json's context with the stage set, CDK's built-in CloudFormation
validator off. No credentials, no network, no CDK CLI. `--cdk-out DIR` reads the
templates `make synth` wrote instead (faster; as fresh as your last `make synth`); the
CLI adds path metadata and the `CDKMetadata` resource that an in-process synth leaves out.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from scripts.stack_outputs import ScriptError
from stacks.config import ConfigError, cdk_json_context, load_stage_config, stage_names
from stacks.labs import LABS, Lab, lab_named


class TemplateSource(Protocol):
    """One stage's templates by stack id; tests pass their session-synthesized stages."""

    @property
    def name(self) -> str: ...  # the stage

    def template_json(self, stack_id: str) -> dict[str, Any]: ...


@dataclass
class StageTemplates:
    """One stage's templates, read back from a cdk.out."""

    name: str
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)

    def template_json(self, stack_id: str) -> dict[str, Any]:
        return self.templates[stack_id]


def lab_argument(name: str | None) -> Lab:
    """The lab a learner named (LAB=...), or a one-line error listing the labs."""
    names = ", ".join(lab.name for lab in LABS)
    if not name:
        raise ScriptError(f"no lab given: name one with LAB=<lab> (one of {names})")
    try:
        return lab_named(name)
    except LookupError as error:
        raise ScriptError(str(error)) from None


def stage_argument(stage: str) -> str:
    stages = stage_names()
    if stage not in stages:
        raise ScriptError(f"unknown stage {stage!r}: must be one of {', '.join(stages)} (the blocks of cdk.json)")
    return stage


def load(stage: str, labs: Sequence[Lab], cdk_out: Path | None = None) -> StageTemplates:
    """The labs' templates of one stage: from `cdk_out` if given, else synthesized here."""
    stage_argument(stage)
    return read_cdk_out(cdk_out, stage, labs) if cdk_out is not None else synthesize(stage, labs)


def synthesize(stage: str, labs: Sequence[Lab] = LABS) -> StageTemplates:
    """Synthesizes the labs' stacks for one stage, in-process and offline, like tests/harness.py."""
    _prepare_node()
    import aws_cdk as cdk  # late: importing it starts a Node process (jsii); --help must not wait for it

    from stacks.app_builder import build_app

    context = {**cdk_json_context(), "stage": stage}
    try:
        config = load_stage_config(context)
    except ConfigError as error:
        raise ScriptError(str(error)) from None
    with tempfile.TemporaryDirectory(prefix="study-cdk.out.") as outdir:
        output = io.StringIO()
        # Synth warnings (no alarm e-mail ...) are `make synth`'s business; here they would bury the answer.
        try:
            with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
                app = cdk.App(context=context, outdir=outdir, builtin_cloud_formation_validation=False)
                stacks = build_app(app, config, labs)
                app.synth()
        except Exception as error:  # jsii wraps every synth failure in its own types
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise ScriptError(f"synth of stage {stage} failed: {first}") from None
        return StageTemplates(
            name=stage,
            templates={
                stack_id: json.loads((Path(outdir) / stack.template_file).read_text())
                for stack_id, stack in stacks.items()
            },
        )


def read_cdk_out(directory: Path, stage: str, labs: Sequence[Lab]) -> StageTemplates:
    """The labs' templates from a cdk.out that `make synth` (or `cdk synth`) wrote for `stage`."""
    templates: dict[str, dict[str, Any]] = {}
    for stack_id in (stack_id for lab in labs for stack_id in lab.stack_ids):
        path = directory / f"{stack_id}.template.json"
        if not path.is_file():
            raise ScriptError(f"{path} not found: run `make synth STAGE={stage}` first, or leave out --cdk-out")
        template: dict[str, Any] = json.loads(path.read_text())
        found = stage_of(template)
        if found != stage:
            raise ScriptError(
                f"{directory} holds stage {found or 'unknown'}, not {stage}: "
                f"run `make synth STAGE={stage}` (prod: `make synth-all` writes cdk.out.prod)"
            )
        templates[stack_id] = template
    return StageTemplates(name=stage, templates=templates)


def stage_of(template: dict[str, Any]) -> str | None:
    """The `Stage` tag the app builder puts on every taggable resource."""
    for resource in template.get("Resources", {}).values():
        properties = resource.get("Properties", {})
        # Route 53 names its tag lists after the resource (HostedZoneTags, HealthCheckTags).
        tags = next(
            (properties[key] for key in ("Tags", "HostedZoneTags", "HealthCheckTags") if key in properties), None
        )
        if isinstance(tags, list):
            for tag in tags:
                if isinstance(tag, dict) and tag.get("Key") == "Stage" and isinstance(tag.get("Value"), str):
                    return str(tag["Value"])
    return None


def _prepare_node() -> None:
    """As tests/conftest.py: fail on deprecated APIs, and start the venv's Node, not the system's."""
    os.environ.setdefault("JSII_DEPRECATED", "fail")
    venv_bin = Path(sys.executable).parent
    if (venv_bin / "node").exists() and not os.environ.get("PATH", "").startswith(str(venv_bin)):
        os.environ["PATH"] = f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"
