"""Preflight checks of what the deploy will meet in the target region, read from the synthesized template.

Each check adds findings to the preflight (scripts/sandbox/preflight.py) and asks AWS only
about what this lab's template uses:
- every SSM parameter CloudFormation resolves (the Powertools layer release, the AL2023
  AMIs) exists in the region: a missing one fails the whole deploy;
- the pinned RDS engine version is orderable for the configured class in the region;
- the EC2 instance types are offered in the Availability Zones the template picks by
  position (in us-east-1 some accounts' zones offer no t3.micro);
- an ALB certificate is an ACM certificate of the stack's region, and issued;
- one per account and region: no GuardDuty detector, AWS Config recorder or delivery
  channel other than the stack's own where the template creates one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from scripts.sandbox.template_facts import (
    CONFIG_RECORDER,
    DELIVERY_CHANNEL,
    DETECTOR,
    TemplateFacts,
    template_facts,
)

if TYPE_CHECKING:
    from scripts.sandbox.preflight import Preflight

# GetParameters takes at most 10 names a call (botocore's SSM model: Names min 1, max 10;
# https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html).
SSM_BATCH = 10
CONFIG_SETTING = "security_baseline.aws_config"


def check_deploy_day(pre: Preflight, template: dict[str, Any]) -> None:
    """The deploy-day checks, then the one-per-region checks, for the lab's synthesized template.

    A check this identity may not run (AccessDenied, throttled beyond the retries) is a
    warning naming what was not checked, never a stack trace.
    """
    facts = template_facts(template)
    checks: list[tuple[str, Callable[[], None]]] = [
        ("the SSM parameters", lambda: check_ssm_parameters(pre, facts)),
        ("the RDS engine versions", lambda: check_db_engine_versions(pre, facts)),
        ("the instance type offerings", lambda: check_instance_type_offerings(pre, facts)),
        ("the load balancer certificates", lambda: check_certificates(pre, facts)),
    ]
    singletons = facts.resource_types & {DETECTOR, CONFIG_RECORDER, DELIVERY_CHANNEL}
    if singletons:
        checks.append(("the one-per-region services", lambda: _one_per_region(pre, facts)))
    for what, run_check in checks:
        try:
            run_check()
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "error")
            pre.add("warn", f"{what} could not be checked in {pre.region} ({code}): the deploy will tell")


def _one_per_region(pre: Preflight, facts: TemplateFacts) -> None:
    owned = stack_physical_ids(pre)
    check_guardduty_detector(pre, facts, owned)
    check_config_recorder(pre, facts, owned)


def check_ssm_parameters(pre: Preflight, facts: TemplateFacts) -> None:
    """CloudFormation resolves each SSM parameter at deploy time; one missing fails the deploy."""
    if not facts.ssm_parameters:
        return
    ssm = pre.session.client("ssm", region_name=pre.region)
    names = list(facts.ssm_parameters)
    missing: list[str] = []
    for start in range(0, len(names), SSM_BATCH):
        missing += ssm.get_parameters(Names=names[start : start + SSM_BATCH]).get("InvalidParameters", [])
    if missing:
        pre.add(
            "FAIL",
            f"SSM parameter(s) the template resolves do not exist in {pre.region}: {', '.join(sorted(missing))} "
            "(a release or image not published in this region): deploy to another region, or change the pin",
        )
    else:
        pre.add("ok", f"the {len(names)} SSM parameter(s) the template resolves exist in {pre.region}")


def check_db_engine_versions(pre: Preflight, facts: TemplateFacts) -> None:
    """The pinned engine version must be orderable for the class in the region
    (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeOrderableDBInstanceOptions.html)."""
    if not facts.db_instances:
        return
    rds = pre.session.client("rds", region_name=pre.region)
    for db in facts.db_instances:
        pages = rds.get_paginator("describe_orderable_db_instance_options").paginate(
            Engine=db.engine, EngineVersion=db.version, DBInstanceClass=db.instance_class
        )
        if any(page.get("OrderableDBInstanceOptions") for page in pages):
            pre.add("ok", f"RDS {db.engine} {db.version} on {db.instance_class} is orderable in {pre.region}")
            continue
        pre.add(
            "FAIL",
            f"RDS {db.engine} {db.version} is not orderable on {db.instance_class} in {pre.region}: pick a version "
            f"and class that aws rds describe-orderable-db-instance-options --engine {db.engine} "
            f"--db-instance-class {db.instance_class} --region {pre.region} lists, and set them in cdk.json",
        )


def check_instance_type_offerings(pre: Preflight, facts: TemplateFacts) -> None:
    """Each instance type must be offered in every zone the template picks by position
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypeOfferings.html)."""
    if not facts.instance_types:
        return
    ec2 = pre.session.client("ec2", region_name=pre.region)
    zones = template_zones(ec2, facts.zone_positions)
    if zones is None:
        pre.add(
            "FAIL",
            f"the template picks Availability Zone {max(facts.zone_positions) + 1} by position, "
            f"but {pre.region} has fewer for this account: deploy to another region",
        )
        return
    location = {"LocationType": "availability-zone", "Filters": [{"Name": "location", "Values": zones}]}
    if not zones:
        location = {"LocationType": "region", "Filters": [{"Name": "location", "Values": [pre.region]}]}
    filters = [{"Name": "instance-type", "Values": list(facts.instance_types)}, *location["Filters"]]
    pages = ec2.get_paginator("describe_instance_type_offerings").paginate(
        LocationType=location["LocationType"], Filters=filters
    )
    offered = {(item["InstanceType"], item["Location"]) for page in pages for item in page["InstanceTypeOfferings"]}
    where = zones or [pre.region]
    gaps = [f"{kind} in {place}" for kind in facts.instance_types for place in where if (kind, place) not in offered]
    if gaps:
        pre.add(
            "FAIL",
            f"instance type(s) not offered where the template puts them: {', '.join(gaps)} "
            f"(zones {', '.join(where)}): choose an instance type offered there in cdk.json, or another region",
        )
    else:
        pre.add("ok", f"{', '.join(facts.instance_types)} offered in {', '.join(where)}")


def template_zones(ec2: Any, positions: tuple[int, ...]) -> list[str] | None:
    """The zones `Fn::Select [i, Fn::GetAZs]` resolves to; None when a position is past the list.

    Fn::GetAZs lists the region's zones in alphabetical order, only those with a default
    subnet unless none has one
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getavailabilityzones.html).
    """
    if not positions:
        return []
    available = sorted(
        zone["ZoneName"]
        for zone in ec2.describe_availability_zones(
            Filters=[{"Name": "zone-type", "Values": ["availability-zone"]}, {"Name": "state", "Values": ["available"]}]
        )["AvailabilityZones"]
    )
    pages = ec2.get_paginator("describe_subnets").paginate(Filters=[{"Name": "default-for-az", "Values": ["true"]}])
    with_default = {subnet["AvailabilityZone"] for page in pages for subnet in page["Subnets"]}
    zones = [zone for zone in available if zone in with_default] or available
    if max(positions) >= len(zones):
        return None
    return [zones[i] for i in positions]


def check_certificates(pre: Preflight, facts: TemplateFacts) -> None:
    """A listener serves an ACM certificate of its own region only: certificates are regional
    (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html)."""
    for arn in facts.certificates:
        region = arn.split(":")[3] if arn.count(":") >= 5 else ""
        if region != pre.region:
            pre.add(
                "FAIL",
                f"certificate {arn} is in {region or 'no region'}, but the stack deploys to {pre.region}: "
                f"a load balancer serves certificates of its own region only; request or import one in {pre.region} "
                "and set its ARN in cdk.json",
            )
            continue
        try:
            status = (
                pre.session.client("acm", region_name=pre.region)
                .describe_certificate(CertificateArn=arn)["Certificate"]
                .get("Status")
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            pre.add("FAIL", f"certificate {arn} cannot be read in {pre.region} ({code}): check the ARN in cdk.json")
            continue
        if status != "ISSUED":
            pre.add("FAIL", f"certificate {arn} is {status}, not ISSUED: finish its validation in ACM, then deploy")
        else:
            pre.add("ok", f"certificate {arn.rsplit('/', 1)[-1]} is issued in {pre.region}")


def stack_physical_ids(pre: Preflight) -> set[str]:
    """The physical ids of the lab stack's resources (empty when it is not deployed)."""
    cloudformation = pre.session.client("cloudformation", region_name=pre.region)
    try:
        pages = cloudformation.get_paginator("list_stack_resources").paginate(StackName=pre.lab.stack_id)
        return {
            str(resource.get("PhysicalResourceId", "")) for page in pages for resource in page["StackResourceSummaries"]
        }
    except ClientError as error:
        if "does not exist" in str(error.response.get("Error", {}).get("Message", "")):
            return set()
        raise


