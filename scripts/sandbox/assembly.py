"""What a synthesized cloud assembly (cdk.out/manifest.json) says a stack needs to deploy.

The CDK CLI refuses to deploy into an environment whose bootstrap stack is older than
the `requiresBootstrapStackVersion` of the stack and of its asset manifests, and the
template's CheckBootstrapVersion rule repeats that check in CloudFormation. Reading the
figure from the assembly (instead of writing it down here) keeps the preflight right
when a CDK upgrade raises it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.stack_outputs import ScriptError

STACK_ARTIFACT = "aws:cloudformation:stack"
ASSET_MANIFEST = "cdk:asset-manifest"
DEFAULT_VERSION_PARAMETER = "/cdk-bootstrap/hnb659fds/version"
UNKNOWN_REGION = "unknown-region"


@dataclass(frozen=True)
class StackNeeds:
    """One stack's deployment requirements, as synthesized."""

    stack_id: str
    bootstrap_version: int  # the lowest bootstrap stack version its deployment accepts
    version_parameter: str  # SSM parameter holding the environment's bootstrap version
    region: str | None  # the region the stack is pinned to, None when environment-agnostic

    @property
    def qualifier(self) -> str:
        """'hnb659fds' from '/cdk-bootstrap/hnb659fds/version'."""
        parts = self.version_parameter.strip("/").split("/")
        return parts[1] if len(parts) == 3 else "hnb659fds"


def read_manifest(assembly: Path) -> dict[str, Any]:
    path = assembly / "manifest.json"
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise ScriptError(f"no cloud assembly at {assembly}: run make synth (or npx cdk synth) first") from None
    except ValueError:
        raise ScriptError(f"{path} is not valid JSON: delete {assembly} and synthesize again") from None
    return manifest


def stack_needs(manifest: dict[str, Any], stack_id: str) -> StackNeeds:
    """The bootstrap version, its SSM parameter and the pinned region of `stack_id`."""
    artifacts: dict[str, Any] = manifest.get("artifacts", {})
    stack = artifacts.get(stack_id)
    if stack is None or stack.get("type") != STACK_ARTIFACT:
        raise ScriptError(f"the cloud assembly has no stack {stack_id}: synthesize again (make synth)")
    properties = stack.get("properties", {})
    versions = [int(properties.get("requiresBootstrapStackVersion", 0))]
    parameter = properties.get("bootstrapStackVersionSsmParameter", DEFAULT_VERSION_PARAMETER)
    # The stack's assets are published with the bootstrap stack's roles and bucket first.
    for name in [*stack.get("dependencies", []), *properties.get("additionalDependencies", [])]:
        dependency = artifacts.get(name, {})
        if dependency.get("type") == ASSET_MANIFEST:
            versions.append(int(dependency.get("properties", {}).get("requiresBootstrapStackVersion", 0)))
    environment = str(stack.get("environment", ""))
    region = environment.rsplit("/", 1)[-1] if environment.startswith("aws://") else UNKNOWN_REGION
    return StackNeeds(
        stack_id=stack_id,
        bootstrap_version=max(versions),
        version_parameter=parameter,
        region=None if region == UNKNOWN_REGION else region,
    )


def read_template(assembly: Path, stack_id: str) -> dict[str, Any]:
    """The synthesized CloudFormation template of `stack_id` in the cloud assembly."""
    stack = read_manifest(assembly).get("artifacts", {}).get(stack_id)
    if stack is None or stack.get("type") != STACK_ARTIFACT:
        raise ScriptError(f"the cloud assembly has no stack {stack_id}: synthesize again (make synth)")
    path = assembly / stack.get("properties", {}).get("templateFile", f"{stack_id}.template.json")
    try:
        template: dict[str, Any] = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        raise ScriptError(f"{path} is missing or not valid JSON: delete {assembly} and synthesize again") from None
    return template
