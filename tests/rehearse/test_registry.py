"""The registry says which labs the emulator can rehearse, and why not for the others."""

from __future__ import annotations

import re
import subprocess

import pytest

from scripts.rehearse.emulator import REHEARSE_VENV, ROOT
from scripts.rehearse.resource_types import CHECKED_IN, checked_in_types, supported
from stacks.labs import LABS, Lab
from tests.harness import SynthesizedStage

# The rehearsal stage has the sandbox's shape (cdk.json `rehearsal`: only numbers change).
RESOURCE_TYPE = re.compile(r"AWS::\w+::\w+")


def unsupported(lab: Lab, sandbox: SynthesizedStage) -> set[str]:
    templates = [sandbox.template_json(stack_id) for stack_id in lab.stack_ids]
    types = {resource["Type"] for template in templates for resource in template["Resources"].values()}
    return {kind for kind in types if not supported(kind, checked_in_types())}


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_a_gap_names_exactly_the_types_the_emulator_lacks(lab: Lab, sandbox: SynthesizedStage) -> None:
    missing = unsupported(lab, sandbox)
    named = set(RESOURCE_TYPE.findall(lab.rehearsal_gap))
    if missing:
        assert named == missing, f"{lab.name}: its rehearsal_gap must name {sorted(missing)}"
    else:
        # Nothing unsupported: a gap, if any, is a behaviour of the emulator (not a type),
        # and a gap that names types the emulator now supports is stale: turn the lab on.
        assert not named, f"{lab.name}: the emulator now supports {sorted(named)}: update its rehearsal_gap"


def test_the_ci_rehearsal_labs_are_rehearsable() -> None:
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^REHEARSE_CI_LABS := (.+)$", makefile, re.MULTILINE)
    assert match is not None
    gaps = {lab.name: lab.rehearsal_gap for lab in LABS}
    for name in match.group(1).split():
        assert gaps[name] == "", f"{name} is rehearsed by make test but has a gap: {gaps[name]}"


def test_the_checked_in_types_are_the_installed_emulator_s() -> None:
    # make test installs the emulator (.venv-rehearse) before pytest runs.
    python = REHEARSE_VENV / "bin" / "python"
    assert python.exists(), "no .venv-rehearse: run make rehearse-setup (make test does)"
    listed = subprocess.run(
        [str(python), "-m", "scripts.rehearse.resource_types"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert listed == CHECKED_IN.read_text(), (
        "the emulator's types changed: regenerate scripts/rehearse/emulator_resource_types.txt "
        "(see scripts/rehearse/resource_types.py) and review each lab's rehearsal_gap"
    )
