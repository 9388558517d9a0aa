"""Every tagged resource says whose it is: project, stage and lab (`make leftovers` relies on it)."""

from __future__ import annotations

from typing import Any

from stacks.labs import PROJECT_TAG
from tests.harness import SynthesizedStage


def tags_of(resource: dict[str, Any]) -> dict[str, Any] | None:
    """A resource's tags as a dict; CloudFormation writes them as a list or a map by type."""
    properties = resource.get("Properties", {})
    # Route 53 names its tag lists after the resource (HostedZoneTags, HealthCheckTags).
    tags = next((properties[key] for key in ("Tags", "HostedZoneTags", "HealthCheckTags") if key in properties), None)
    if tags is None:
        return None
    if isinstance(tags, list):
        return {tag["Key"]: tag["Value"] for tag in tags}
    return dict(tags)


def test_every_taggable_resource_carries_project_stage_and_lab(each_variant: SynthesizedStage) -> None:
    for lab, stack_id in [(each, stack_id) for each in each_variant.labs for stack_id in each.stack_ids]:
        resources = each_variant.template_json(stack_id)["Resources"]
        tagged = {
            logical_id: tags for logical_id, resource in resources.items() if (tags := tags_of(resource)) is not None
        }
        assert tagged, f"{stack_id}: no tagged resource at all"
        expected = {"Project": PROJECT_TAG, "Stage": each_variant.name, "Lab": lab.name}
        wrong = {
            logical_id: tags
            for logical_id, tags in tagged.items()
            if {key: tags.get(key) for key in expected} != expected
        }
        assert wrong == {}, f"{stack_id}: resources without the project's tags"
