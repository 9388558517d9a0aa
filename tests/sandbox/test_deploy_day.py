"""The preflight's deploy-day checks (scripts/sandbox/deploy_day.py) on the synthesized templates.

moto plays the region (zones, default subnets, instance type offerings from AWS's own data,
GuardDuty, AWS Config, ACM); tests/sandbox/published.py answers the two calls moto lacks
(Powertools' public parameters, RDS orderable options). Each test states the AWS fact.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from scripts.sandbox import deploy_day, preflight
from scripts.sandbox.template_facts import template_facts
from stacks.labs import lab_named
from tests.harness import SynthesizedStage
from tests.sandbox.certificates import self_signed
from tests.sandbox.conftest import REGION
from tests.sandbox.fakes import moto_session
from tests.sandbox.published import PublishedFacts, published

POWERTOOLS = "/aws/service/powertools/python/arm64/python3.14/3.37.0"


@pytest.fixture
def facts(aws: Any, public_facts: PublishedFacts) -> PublishedFacts:
    """The answers tests/sandbox/conftest.py registers on the moto session, to change per test."""
    return public_facts


def preflight_in(session: Any, lab: str, region: str = REGION, stage: str = "sandbox") -> preflight.Preflight:
    return preflight.Preflight(lab=lab_named(lab), stage=stage, session=session, findings=[], region=region)


def lines(pre: preflight.Preflight, level: str) -> list[str]:
    return [finding.text for finding in pre.findings if finding.level == level]


def test_every_ssm_parameter_the_template_resolves_must_exist_in_the_region(
    sandbox: SynthesizedStage, facts: PublishedFacts
) -> None:
    # CloudFormation resolves AWS::SSM::Parameter::Value<> parameters at deploy time; a name the
    # region does not publish fails the deploy
    # (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types).
    template = sandbox.template_json("QueueWorker")
    assert template_facts(template).ssm_parameters == (POWERTOOLS,)
    pre = preflight_in(moto_session(REGION), "queue-worker")
    deploy_day.check_deploy_day(pre, template)
    assert lines(pre, "ok") == [f"the 1 SSM parameter(s) the template resolves exist in {REGION}"]
    facts.missing = {POWERTOOLS}
    pre = preflight_in(moto_session(REGION), "queue-worker")
    deploy_day.check_deploy_day(pre, template)
    [failure] = lines(pre, "FAIL")
    assert failure.startswith(f"SSM parameter(s) the template resolves do not exist in {REGION}: {POWERTOOLS} ")


def test_the_pinned_engine_version_must_be_orderable_for_the_class(
    sandbox: SynthesizedStage, facts: PublishedFacts
) -> None:
    # An engine version RDS no longer offers for the class (versions retire) fails the create
    # (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeOrderableDBInstanceOptions.html).
    template = sandbox.template_json("DbLambda")
    [db] = template_facts(template).db_instances
    facts.unorderable = {(db.engine, db.version, db.instance_class)}
    pre = preflight_in(moto_session(REGION), "db-lambda")
    deploy_day.check_deploy_day(pre, template)
    [failure] = lines(pre, "FAIL")
    assert failure.startswith(f"RDS {db.engine} {db.version} is not orderable on {db.instance_class} in {REGION}")
    assert f"describe-orderable-db-instance-options --engine {db.engine}" in failure
    assert "DescribeOrderableDBInstanceOptions" in facts.calls


def test_instance_types_must_be_offered_in_the_zones_picked_by_position(
    sandbox: SynthesizedStage, facts: PublishedFacts
) -> None:
    # Fn::GetAZs lists only zones with a default subnet (unless none has one), alphabetically
    # (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getavailabilityzones.html);
    # us-east-1e offers no t3.micro (DescribeInstanceTypeOfferings, moto carries AWS's data).
    # Given an account whose default subnets in us-east-1a..d were deleted: position 0 is us-east-1e
    session = moto_session("us-east-1")
    ec2 = session.client("ec2", region_name="us-east-1")
    for subnet in ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]:
        if subnet["AvailabilityZone"] < "us-east-1e":
            ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    template = sandbox.template_json("ThreeTier")
    assert template_facts(template).zone_positions == (0, 1)
    with published(session):
        pre = preflight_in(session, "three-tier", region="us-east-1")
        deploy_day.check_deploy_day(pre, template)
    [failure] = [line for line in lines(pre, "FAIL") if line.startswith("instance type")]
    assert "t3.micro in us-east-1e" in failure
    assert "(zones us-east-1e, us-east-1f)" in failure


def test_in_eu_west_1_the_three_tier_zones_offer_its_instance_types(
    sandbox: SynthesizedStage, facts: PublishedFacts
) -> None:
    pre = preflight_in(moto_session(REGION), "three-tier")
    deploy_day.check_deploy_day(pre, sandbox.template_json("ThreeTier"))
    assert lines(pre, "FAIL") == []
    assert any(line.endswith(f"offered in {REGION}a, {REGION}b") for line in lines(pre, "ok"))


def test_offerings_and_subnets_on_later_pages_count() -> None:
    # DescribeInstanceTypeOfferings and DescribeSubnets page with NextToken; moto never pages short.
    ec2 = boto3.client("ec2", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    zones = [{"ZoneName": f"{REGION}{z}", "State": "available"} for z in "ab"]
    with Stubber(ec2) as stub:
        stub.add_response("describe_availability_zones", {"AvailabilityZones": zones})
        stub.add_response("describe_subnets", {"Subnets": [{"AvailabilityZone": f"{REGION}a"}], "NextToken": "2"})
        stub.add_response("describe_subnets", {"Subnets": [{"AvailabilityZone": f"{REGION}b"}]})
        assert deploy_day.template_zones(ec2, (0, 1)) == [f"{REGION}a", f"{REGION}b"]
        offering = {"InstanceType": "t3.micro", "LocationType": "availability-zone"}
        stub.add_response("describe_availability_zones", {"AvailabilityZones": zones})
        stub.add_response("describe_subnets", {"Subnets": []})
        stub.add_response(
            "describe_instance_type_offerings",
            {"InstanceTypeOfferings": [{**offering, "Location": f"{REGION}a"}], "NextToken": "2"},
        )
        stub.add_response(
            "describe_instance_type_offerings", {"InstanceTypeOfferings": [{**offering, "Location": f"{REGION}b"}]}
        )

        class Session:
            def client(self, name: str, region_name: str) -> Any:
                return ec2

        pre = preflight_in(Session(), "three-tier")
        template = {
            "Resources": {
                "Instance": {
                    "Type": "AWS::EC2::Instance",
                    "Properties": {
                        "InstanceType": "t3.micro",
                        "AvailabilityZone": {"Fn::Select": [1, {"Fn::GetAZs": ""}]},
                    },
                }
            }
        }
        deploy_day.check_instance_type_offerings(pre, template_facts(template))
        stub.assert_no_pending_responses()
    assert lines(pre, "ok") == [f"t3.micro offered in {REGION}b"]


def test_a_certificate_of_another_region_cannot_serve_the_listener(
    all_options: SynthesizedStage, facts: PublishedFacts
) -> None:
    # ACM certificates are regional: a load balancer uses one of its own region
    # (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html).
    template = all_options.template_json("ThreeTier")
    [arn] = template_facts(template).certificates
    assert arn.split(":")[3] == "us-east-1"
    pre = preflight_in(moto_session(REGION), "three-tier")
    deploy_day.check_certificates(pre, template_facts(template))
    [failure] = lines(pre, "FAIL")
    assert failure.startswith(f"certificate {arn} is in us-east-1, but the stack deploys to {REGION}: ")
    # In its own region, a certificate that does not exist is named too
    pre = preflight_in(moto_session("us-east-1"), "three-tier", region="us-east-1")
    deploy_day.check_certificates(pre, template_facts(template))
    [failure] = lines(pre, "FAIL")
    assert failure.startswith(f"certificate {arn} cannot be read in us-east-1 (ResourceNotFoundException)")


def test_an_issued_certificate_of_the_stacks_region_passes(aws: Any) -> None:
    certificate, key = self_signed("lab.example.com")
    arn = aws.client("acm").import_certificate(Certificate=certificate, PrivateKey=key)["CertificateArn"]
    listener = {
        "Type": "AWS::ElasticLoadBalancingV2::Listener",
        "Properties": {"Certificates": [{"CertificateArn": arn}]},
    }
    pre = preflight_in(aws, "three-tier")
    deploy_day.check_certificates(pre, template_facts({"Resources": {"Listener": listener}}))
    assert lines(pre, "ok") == [f"certificate {arn.rsplit('/', 1)[-1]} is issued in {REGION}"]


def test_a_second_guardduty_detector_is_refused_with_the_setting_to_use(
    sandbox: SynthesizedStage, facts: PublishedFacts
) -> None:
    # One detector per account and region; prod's is retained after a destroy, so the next deploy
    # would create a second (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateDetector.html).
    template = sandbox.template_json("SecurityBaseline")
    detector = moto_session(REGION).client("guardduty").create_detector(Enable=True)["DetectorId"]
    pre = preflight_in(moto_session(REGION), "security-baseline")
    deploy_day.check_deploy_day(pre, template)
    [failure] = lines(pre, "FAIL")
    assert failure == (
        f"GuardDuty already has detector {detector} in {REGION} (one per account and region), and the stack would "
        f'create another: set security_baseline.guardduty_detector to "existing" and existing_detector_id to '
        f'"{detector}" in cdk.json (sandbox block)'
    )
    # The stack's own detector (an update) is not a second one
    pre = preflight_in(moto_session(REGION), "security-baseline")
    deploy_day.check_guardduty_detector(pre, template_facts(template), owned={detector})
    assert lines(pre, "FAIL") == []


def test_an_existing_config_recorder_and_channel_are_refused_before_the_deploy(
    all_options: SynthesizedStage, facts: PublishedFacts
) -> None:
    # One customer managed configuration recorder and one delivery channel per account and region;
    # Control Tower accounts have both
    # (https://docs.aws.amazon.com/config/latest/APIReference/API_PutConfigurationRecorder.html).
    template = all_options.template_json("SecurityBaseline")
    session = moto_session(REGION)
    pre = preflight_in(session, "security-baseline")
    deploy_day.check_config_recorder(pre, template_facts(template), owned=set())
    assert lines(pre, "FAIL") == []
    config = session.client("config")
    role = "arn:aws:iam::123456789012:role/aws-controltower-ConfigRecorderRole"
    config.put_configuration_recorder(
        ConfigurationRecorder={"name": "aws-controltower-BaselineConfigRecorder", "roleARN": role}
    )
    session.client("s3").create_bucket(
        Bucket="aws-controltower-logs", CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    config.put_delivery_channel(
        DeliveryChannel={
            "name": "aws-controltower-BaselineConfigDeliveryChannel",
            "s3BucketName": "aws-controltower-logs",
        }
    )
    pre = preflight_in(session, "security-baseline")
    deploy_day.check_config_recorder(pre, template_facts(template), owned=set())
    [failure] = lines(pre, "FAIL")
    assert failure.startswith(
        "AWS Config already has recorder aws-controltower-BaselineConfigRecorder and delivery channel "
        f"aws-controltower-BaselineConfigDeliveryChannel in {REGION} (one of each per account and region; "
    )
    assert "set security_baseline.aws_config to false in cdk.json (sandbox block)" in failure


def test_a_check_this_identity_may_not_run_is_a_warning_not_a_trace(sandbox: SynthesizedStage) -> None:
    class Denied:
        def get_parameters(self, Names: list[str]) -> None:  # noqa: N803 - boto3's parameter name
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "GetParameters")

    class Session:
        def client(self, name: str, region_name: str) -> Denied:
            return Denied()

    pre = preflight_in(Session(), "queue-worker")
    deploy_day.check_deploy_day(pre, sandbox.template_json("QueueWorker"))
    assert [(f.level, f.text) for f in pre.findings] == [
        ("warn", f"the SSM parameters could not be checked in {REGION} (AccessDeniedException): the deploy will tell")
    ]


def test_template_facts_read_dynamic_references_and_skip_tokens() -> None:
    template = {
        "Parameters": {
            "BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/x"}
        },
        "Resources": {
            "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "mysql", "EngineVersion": {"Ref": "V"}}},
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Description": "{{resolve:ssm:/my/param:3}}"}},
        },
    }
    facts = template_facts(json.loads(json.dumps(template)))
    assert facts.ssm_parameters == ("/my/param",)
    assert facts.db_instances == ()