def check_guardduty_detector(pre: Preflight, facts: TemplateFacts, owned: set[str]) -> None:
    """One detector per account and region
    (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateDetector.html); prod's is retained."""
    if DETECTOR not in facts.resource_types:
        return
    pages = pre.session.client("guardduty", region_name=pre.region).get_paginator("list_detectors").paginate()
    others = [detector for page in pages for detector in page["DetectorIds"] if detector not in owned]
    if others:
        pre.add(
            "FAIL",
            f"GuardDuty already has detector {others[0]} in {pre.region} (one per account and region), and the stack "
            f'would create another: set security_baseline.guardduty_detector to "existing" and '
            f'existing_detector_id to "{others[0]}" in cdk.json ({pre.stage} block)',
        )
    else:
        pre.add("ok", f"no GuardDuty detector in {pre.region} but the stack's own: the stack can create it")


def check_config_recorder(pre: Preflight, facts: TemplateFacts, owned: set[str]) -> None:
    """One customer managed recorder and one delivery channel per account and region
    (https://docs.aws.amazon.com/config/latest/APIReference/API_PutConfigurationRecorder.html);
    Control Tower accounts have both already. Service-linked recorders do not count."""
    wanted = facts.resource_types & {CONFIG_RECORDER, DELIVERY_CHANNEL}
    if not wanted:
        return
    config = pre.session.client("config", region_name=pre.region)
    recorders = [
        recorder["name"]
        for recorder in config.describe_configuration_recorders().get("ConfigurationRecorders", [])
        if not recorder.get("servicePrincipal") and recorder["name"] not in owned
    ]
    channels = [
        channel["name"]
        for channel in config.describe_delivery_channels().get("DeliveryChannels", [])
        if channel["name"] not in owned
    ]
    found = [f"recorder {name}" for name in recorders] + [f"delivery channel {name}" for name in channels]
    if found:
        pre.add(
            "FAIL",
            f"AWS Config already has {' and '.join(found)} in {pre.region} (one of each per account and region; "
            f"Control Tower sets them up): set {CONFIG_SETTING} to false in cdk.json ({pre.stage} block), "
            "the account records already",
        )
    else:
        pre.add("ok", f"no AWS Config recorder or delivery channel in {pre.region}: the stack can create them")
