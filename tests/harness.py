"""The offline test harness: one synthesized App per stage per pytest session.

conftest.py turns `synthesize` into session fixtures; test modules import the
types and helpers from here. The App is built by the same `build_app` as app.py,
with cdk.json's context (feature flags and stages) loaded, and with CDK's built-in
CloudFormation validator off: it costs seconds per process, and `make synth` runs it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from unittest import mock

import aws_cdk as cdk
from aws_cdk.assertions import Template
from aws_lambda_powertools.utilities.typing import LambdaContext

from stacks.app_builder import build_app, nag_packs
from stacks.config import StageConfig, cdk_json_context, load_stage_config
from stacks.labs import LABS, Lab, labs_named

STAGES = ("sandbox", "prod")
ALL_OPTIONS_SUFFIX = "-all-options"
# Each stage as shipped, and each stage with every optional key and flag set (LabSection.ALL_OPTIONS).
VARIANTS = (*STAGES, *(f"{stage}{ALL_OPTIONS_SUFFIX}" for stage in STAGES))
TESTS_DIR = Path(__file__).parent
# The labs a run tests (comma-separated names, as in the labs table); unset: every lab.
LABS_VARIABLE = "CLOUDOPS_LABS"


def labs_under_test() -> tuple[Lab, ...]:
    """The labs CLOUDOPS_LABS names, or every lab; an unknown name is a LookupError listing the labs."""
    names = os.environ.get(LABS_VARIABLE)
    return LABS if names is None else labs_named(names)


@dataclass
class SynthesizedStage:
    """One stage's App after synthesis, with its templates read back from its cdk.out."""

    name: str  # the stage: sandbox or prod
    variant: str  # the stage, or the stage with every option set ("sandbox-all-options")
    config: StageConfig
    app: cdk.App
    stacks: dict[str, cdk.Stack]
    outdir: Path
    labs: tuple[Lab, ...]  # the labs whose stacks the app holds: every lab, or those of CLOUDOPS_LABS
    _json: dict[str, dict[str, Any]] = field(default_factory=dict)
    _templates: dict[str, Template] = field(default_factory=dict)
    _warnings: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def template_json(self, stack_id: str) -> dict[str, Any]:
        if stack_id not in self._json:
            path = self.outdir / self.stacks[stack_id].template_file
            self._json[stack_id] = json.loads(path.read_text())
        return self._json[stack_id]

    def warnings(self, stack_id: str) -> dict[str, list[str]]:
        """Construct path -> the synth warnings on it, as the cloud assembly records them (read from
        its metadata file: Annotations.from_stack asks jsii and costs a third of a second a call)."""
        if stack_id not in self._warnings:
            manifest = json.loads((self.outdir / "manifest.json").read_text())
            metadata_file = manifest["artifacts"][stack_id]["additionalMetadataFile"]
            entries: dict[str, list[dict[str, Any]]] = json.loads((self.outdir / metadata_file).read_text())
            found = {
                path: [str(entry["data"]) for entry in path_entries if entry["type"] == "aws:cdk:warning"]
                for path, path_entries in entries.items()
            }
            self._warnings[stack_id] = {path: messages for path, messages in found.items() if messages}
        return self._warnings[stack_id]

    def template(self, stack_id: str) -> Template:
        if stack_id not in self._templates:
            self._templates[stack_id] = Template.from_json(self.template_json(stack_id))
        return self._templates[stack_id]


def stage_context(stage: str) -> dict[str, Any]:
    """cdk.json's context with `stage` set, as `cdk synth -c stage=...` would pass it."""
    context = cdk_json_context()
    context["stage"] = stage
    return context


def all_options_context(stage: str) -> dict[str, Any]:
    """The stage's context with every lab's ALL_OPTIONS set: alarm e-mails, certificates, flags."""
    context = stage_context(stage)
    block = context["stages"][stage]
    for lab in LABS:
        block[lab.package] = {**block[lab.package], **lab.config_type().ALL_OPTIONS}
    return context


def synthesize(variant: str, outdir: Path) -> SynthesizedStage:
    stage = variant.removesuffix(ALL_OPTIONS_SUFFIX)
    context = all_options_context(stage) if variant.endswith(ALL_OPTIONS_SUFFIX) else stage_context(stage)
    config = load_stage_config(context)
    app = cdk.App(context=context, outdir=str(outdir), builtin_cloud_formation_validation=False)
    labs = labs_under_test()
    stacks = build_app(app, config, labs)
    app.synth()
    return SynthesizedStage(
        name=stage, variant=variant, config=config, app=app, stacks=stacks, outdir=outdir, labs=labs
    )


def _acknowledge_nothing(validations: cdk.Validations, *acknowledgments: cdk.Acknowledgment) -> None:
    del validations, acknowledgments


def synthesize_without_acknowledgments(variant: str, outdir: Path) -> SynthesizedStage:
    """The variant as `synthesize` builds it, but every `Validations.of(...).acknowledge` a no-op.

    Patched on the class, so it catches acknowledgments made through stacks/components/acknowledge.py
    and those made directly alike. Synthesized, not only built: aspects (IMDSv2 on the NAT instance)
    run at synth and change what cdk-nag finds.
    """
    with mock.patch.object(cdk.Validations, "acknowledge", _acknowledge_nothing):
        return synthesize(variant, outdir)


# aws-cdk-lib < 2.262.1 wrote "annotation::<rule>", later versions "Annotation::<rule>"; cdk-nag strips either.
_ANNOTATION_PREFIX = re.compile(r"^annotation::", re.IGNORECASE)


def bare_rule_id(acknowledged_id: str) -> str:
    """The rule id an acknowledgment names, as cdk-nag compares it (without CDK's "Annotation::")."""
    return _ANNOTATION_PREFIX.sub("", acknowledged_id)


def nag_findings(app: cdk.App) -> set[tuple[str, str]]:
    """(construct path, rule id) of every finding of both packs that no acknowledgment hides."""
    return {
        (resource.construct_path, violation.rule_name)
        for pack in nag_packs()
        for violation in pack.validate_scope(app).violations
        for resource in violation.violating_resources
    }


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    """Logical id -> resource, for every resource of one CloudFormation type."""
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def load_event(lab_package: str, name: str) -> dict[str, Any]:
    """A JSON test event from tests/<lab_package>/events/."""
    event: dict[str, Any] = json.loads((TESTS_DIR / lab_package / "events" / name).read_text())
    return event


@dataclass
class FakeLambdaContext:
    """The attributes Powertools' Logger and the handlers read from a real Lambda context."""

    function_name: str
    memory_limit_in_mb: int = 256
    region: str = "us-east-1"
    account: str = "123456789012"
    remaining_ms: int = 30_000
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def fake_lambda_context(function_name: str, **attributes: Any) -> LambdaContext:
    """A stand-in context for calling a handler offline (duck-typed: handlers read only these)."""
    return cast(LambdaContext, FakeLambdaContext(function_name, **attributes))
