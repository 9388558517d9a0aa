"""Gates every lab passes in both stages: cdk-nag, honest acknowledgments, cfn-lint."""

from __future__ import annotations

import json
import re
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2

from stacks.app_builder import nag_packs
from stacks.labs import LABS
from tests import cfn_lint_cache
from tests.harness import SynthesizedStage, bare_rule_id, nag_findings, synthesize_without_acknowledgments

# W3005: CDK writes DependsOn entries that a Ref/GetAtt already implies; harmless.
CFN_LINT_IGNORED = ["W3005"]
MIN_REASON_WORDS = 8


def test_no_unacknowledged_nag_findings(each_variant: SynthesizedStage) -> None:
    findings = [
        f"{violation.rule_name} ({violation.severity}) at {resource.construct_path}"
        for pack in nag_packs()
        for violation in pack.validate_scope(each_variant.app).violations
        for resource in violation.violating_resources
    ]
    assert findings == [], "fix these or acknowledge them with a reason:\n" + "\n".join(findings)


NAG_RULE_PREFIXES = tuple(f"{pack.read_pack_name}-" for pack in nag_packs())


def unneeded_acknowledgments(acknowledged: list[tuple[str, str, str]], findings: set[tuple[str, str]]) -> list[str]:
    """Each cdk-nag acknowledgment that hides no finding: on its construct or any construct below it."""
    unneeded = []
    for path, acknowledged_id, _ in acknowledged:
        rule_id, path = bare_rule_id(acknowledged_id), path.lstrip("/")
        if not rule_id.startswith(NAG_RULE_PREFIXES):
            continue  # CDK's own (CloudFormation-Validate::W3010) and the labs' synth-warning acknowledgments
        if not any(
            finding_rule == rule_id and (finding_path == path or finding_path.startswith(f"{path}/"))
            for finding_path, finding_rule in findings
        ):
            unneeded.append(f"{rule_id} on {path}")
    return unneeded


