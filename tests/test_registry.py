"""The lab registry (stacks/labs.py) is the one list of labs, and every entry is complete."""

from __future__ import annotations

import importlib
import re

import pytest

from stacks.config import REPO_ROOT, LabSection, cdk_json_context, stage_names
from stacks.labs import LABS, Lab, lab_named

LAB_FILES = ("__init__.py", "config.py", "stack.py", "cost.py")


def test_names_ids_and_packages_are_unique() -> None:
    for attribute in ("name", "stack_id", "package"):
        values = [getattr(lab, attribute) for lab in LABS]
        assert len(set(values)) == len(values), attribute


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_every_lab_is_one_complete_folder(lab: Lab) -> None:
    folder = REPO_ROOT / "stacks" / lab.package
    assert [name for name in LAB_FILES if not (folder / name).is_file()] == []
    assert (REPO_ROOT / "tests" / lab.package).is_dir()
    assert issubclass(lab.config_type(), LabSection)
    cost = lab.module("cost")
    assert callable(cost.monthly_lines)
    assert isinstance(cost.NOT_COUNTED, str)
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", lab.name)  # s3-events has a digit
    assert lab.package == lab.name.replace("-", "_")


@pytest.mark.parametrize("stage", stage_names())
def test_every_stage_configures_every_lab(stage: str) -> None:
    block = cdk_json_context()["stages"][stage]
    assert [lab.package for lab in LABS if lab.package not in block] == []


def test_lab_named_explains_the_allowed_names() -> None:
    assert lab_named("queue-worker").stack_id == "QueueWorker"
    with pytest.raises(LookupError, match="unknown lab 'queue_worker': must be one of three-tier, queue-worker"):
        lab_named("queue_worker")


def test_no_other_module_lists_the_labs_by_hand() -> None:
    """A module that names two labs' stack ids is keeping its own list; it should read LABS."""
    stack_ids = [lab.stack_id for lab in LABS]
    offenders = []
    modules = [REPO_ROOT / "app.py", *(REPO_ROOT / "stacks").rglob("*.py"), *(REPO_ROOT / "scripts").rglob("*.py")]
    for path in modules:
        if path.name == "labs.py" and path.parent.name == "stacks":
            continue
        text = path.read_text()
        named = [stack_id for stack_id in stack_ids if re.search(rf'"{stack_id}"', text)]
        if len(named) > 1:
            offenders.append(f"{path.relative_to(REPO_ROOT)}: {', '.join(named)}")
    assert offenders == []


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_the_all_options_variant_covers_every_optional_key_and_flag(lab: Lab) -> None:
    """A new optional key or flag must be switched on in the gated variant, or say why not."""
    kind = lab.config_type()
    optional_or_flag = {
        name for name, field in kind.model_fields.items() if not field.is_required() or field.annotation is bool
    }
    covered = set(kind.ALL_OPTIONS) | set(kind.ALL_OPTIONS_EXEMPT)
    assert sorted(optional_or_flag - covered) == []
    assert sorted(covered - set(kind.model_fields)) == []
    assert all(len(reason.split()) >= 5 for reason in kind.ALL_OPTIONS_EXEMPT.values())


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_every_lab_has_a_verify_step_for_the_sandbox_loop(lab: Lab) -> None:
    """`make verify LAB=...` imports scripts/<package>/verify.py and calls its run_checks."""
    module = importlib.import_module(f"scripts.{lab.package}.verify")
    assert callable(module.run_checks)
