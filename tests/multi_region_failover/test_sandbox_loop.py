"""The sandbox loop with a lab of several stacks in two regions (stacks/labs.py `stacks`)."""

from __future__ import annotations

import pytest

from scripts.sandbox import deploy, drift, leftovers, verify
from stacks.labs import LABS, Lab, LabStack, lab_named

LAB = lab_named("multi-region-failover")


def test_deploy_and_destroy_name_every_stack_of_the_lab() -> None:
    assert deploy.deploy_command(LAB, "sandbox", yes=False)[:6] == [
        "npx",
        "cdk",
        "deploy",
        "MultiRegionFailoverPrimary",
        "MultiRegionFailoverSecondary",
        "MultiRegionFailover",
    ]
    assert deploy.destroy_command(LAB, "sandbox")[3:6] == list(LAB.stack_ids)
    single = lab_named("queue-worker")
    assert deploy.deploy_command(single, "sandbox", yes=False)[3:4] == ["QueueWorker"]


def test_drift_checks_every_stack_of_the_lab() -> None:
    assert drift.drift_command(LAB, "sandbox")[3:6] == list(LAB.stack_ids)


def test_verify_looks_in_the_region_of_the_front_door_stack() -> None:
    assert verify.home_region(LAB, "sandbox") == "us-east-1"
    assert verify.home_region(lab_named("billing-alarm"), "sandbox") == "us-east-1"
    assert verify.home_region(lab_named("queue-worker"), "sandbox") is None


def test_leftovers_searches_both_configured_regions() -> None:
    assert {"us-east-1", "eu-west-1"} <= set(leftovers.configured_regions())


def test_single_stack_labs_are_one_stack_of_their_own() -> None:
    for lab in LABS:
        if not lab.stacks:
            assert lab.stack_ids == (lab.stack_id,)
            assert [spec.stack_class for spec in lab.stack_specs] == [lab.stack_class]


def test_a_lab_whose_front_door_is_not_one_of_its_stacks_is_refused() -> None:
    with pytest.raises(ValueError, match="stack_id Other is not one of its stacks"):
        Lab(**{**vars(LAB), "stack_id": "Other"})
    with pytest.raises(ValueError, match="stack role 'tertiary' must be one of primary, secondary, global"):
        Lab(**{**vars(LAB), "stacks": (LabStack("MultiRegionFailover", "FailoverDnsStack", "tertiary"),)})
