"""The preflight of a lab in two regions checks the CDK bootstrap in both (moto SSM)."""

from __future__ import annotations

import io

import boto3

from scripts.sandbox import assembly, preflight
from stacks.labs import lab_named
from tests.multi_region_failover.conftest import PRIMARY, SECONDARY
from tests.sandbox.deployed import bootstrap

LAB = lab_named("multi-region-failover")
NEEDS = assembly.StackNeeds(
    stack_id=LAB.stack_id,
    region=PRIMARY,
    bootstrap_version=6,
    version_parameter="/cdk-bootstrap/hnb659fds/version",
)


def findings(aws: None) -> list[preflight.Finding]:
    del aws
    return preflight.run_preflight(
        LAB,
        "sandbox",
        boto3.Session(region_name=PRIMARY),
        lambda: NEEDS,
        yes=True,
        ask=lambda _: None,
        out=io.StringIO(),
    )


def test_the_secondary_region_must_be_bootstrapped_too(aws: None) -> None:
    bootstrap(boto3.Session(), PRIMARY)
    found = [f.text for f in findings(aws) if f.level == "FAIL"]
    assert any(f"{SECONDARY} of account" in text and "not bootstrapped" in text for text in found), found


def test_both_regions_bootstrapped_pass_the_bootstrap_checks(aws: None) -> None:
    for region in (PRIMARY, SECONDARY):
        bootstrap(boto3.Session(), region)
    texts = [f.text for f in findings(aws)]
    assert any(f"version 30 in {PRIMARY}" in text for text in texts)
    assert any(f"version 30 in {SECONDARY}" in text for text in texts)
    assert not [f for f in findings(aws) if f.level == "FAIL"]
