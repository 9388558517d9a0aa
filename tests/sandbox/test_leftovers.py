"""Leftovers in a moto account: one with what prod keeps and CDK leaves behind, one clean."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from scripts.sandbox import leftovers, resources
from scripts.sandbox.lab_cost import monthly_lines
from scripts.sandbox.resources import Arn, Leftover
from stacks.cost_model import total
from stacks.labs import lab_named
from tests.sandbox.conftest import REGION
from tests.sandbox.deployed import create_stack

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT = {"Project": "cloudops-cdk-labs"}
PROVIDER_LOG_GROUP = "/aws/lambda/ThreeTier-CustomVpcRestrictDefaultSGCustomRes-Ab12Cd34"


def tags(stage: str, key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
    return [{key: k, value: v} for k, v in {**PROJECT, "Stage": stage}.items()]


def keep_prod_data(session: Any) -> None:
    """What a destroyed prod three-tier and queue-worker keep on purpose, and a provider's log group."""
    rds = session.client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="threetier-database",
        DBInstanceClass="db.t3.small",
        Engine="mysql",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password",
        Tags=tags("prod"),
    )
    rds.create_db_snapshot(
        DBInstanceIdentifier="threetier-database", DBSnapshotIdentifier="threetier-final", Tags=tags("prod")
    )
    rds.delete_db_instance(DBInstanceIdentifier="threetier-database", SkipFinalSnapshot=True)
    session.client("secretsmanager").create_secret(Name="ThreeTierDatabaseSecret", SecretString="{}", Tags=tags("prod"))
    dynamodb = session.client("dynamodb")
    dynamodb.create_table(
        TableName="QueueWorker-ReadingsTable-1",
        KeySchema=[{"AttributeName": "Zipcode", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "Zipcode", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=tags("prod"),
    )
    logs = session.client("logs")
    logs.create_log_group(logGroupName=PROVIDER_LOG_GROUP)
    logs.create_log_stream(logGroupName=PROVIDER_LOG_GROUP, logStreamName="s")
    logs.put_log_events(
        logGroupName=PROVIDER_LOG_GROUP,
        logStreamName="s",
        logEvents=[{"timestamp": int(time.time() * 1000), "message": "x" * 500}],
    )


def key_pending_deletion(session: Any, region: str, stage: str) -> str:
    kms = session.client("kms", region_name=region)
    key_id: str = kms.create_key(Tags=tags(stage, "TagKey", "TagValue"))["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    return key_id


def someone_elses(session: Any) -> None:
    """Not this project's: never listed."""
    session.client("secretsmanager").create_secret(
        Name="other", SecretString="{}", Tags=[{"Key": "Project", "Value": "x"}]
    )
    session.client("logs").create_log_group(logGroupName="/aws/lambda/Other-Function")


def by_name(found: list[Leftover]) -> dict[str, Leftover]:
    return {item.name: item for item in found}


def test_an_account_with_kept_data_lists_each_item_with_its_cost_and_fails(
    aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a destroyed prod deployment's kept data, a provider log group, a key waiting for deletion
    keep_prod_data(aws)
    key_id = key_pending_deletion(aws, "us-east-1", "sandbox")
    someone_elses(aws)
    # When the leftovers are listed
    code = leftovers.main([], session=aws)
    out = capsys.readouterr().out
    # Then each is found once, with its monthly cost, in the region it is in
    found = by_name(leftovers.find(aws, [REGION, "us-east-1"], None).found)
    assert found["threetier-final"].kind == "RDS DB snapshot"
    assert found["threetier-final"].monthly_usd == pytest.approx(20 * 0.095)
    secret = next(item for item in found.values() if item.kind == "secret")
    assert secret.monthly_usd == pytest.approx(0.40)
    assert found["QueueWorker-ReadingsTable-1"].kind == "DynamoDB table"
    assert found[PROVIDER_LOG_GROUP].kind == "log group"
    assert "never expires" in found[PROVIDER_LOG_GROUP].note
    assert 0 < (found[PROVIDER_LOG_GROUP].monthly_usd or 0) < 0.01
    assert found[key_id].region == "us-east-1"
    assert found[key_id].monthly_usd == 0.0, "a key pending deletion is not charged"
    assert "other" not in found
    assert "/aws/lambda/Other-Function" not in found
    assert len(found) == 5
    # And the command prints them, says what they cost, and exits non-zero
    assert code == 1
    assert "Leftovers of cloudops-cdk-labs (every stage) in eu-west-1, us-east-1:" in out
    assert "aws rds delete-db-snapshot --db-snapshot-identifier threetier-final" in out
    assert "3 billable item(s) left in eu-west-1, us-east-1: about 2.30 USD a month" in out
    assert "< 0.01" in out


def test_a_clean_account_exits_zero(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    someone_elses(aws)
    assert leftovers.main([], session=aws) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Nothing of cloudops-cdk-labs is left in eu-west-1, us-east-1."


def test_the_bootstrap_stack_is_mentioned_but_not_counted(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    create_stack(aws, "us-east-1", "CDKToolkit", outputs={"BootstrapVersion": "30"})
    assert leftovers.main([], session=aws) == 0
    out = capsys.readouterr().out
    assert "Nothing of cloudops-cdk-labs is left in eu-west-1, us-east-1." in out
    assert "Not counted: the CDKToolkit bootstrap stack in us-east-1, shared by every lab" in out


def test_only_free_leftovers_exit_zero_but_are_listed(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    key_id = key_pending_deletion(aws, "us-east-1", "sandbox")
    assert leftovers.main([], session=aws) == 0
    out = capsys.readouterr().out
    assert key_id in out
    assert "pending deletion on" in out
    assert "Nothing billable left in eu-west-1, us-east-1 (1 free item(s) above)." in out


def test_a_deployed_lab_stack_is_listed_with_the_lab_s_monthly_cost(aws: Any) -> None:
    create_stack(aws, REGION, "QueueWorker", tags={**PROJECT, "Stage": "sandbox"})
    [stack] = leftovers.find(aws, [REGION], None).found
    assert (stack.kind, stack.name) == ("CloudFormation stack", "QueueWorker")
    assert "still deployed" in stack.note
    assert stack.action == "make destroy LAB=queue-worker STAGE=sandbox"
    idle_month = total(monthly_lines(lab_named("queue-worker"), "sandbox"))
    assert stack.monthly_usd == pytest.approx(idle_month), "the queue-worker's idle month, from its cost model"


def test_a_stage_keeps_only_its_own_tagged_resources(aws: Any) -> None:
    keep_prod_data(aws)
    sandbox_key = key_pending_deletion(aws, REGION, "sandbox")
    found = by_name(leftovers.find(aws, [REGION], "sandbox").found)
    # The prod data is not listed for the sandbox stage; untagged log groups carry no stage and are.
    assert set(found) == {sandbox_key, PROVIDER_LOG_GROUP}


def test_no_region_is_one_line(aws: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import boto3

    from scripts.stack_outputs import run

    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    assert run(lambda argv: leftovers.main(argv, session=boto3.Session()), []) == 1
    assert capsys.readouterr().err == (
        "error: no AWS region configured: set AWS_REGION (or region in your AWS profile), or pass --region\n"
    )


@pytest.mark.parametrize(
    ("arn", "parsed"),
    [
        ("arn:aws:rds:eu-west-1:1:snapshot:threetier-final", ("rds", "snapshot", "threetier-final")),
        ("arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/X-y:*", ("logs", "log-group", "/aws/lambda/X-y:*")),
        ("arn:aws:kms:us-east-1:1:key/1234-abcd", ("kms", "key", "1234-abcd")),
        ("arn:aws:s3:::a-bucket", ("s3", "", "a-bucket")),
        (
            "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/a/b",
            ("elasticloadbalancing", "loadbalancer", "app/a/b"),
        ),
    ],
)
def test_arns_split_into_service_type_and_id(arn: str, parsed: tuple[str, str, str]) -> None:
    result = Arn.parse(arn)
    assert (result.service, result.resource_type, result.resource_id) == parsed


def test_as_a_process_it_reads_aws_endpoint_url_and_fails_on_billable_leftovers(moto_server: tuple[str, Any]) -> None:
    # Given a moto server holding a kept bucket with an object and a kept secret
    _, session = moto_server
    s3 = session.client("s3")
    s3.create_bucket(Bucket="threetier-accesslogs", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_tagging(Bucket="threetier-accesslogs", Tagging={"TagSet": tags("prod")})
    s3.put_object(Bucket="threetier-accesslogs", Key="alb/log.gz", Body=b"x" * 2048)
    session.client("secretsmanager").create_secret(Name="kept", SecretString="{}", Tags=tags("prod"))
    # When the command runs as a process with AWS_ENDPOINT_URL pointing at it
    result = subprocess.run(
        [sys.executable, "-m", "scripts.sandbox.leftovers", "--stage", "prod"],
        cwd=REPO_ROOT,
        env={**os.environ, "AWS_DEFAULT_REGION": REGION},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # Then it lists both and exits 1
    assert result.returncode == 1, result.stdout + result.stderr
    assert "S3 bucket" in result.stdout
    assert "1 objects, 2.0 KB" in result.stdout
    assert "delete: aws secretsmanager delete-secret --secret-id kept" in result.stdout
    assert "2 billable item(s)" in result.stdout


def test_a_resource_that_cannot_be_read_is_listed_as_billable_not_an_error() -> None:
    from botocore.exceptions import ClientError

    from scripts.sandbox import resources

    class Denied:
        def describe_secret(self, SecretId: str) -> None:  # noqa: N803 - boto3's parameter name
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "DescribeSecret")

    class Session:
        def client(self, name: str, region_name: str) -> Denied:
            return Denied()

    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:kept-AbCdEf"
    leftover = resources.describe(Session(), arn, REGION)
    assert leftover is not None
    assert leftover.note == "cannot be read here (AccessDeniedException): look in the console"
    assert leftover.billable


def failed_and_untagged(session: Any, name: str, status: str) -> Any:
    """The stack as CloudFormation shows one whose delete failed: this status, and (as the
    rehearsal's emulator showed it) no tags. moto cannot fail a delete, so the answer of
    DescribeStacks is rewritten after the call."""
    client = session.client("cloudformation", region_name=REGION)

    def rewrite(parsed: dict[str, Any], **_: Any) -> None:
        for stack in parsed.get("Stacks", []):
            if stack["StackName"] == name:
                stack["StackStatus"] = status
                stack.pop("Tags", None)

    client.meta.events.register("after-call.cloudformation.DescribeStacks", rewrite)

    class Session:
        region_name = REGION

        def client(self, service: str, **kwargs: Any) -> Any:
            return client if service == "cloudformation" else session.client(service, **kwargs)

    return Session()


@pytest.mark.parametrize("status", ["DELETE_FAILED", "ROLLBACK_FAILED", "UPDATE_ROLLBACK_FAILED"])
def test_a_project_stack_in_a_failed_state_is_listed_whatever_the_stage(aws: Any, status: str) -> None:
    create_stack(aws, REGION, "Fanout", tags={**PROJECT, "Stage": "local"})
    session = failed_and_untagged(aws, "Fanout", status)
    [stack] = leftovers.find(session, [REGION], "local").found
    assert (stack.kind, stack.name) == ("CloudFormation stack", "Fanout")
    assert stack.note.startswith(status)
    assert stack.billable


def test_an_interface_endpoint_is_priced_per_az_hour_and_a_gateway_endpoint_is_free(aws: Any) -> None:
    # Interface endpoints bill 0.01 USD per AZ-hour whatever their state; gateway endpoints are free
    # (https://aws.amazon.com/privatelink/pricing/). DbLambda's Secrets Manager endpoint is an interface one.
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"][
            "SubnetId"
        ]
        for i, zone in enumerate("ab")
    ]
    interface = ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.secretsmanager", VpcEndpointType="Interface", SubnetIds=subnets
    )["VpcEndpoint"]["VpcEndpointId"]
    gateway = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.s3", VpcEndpointType="Gateway")[
        "VpcEndpoint"
    ]["VpcEndpointId"]
    arn = f"arn:aws:ec2:{REGION}:123456789012:vpc-endpoint/"
    paid = resources.describe(aws, arn + interface, REGION)
    free = resources.describe(aws, arn + gateway, REGION)
    assert paid is not None
    assert free is not None
    assert paid.monthly_usd == pytest.approx(2 * 0.01 * 730)
    assert "interface endpoint for com.amazonaws.eu-west-1.secretsmanager in 2 AZ(s)" in paid.note
    assert free.monthly_usd == 0.0


def test_a_released_elastic_ip_the_tagging_api_still_lists_is_not_reported(aws: Any) -> None:
    # The Tagging API may list a resource for a while after its deletion; EC2 says whether it exists.
    ec2 = aws.client("ec2")
    kept = ec2.allocate_address(Domain="vpc")["AllocationId"]
    released = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.release_address(AllocationId=released)
    arn = f"arn:aws:ec2:{REGION}:123456789012:elastic-ip/"
    assert resources.describe(aws, arn + released, REGION) is None
    address = resources.describe(aws, arn + kept, REGION)
    assert address is not None
    assert address.monthly_usd == pytest.approx(0.005 * 730)


class StubbedSession:
    """A session whose clients are the given Stubber-driven ones (moto never pages short nor throttles)."""

    def __init__(self, **clients: Any) -> None:
        self._clients = clients

    def client(self, name: str, region_name: str) -> Any:
        return self._clients[name]


def offline_client(name: str) -> Any:
    return boto3.client(name, region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")


def test_retained_automated_backups_of_the_project_are_listed_with_their_cost() -> None:
    # Prod keeps automated backups when the instance is deleted (DeleteAutomatedBackups false); they
    # are billed until they expire and only DescribeDBInstanceAutomatedBackups shows them:
    # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.Retaining.html
    rds = offline_client("rds")
    ours = {
        "DbiResourceId": "db-OURS",
        "DBInstanceIdentifier": "dblambda-database",
        "DBInstanceAutomatedBackupsArn": f"arn:aws:rds:{REGION}:123456789012:auto-backup:ab-ours",
        "Status": "retained",
        "AllocatedStorage": 20,
        "BackupRetentionPeriod": 7,
        "TagList": tags("prod"),
    }
    theirs = {**ours, "DbiResourceId": "db-THEIRS", "DBInstanceAutomatedBackupsArn": "x", "TagList": []}
    search = leftovers.Search(StubbedSession(rds=rds), None)
    with Stubber(rds) as stub:
        retained = {"Filters": [{"Name": "status", "Values": ["retained"]}]}
        stub.add_response(
            "describe_db_instance_automated_backups", {"DBInstanceAutomatedBackups": [theirs], "Marker": "2"}, retained
        )
        stub.add_response(
            "describe_db_instance_automated_backups",
            {"DBInstanceAutomatedBackups": [ours]},
            {**retained, "Marker": "2"},
        )
        leftovers._rds_automated_backups(search, REGION)
    [backup] = search.found
    assert backup.kind == "RDS automated backup"
    assert backup.monthly_usd == pytest.approx(20 * resources.RDS_SNAPSHOT_GB_MONTH)
    assert backup.action == f"aws rds delete-db-instance-automated-backup --dbi-resource-id db-OURS --region {REGION}"


def test_a_kms_key_that_cannot_be_read_is_reported_not_skipped() -> None:
    # A throttled read (after botocore's retries) may hide one of our keys: it is listed as billable
    # "cannot be read"; a key whose policy denies us is another's, counted in a note.
    kms = offline_client("kms")
    keys = [{"KeyId": key, "KeyArn": f"arn:aws:kms:{REGION}:123456789012:key/{key}"} for key in ("throttled", "denied")]
    search = leftovers.Search(StubbedSession(kms=kms), None)
    with Stubber(kms) as stub:
        stub.add_response("list_keys", {"Keys": keys, "Truncated": False})
        stub.add_client_error("list_resource_tags", "ThrottlingException", "Rate exceeded")
        stub.add_client_error("list_resource_tags", "AccessDeniedException", "not allowed")
        leftovers._kms_keys(search, REGION)
    [unreadable] = search.found
    assert (unreadable.kind, unreadable.name) == ("KMS key", "throttled")
    assert unreadable.note == "cannot be read here (ThrottlingException): look in the console"
    assert unreadable.billable
    assert search.notes == [
        f"Not counted: 1 KMS key(s) in {REGION} whose tags this identity may not read "
        "(AccessDeniedException): other services' or teams' keys, or look in the console."
    ]


def test_a_log_group_on_a_later_page_of_its_prefix_is_found() -> None:
    # DescribeLogGroups pages with nextToken (at most 50 groups a page); moto never pages short.
    logs = offline_client("logs")
    name = "/aws/lambda/ThreeTier-Provider"
    with Stubber(logs) as stub:
        stub.add_response("describe_log_groups", {"logGroups": [], "nextToken": "2"}, {"logGroupNamePrefix": name})
        stub.add_response(
            "describe_log_groups",
            {"logGroups": [{"logGroupName": name, "storedBytes": 1000, "retentionInDays": 14}]},
            {"logGroupNamePrefix": name, "nextToken": "2"},
        )
        leftover = resources.log_group(logs, name, REGION)
    assert leftover is not None
    assert leftover.note == "1.0 KB stored, kept 14 days"
