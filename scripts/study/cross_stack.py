"""The references between the stacks of a lab of several: where one template reads another's output.

CDK writes a cross-stack reference of this repo's multi-region lab as `Fn::GetStackOutput`
(cdk.json sets "@aws-cdk/core:defaultCrossStackReferences": "weak"; stacks/multi_region_failover/
stack.py says why), which names the producing stack and its output; the output's value names
the producing resource. https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/
intrinsic-function-reference-getstackoutput.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from scripts.study.cfn import CARRIER_KEYS, properties, resources, targets


@dataclass(frozen=True)
class StackReference:
    """Resource `source` of stack `source_stack` reads an output of `target_stack` that names `target`."""

    source_stack: str
    source: str
    target_stack: str
    target: str
    label: str  # the property of `source` that holds the reference


def stack_references(stack_templates: Mapping[str, dict[str, Any]]) -> list[StackReference]:
    """Every resource-to-resource reference between the given stacks (by stack id), each once."""
    found: list[StackReference] = []
    for stack_id, template in stack_templates.items():
        for source, resource in resources(template).items():
            for call, path in _stack_outputs(properties(resource), ()):
                producer = stack_templates.get(str(call.get("StackName")))
                if producer is None:
                    continue  # a stack outside the lab: nothing to draw it against
                output = producer.get("Outputs", {}).get(str(call.get("OutputName")), {})
                for target in targets(output.get("Value"), set(resources(producer))):
                    reference = StackReference(stack_id, source, str(call["StackName"]), target, _label(path))
                    if reference not in found:
                        found.append(reference)
    return found


def _stack_outputs(value: Any, path: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], tuple[str, ...]]]:
    if isinstance(value, dict):
        if set(value) == {"Fn::GetStackOutput"} and isinstance(value["Fn::GetStackOutput"], dict):
            yield value["Fn::GetStackOutput"], path
            return
        for key, item in value.items():
            yield from _stack_outputs(item, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from _stack_outputs(item, path)


def _label(path: tuple[str, ...]) -> str:
    keys = [key for key in path if not key.startswith("Fn::") and key not in CARRIER_KEYS]
    return keys[-1] if keys else "Fn::GetStackOutput"
