"""Where the study tools get their templates: an in-process synth, or a cdk.out `make synth` wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.stack_outputs import ScriptError
from scripts.study import templates
from stacks.labs import LABS, lab_named
from tests.harness import SynthesizedStage


def test_one_lab_synthesized_alone_has_the_template_it_has_in_the_whole_app(sandbox: SynthesizedStage) -> None:
    """The tools build only the lab they are asked about; its template must be the one the app builds.

    The smallest lab keeps this one extra synth to a second or two.
    """
    size = {lab.name: sum(len(sandbox.template_json(s)["Resources"]) for s in lab.stack_ids) for lab in LABS}
    lab = min(LABS, key=lambda lab: size[lab.name])
    alone = templates.synthesize("sandbox", [lab])
    assert list(alone.templates) == list(lab.stack_ids)
    for stack_id in lab.stack_ids:
        assert alone.template_json(stack_id) == sandbox.template_json(stack_id)


def test_the_stage_of_a_template_is_its_stage_tag(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    assert templates.stage_of(sandbox.template_json("QueueWorker")) == "sandbox"
    assert templates.stage_of(prod.template_json("QueueWorker")) == "prod"
    assert templates.stage_of({"Resources": {}}) is None


def test_read_cdk_out_reads_the_labs_templates(tmp_path: Path, prod: SynthesizedStage) -> None:
    lab = lab_named("three-tier")
    (tmp_path / "ThreeTier.template.json").write_text(json.dumps(prod.template_json("ThreeTier")))
    found = templates.load("prod", [lab], tmp_path)
    assert found.name == "prod"
    assert found.template_json("ThreeTier") == prod.template_json("ThreeTier")


def test_a_missing_template_says_to_synth_first(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match=r"ThreeTier.template.json not found: run `make synth STAGE=prod` first"):
        templates.load("prod", [lab_named("three-tier")], tmp_path)
