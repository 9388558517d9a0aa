"""One JSON snapshot per stack and stage: a refactor that changes a template shows here.

Update on purpose with `make snapshot-update`, then review the diff of
tests/stacks/__snapshots__/ like any other code change.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from tests.harness import STAGES, SynthesizedStage

# Asset hashes (Lambda code, nested templates) change with every handler edit; the
# handler's own tests cover its code, so the snapshot keeps only the asset's place.
ASSET_HASH = re.compile(r"\b[0-9a-f]{64}\b")


def normalized(template: dict[str, Any]) -> Any:
    return json.loads(ASSET_HASH.sub("ASSET-HASH", json.dumps(template)))


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("stage_name", STAGES)
def test_templates_match_snapshots(
    stage_name: str, snapshot_json: SnapshotAssertion, every_stage: list[SynthesizedStage]
) -> None:
    stage = {s.name: s for s in every_stage}[stage_name]
    for stack_id in stage.stacks:
        assert normalized(stage.template_json(stack_id)) == snapshot_json(name=stack_id)