def test_every_acknowledgment_hides_a_finding(
    each_variant: SynthesizedStage, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Both packs, run with every acknowledgment switched off, find something each one hides.

    An acknowledgment that matches no finding promises nothing; after a refactor it would
    silently hide a new finding of the same rule. Delete it (or move it onto the construct
    that has the finding).
    """
    # One output directory for the four: CDK stages each asset once there, and only the construct tree is read.
    outdir = tmp_path_factory.getbasetemp() / "cdk.out.unacknowledged"
    unacknowledged = synthesize_without_acknowledgments(each_variant.variant, outdir)
    unneeded = unneeded_acknowledgments(acknowledgments(each_variant), nag_findings(unacknowledged.app))
    assert unneeded == [], "these acknowledgments hide no finding:\n" + "\n".join(unneeded)


def test_an_acknowledgment_on_a_compliant_construct_is_unneeded() -> None:
    findings = {
        ("Lab/Bucket/Resource", "AwsSolutions-S1"),
        ("Lab/Role/DefaultPolicy/Resource", "AwsSolutions-IAM5[Resource::*]"),
    }
    acknowledged = [
        ("/Lab/Bucket", "Annotation::AwsSolutions-S1", "reason"),  # a child's finding: needed
        ("/Lab/Role/DefaultPolicy", "AwsSolutions-IAM5[Resource::*]", "reason"),
        ("/Lab/LogBucket", "AwsSolutions-S1", "reason"),  # nothing below it: unneeded
        ("/Lab/Role", "AwsSolutions-IAM5[Action::s3:*]", "reason"),  # another finding of the rule: unneeded
        ("/Lab/Buck", "AwsSolutions-S1", "reason"),  # a path prefix is not a parent
        ("/Lab", "CloudFormation-Validate::W3010", "CDK's own"),
    ]
    assert unneeded_acknowledgments(acknowledged, findings) == [
        "AwsSolutions-S1 on Lab/LogBucket",
        "AwsSolutions-IAM5[Action::s3:*] on Lab/Role",
        "AwsSolutions-S1 on Lab/Buck",
    ]


def acknowledgments(stage: SynthesizedStage) -> list[tuple[str, str, str]]:
    """(construct path, rule id, reason) of every acknowledgment, read from the cloud assembly.

    CDK writes each construct's metadata, acknowledgments included, into <Stack>.metadata.json:
    reading that file is a fraction of a second where walking the construct tree through jsii
    takes several seconds per app.
    """
    key = cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    found = []
    for metadata_file in sorted(Path(stage.outdir).glob("*.metadata.json")):
        for path, entries in json.loads(metadata_file.read_text()).items():
            for entry in entries:
                if entry["type"] == key:
                    found += [(path, rule_id, reason) for rule_id, reason in entry["data"].items()]
    return found


def test_every_acknowledgment_gives_a_checkable_reason(every_variant: list[SynthesizedStage]) -> None:
    found = [ack for stage in every_variant for ack in acknowledgments(stage)]
    # Against a pass on nothing (CDK no longer writing them into the metadata): the whole app holds
    # dozens. One lab alone (`make test LAB=`) may hold none: billing-alarm has nothing to acknowledge.
    if every_variant[0].labs == LABS:
        assert len(found) > 50, "the assembly holds almost no acknowledgments: is the metadata still written?"
    for path, rule_id, reason in found:
        assert len(reason.split()) >= MIN_REASON_WORDS, f"{path}: {rule_id} needs a reason a reviewer can check"
        # The CLI prints 'cdk-nag::AwsSolutions-X'; validate_scope only honours bare ids.
        assert not re.search(r"cdk-nag::", rule_id), f"{path}: use the bare rule id, not {rule_id}"


# Claims acknowledgments once made that AWS or this repository contradicts (issue 24): a reason
# must not come back with them.
UNTRUE_CLAIMS = {
    "left to CloudTrail": "no lab's trail logs S3 data events, so nothing records access to a log bucket",
    "no asynchronous event": "CloudFormation invokes custom resource providers asynchronously, with a callback URL",
    "accept HTTP and HTTPS": "without a certificate the load balancer opens port 80 only",
    "validates every request against the models": "the function validates in plain Python, not with the models",
}


def test_no_acknowledgment_repeats_a_claim_known_to_be_untrue(every_variant: list[SynthesizedStage]) -> None:
    found = [
        f"{path}: {rule_id} says {claim!r}, but {why}"
        for stage in every_variant
        for path, rule_id, reason in acknowledgments(stage)
        for claim, why in UNTRUE_CLAIMS.items()
        if claim in reason
    ]
    assert found == []


# CDK itself acknowledges this on the stack whenever a construct reads stack.availabilityZones
# (every ec2.Vpc does): the AZs it renders are Fn::GetAZs picks, which is expected and safe.
CDK_OWN_STACK_ACKNOWLEDGMENTS = {"CloudFormation-Validate::W3010"}


def test_stack_acknowledgments_are_not_blanket(every_variant: list[SynthesizedStage]) -> None:
    """Acknowledgments sit on the narrowest construct, never on a whole stack or the app."""
    key = cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    for stage in every_variant:
        on_app = [rule for entry in stage.app.node.metadata if entry.type == key for rule in entry.data]
        assert on_app == [], "acknowledgments on the whole app"
        stack_paths = {f"/{stack_id}" for stack_id in stage.stacks}
        blanket = [
            f"{path}: {rule_id}"
            for path, rule_id, _ in acknowledgments(stage)
            if path in stack_paths and rule_id not in CDK_OWN_STACK_ACKNOWLEDGMENTS
        ]
        assert blanket == [], stage.variant


def test_deprecated_cdk_apis_are_errors() -> None:
    """JSII_DEPRECATED=fail (Makefile, conftest): no lab can use an API CDK has deprecated."""
    stack = cdk.Stack(cdk.App())
    with pytest.raises(RuntimeError, match="VpcProps#cidr is deprecated"):
        ec2.Vpc(stack, "Vpc", cidr="10.0.0.0/16")


def test_templates_pass_cfn_lint(every_variant: list[SynthesizedStage]) -> None:
    """Errors (E) and warnings (W) fail the gate; unchanged clean templates come from the cache."""
    templates = sorted(path for stage in every_variant for path in Path(stage.outdir).glob("*.template.json"))
    assert len(templates) == sum(len(stage.stacks) for stage in every_variant)
    problems = [problem for template in templates for problem in cfn_lint_cache.problems(template, CFN_LINT_IGNORED)]
    assert problems == []


@pytest.mark.parametrize("stage", ["sandbox", "prod"])
def test_every_lab_is_in_both_stages(stage: str, every_stage: list[SynthesizedStage]) -> None:
    by_name = {s.name: s for s in every_stage}
    assert set(by_name[stage].stacks) == set(every_stage[0].stacks)
