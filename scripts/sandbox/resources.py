"""What one resource of the project costs per month while it is left in the account.

`describe(session, arn)` turns an ARN (from the Resource Groups Tagging API, or found
by name) into a `Leftover` with its state and monthly cost, or None when the resource
is already gone (the Tagging API may list a resource for a while after its deletion).

Prices: AWS us-east-1 list prices for what stays behind (storage, keys, secrets),
compiled with the labs' cost tables (scripts/cost_model.py, PRICES_REVIEWED); other
regions differ by a few percent. A resource billed by the hour (a database, an
instance, a load balancer) has no fixed figure here: its cost is "unknown", which
counts as billable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from stacks.cost_model import HOURS_PER_MONTH

GB = 1e9
LOGS_STORED_GB_MONTH = 0.03
RDS_SNAPSHOT_GB_MONTH = 0.095  # backup storage once the database is gone (no free allocation left)
EBS_SNAPSHOT_GB_MONTH = 0.05
EBS_GP3_GB_MONTH = 0.08
S3_STANDARD_GB_MONTH = 0.023
DYNAMODB_STORAGE_GB_MONTH = 0.25
DYNAMODB_PITR_GB_MONTH = 0.20
SECRET_MONTH = 0.40
KMS_KEY_MONTH = 1.00  # enabled or disabled; a key pending deletion is not charged
ALARM_MONTH = 0.10
PUBLIC_IPV4_MONTH = 0.005 * HOURS_PER_MONTH
# Interface endpoints bill each hour in each Availability Zone they have a subnet in, whatever
# their state; gateway endpoints (S3, DynamoDB) are free (https://aws.amazon.com/privatelink/pricing/).
# The same figure as stacks/db_lambda/cost.py, whose Secrets Manager endpoint is one.
INTERFACE_ENDPOINT_AZ_MONTH = 0.01 * HOURS_PER_MONTH
# Objects summed per bucket before giving up on an exact size (1,000 per page).
MAX_BUCKET_PAGES = 20
# Free to keep: networking plumbing, idle queues, topics, functions and roles.
FREE_TYPES = {
    ("ec2", "security-group"),
    ("ec2", "vpc"),
    ("ec2", "subnet"),
    ("ec2", "route-table"),
    ("ec2", "network-acl"),
    ("ec2", "internet-gateway"),
    ("ec2", "launch-template"),
    ("ec2", "vpc-flow-log"),
    ("elasticloadbalancing", "targetgroup"),
    ("sqs", ""),
    ("sns", ""),
    ("lambda", "function"),
    ("iam", "role"),
    ("events", "rule"),
    ("ssm", "parameter"),
    ("autoscaling", "autoScalingGroup"),
    ("budgets", "budget"),
}


@dataclass(frozen=True)
class Leftover:
    """Something of the project still in the account."""

    region: str
    kind: str
    name: str
    note: str
    monthly_usd: float | None  # None: billed, amount unknown here
    action: str = ""  # the command that deletes it, when there is one

    @property
    def billable(self) -> bool:
        return self.monthly_usd is None or self.monthly_usd > 0


@dataclass(frozen=True)
class Arn:
    service: str
    region: str
    resource_type: str
    resource_id: str
    text: str

    @classmethod
    def parse(cls, arn: str) -> Arn:
        parts = arn.split(":", 5)
        service, region, resource = parts[2], parts[3], parts[5]
        # Resources are written "type/id", "type:id" or just "id" (S3, SQS, SNS).
        separators = [i for i in (resource.find("/"), resource.find(":")) if i > 0]
        if service in {"s3", "sqs", "sns"} or not separators:
            return cls(service, region, "", resource, arn)
        cut = min(separators)
        return cls(service, region, resource[:cut], resource[cut + 1 :], arn)


def describe(session: Any, arn: str, region: str) -> Leftover | None:
    parsed = Arn.parse(arn)
    handler = HANDLERS.get((parsed.service, parsed.resource_type))
    kind = f"{parsed.service} {parsed.resource_type}".strip()
    try:
        if handler is not None:
            return handler(session.client(_client_name(parsed.service), region_name=region), parsed, region)
    except ClientError as error:
        if _gone(error):
            return None
        return unreadable(region, kind, parsed.resource_id, error)
    if (parsed.service, parsed.resource_type) in FREE_TYPES:
        return Leftover(region, kind, parsed.resource_id, "free to keep", 0.0)
    return Leftover(region, kind, parsed.resource_id, "cost unknown here: look it up in the console", None)


def log_group(client: Any, name: str, region: str) -> Leftover | None:
    # By prefix, every page: the exact name is one of possibly many groups sharing the prefix.
    pages = client.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name)
    group = next((group for page in pages for group in page["logGroups"] if group["logGroupName"] == name), None)
    if group is None:
        return None
    stored = int(group.get("storedBytes", 0))
    retention = group.get("retentionInDays")
    kept = f"kept {retention} days" if retention else "never expires"
    return Leftover(
        region,
        "log group",
        name,
        f"{_size(stored)} stored, {kept}",
        stored / GB * LOGS_STORED_GB_MONTH,
        f"aws logs delete-log-group --log-group-name {name} --region {region}",
    )


def rds_snapshot(client: Any, arn: Arn, region: str) -> Leftover:
    snapshot = client.describe_db_snapshots(DBSnapshotIdentifier=arn.resource_id)["DBSnapshots"][0]
    gib = int(snapshot.get("AllocatedStorage", 0))
    return Leftover(
        region,
        "RDS DB snapshot",
        arn.resource_id,
        f"{snapshot.get('SnapshotType', 'manual')}, {gib} GiB, kept on purpose",
        gib * RDS_SNAPSHOT_GB_MONTH,
        f"aws rds delete-db-snapshot --db-snapshot-identifier {arn.resource_id} --region {region}",
    )


def _rds(client: Any, arn: Arn, region: str) -> Leftover:
    if arn.resource_type == "snapshot":
        return rds_snapshot(client, arn, region)
    instance = client.describe_db_instances(DBInstanceIdentifier=arn.resource_id)["DBInstances"][0]
    return Leftover(
        region,
        "RDS DB instance",
        arn.resource_id,
        f"{instance['DBInstanceStatus']}, billed by the hour",
        None,
        f"aws rds modify-db-instance --db-instance-identifier {arn.resource_id} --no-deletion-protection "
        f"--region {region}, then aws rds delete-db-instance --db-instance-identifier {arn.resource_id} "
        f"--final-db-snapshot-identifier {arn.resource_id}-last --region {region}",
    )


def _dynamodb(client: Any, arn: Arn, region: str) -> Leftover:
    table = client.describe_table(TableName=arn.resource_id)["Table"]
    backups = client.describe_continuous_backups(TableName=arn.resource_id)["ContinuousBackupsDescription"]
    pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus") == "ENABLED"
    size = int(table.get("TableSizeBytes", 0))
    price = DYNAMODB_STORAGE_GB_MONTH + (DYNAMODB_PITR_GB_MONTH if pitr else 0)
    protection = ", deletion protection on" if table.get("DeletionProtectionEnabled") else ""
    return Leftover(
        region,
        "DynamoDB table",
        arn.resource_id,
        f"{table.get('ItemCount', 0)} items, {_size(size)}{', PITR' if pitr else ''}{protection}, kept on purpose",
        size / GB * price,
        f"aws dynamodb delete-table --table-name {arn.resource_id} --region {region}"
        + (" (after update-table --no-deletion-protection-enabled)" if protection else ""),
    )


def _s3(client: Any, arn: Arn, region: str) -> Leftover:
    size, objects, complete = 0, 0, True
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=arn.resource_id)
    for number, page in enumerate(pages):
        if number == MAX_BUCKET_PAGES:
            complete = False
            break
        for item in page.get("Contents", []):
            size += int(item["Size"])
            objects += 1
    at_least = "" if complete else "at least "
    return Leftover(
        region,
        "S3 bucket",
        arn.resource_id,
        f"{at_least}{objects} objects, {at_least}{_size(size)}",
        size / GB * S3_STANDARD_GB_MONTH,
        f"aws s3 rb s3://{arn.resource_id} --force (deletes its objects too)",
    )


def _secret(client: Any, arn: Arn, region: str) -> Leftover:
    secret = client.describe_secret(SecretId=arn.text)
    name = secret.get("Name", arn.resource_id)
    if secret.get("DeletedDate"):
        return Leftover(region, "secret", name, "scheduled for deletion (not charged meanwhile)", 0.0)
    return Leftover(
        region,
        "secret",
        name,
        "kept on purpose",
        SECRET_MONTH,
        f"aws secretsmanager delete-secret --secret-id {name} --recovery-window-in-days 7 --region {region}",
    )


def kms_key(client: Any, key_id: str, region: str) -> Leftover | None:
    metadata = client.describe_key(KeyId=key_id)["KeyMetadata"]
    if metadata.get("KeyManager") != "CUSTOMER":
        return None
    state = metadata["KeyState"]
    if state == "PendingDeletion":
        when = metadata.get("DeletionDate")
        day = f" on {when:%Y-%m-%d}" if hasattr(when, "strftime") else ""
        return Leftover(region, "KMS key", key_id, f"pending deletion{day} (not charged meanwhile)", 0.0)
    return Leftover(
        region,
        "KMS key",
        key_id,
        state,
        KMS_KEY_MONTH,
        f"aws kms schedule-key-deletion --key-id {key_id} --pending-window-in-days 7 --region {region}",
    )


def _kms(client: Any, arn: Arn, region: str) -> Leftover | None:
    return kms_key(client, arn.resource_id, region)


def _logs(client: Any, arn: Arn, region: str) -> Leftover | None:
    return log_group(client, arn.resource_id.removesuffix(":*"), region)


def _ec2(client: Any, arn: Arn, region: str) -> Leftover | None:
    kind, ident = arn.resource_type, arn.resource_id
    if kind == "volume":
        volume = client.describe_volumes(VolumeIds=[ident])["Volumes"][0]
        return Leftover(
            region, "EBS volume", ident, f"{volume['State']}, {volume['Size']} GiB", volume["Size"] * EBS_GP3_GB_MONTH
        )
    if kind == "snapshot":
        snapshot = client.describe_snapshots(SnapshotIds=[ident])["Snapshots"][0]
        gib = int(snapshot.get("VolumeSize", 0))
        return Leftover(region, "EBS snapshot", ident, f"{gib} GiB volume (upper bound)", gib * EBS_SNAPSHOT_GB_MONTH)
    if kind == "instance":
        reservations = client.describe_instances(InstanceIds=[ident])["Reservations"]
        state = reservations[0]["Instances"][0]["State"]["Name"] if reservations else "terminated"
        if state == "terminated":
            return None
        return Leftover(region, "EC2 instance", ident, f"{state}, billed by the hour while running", None)
    if kind == "elastic-ip":
        # The Tagging API may list an address for a while after its release: ask EC2 (a released
        # allocation id is InvalidAllocationID.NotFound, which describe() treats as gone).
        if not client.describe_addresses(AllocationIds=[ident]).get("Addresses"):
            return None
        return Leftover(
            region,
            "Elastic IP",
            ident,
            "public IPv4 address, billed by the hour",
            PUBLIC_IPV4_MONTH,
            f"aws ec2 release-address --allocation-id {ident} --region {region}",
        )
    if kind == "vpc-endpoint":
        return vpc_endpoint(client, ident, region)
    if kind == "natgateway":
        gateways = client.describe_nat_gateways(NatGatewayIds=[ident])["NatGateways"]
        if not gateways or gateways[0]["State"] in {"deleted", "deleting"}:
            return None
        return Leftover(region, "NAT gateway", ident, f"{gateways[0]['State']}, billed by the hour", None)
    if ("ec2", kind) in FREE_TYPES:
        return Leftover(region, f"ec2 {kind}", ident, "free to keep", 0.0)
    return Leftover(region, f"ec2 {kind}", ident, "cost unknown here: look it up in the console", None)


def vpc_endpoint(client: Any, ident: str, region: str) -> Leftover | None:
    endpoints = client.describe_vpc_endpoints(VpcEndpointIds=[ident]).get("VpcEndpoints", [])
    if not endpoints or endpoints[0].get("State", "").lower() in {"deleted", "deleting"}:
        return None
    endpoint = endpoints[0]
    kind, service = endpoint.get("VpcEndpointType", "Gateway"), endpoint.get("ServiceName", "?")
    action = f"aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {ident} --region {region}"
    if kind == "Gateway":
        return Leftover(region, "VPC endpoint", ident, f"gateway endpoint for {service}, free to keep", 0.0, action)
    if kind == "Interface":
        zones = len(endpoint.get("SubnetIds", [])) or 1
        return Leftover(
            region,
            "VPC endpoint",
            ident,
            f"interface endpoint for {service} in {zones} AZ(s), billed by the AZ-hour",
            zones * INTERFACE_ENDPOINT_AZ_MONTH,
            action,
        )
    return Leftover(region, "VPC endpoint", ident, f"{kind} endpoint for {service}, billed by the hour", None, action)


def rds_automated_backup(backup: dict[str, Any], region: str) -> Leftover:
    """A retained automated backup of a deleted instance: billed as backup storage until it expires or is deleted."""
    gib = int(backup.get("AllocatedStorage", 0))
    resource_id = backup["DbiResourceId"]
    days = backup.get("BackupRetentionPeriod")
    expires = f", expires within {days} days" if days else ""
    return Leftover(
        region,
        "RDS automated backup",
        backup.get("DBInstanceIdentifier", resource_id),
        f"retained after the instance's deletion, {gib} GiB (upper bound){expires}",
        gib * RDS_SNAPSHOT_GB_MONTH,
        f"aws rds delete-db-instance-automated-backup --dbi-resource-id {resource_id} --region {region}",
    )


def unreadable(region: str, kind: str, name: str, error: ClientError) -> Leftover:
    """One resource we may not read (AccessDenied, throttled after the retries ...) must not hide the others."""
    code = error.response.get("Error", {}).get("Code", "error")
    return Leftover(region, kind, name, f"cannot be read here ({code}): look in the console", None)


def _alarm(client: Any, arn: Arn, region: str) -> Leftover | None:
    alarms = client.describe_alarms(AlarmNames=[arn.resource_id]).get("MetricAlarms", [])
    if not alarms:
        return None
    return Leftover(region, "CloudWatch alarm", arn.resource_id, alarms[0]["StateValue"], ALARM_MONTH)


def _load_balancer(client: Any, arn: Arn, region: str) -> Leftover | None:
    if arn.resource_type == "targetgroup":
        return Leftover(region, "target group", arn.resource_id, "free to keep", 0.0)
    balancer = client.describe_load_balancers(LoadBalancerArns=[arn.text])["LoadBalancers"][0]
    return Leftover(region, "load balancer", arn.resource_id, f"{balancer['State']['Code']}, billed by the hour", None)


HANDLERS: dict[tuple[str, str], Callable[[Any, Arn, str], Leftover | None]] = {
    ("rds", "db"): _rds,
    ("rds", "snapshot"): _rds,
    ("dynamodb", "table"): _dynamodb,
    ("s3", ""): _s3,
    ("secretsmanager", "secret"): _secret,
    ("kms", "key"): _kms,
    ("logs", "log-group"): _logs,
    ("ec2", "volume"): _ec2,
    ("ec2", "snapshot"): _ec2,
    ("ec2", "instance"): _ec2,
    ("ec2", "elastic-ip"): _ec2,
    ("ec2", "natgateway"): _ec2,
    ("ec2", "vpc-endpoint"): _ec2,
    ("cloudwatch", "alarm"): _alarm,
    ("elasticloadbalancing", "loadbalancer"): _load_balancer,
    ("elasticloadbalancing", "targetgroup"): _load_balancer,
}


def _client_name(service: str) -> str:
    return "elbv2" if service == "elasticloadbalancing" else service


def _gone(error: ClientError) -> bool:
    """NotFound, InvalidVolume.NotFound, DBSnapshotNotFound, ResourceNotFoundException, NoSuchBucket ..."""
    code = str(error.response.get("Error", {}).get("Code", ""))
    return "NotFound" in code or code == "NoSuchBucket"


def _size(size: int) -> str:
    for unit, factor in (("GB", GB), ("MB", 1e6), ("KB", 1e3)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"
