"""List everything of this project still in the AWS account, with what it costs per month.

    python -m scripts.sandbox.leftovers                  # every stage
    python -m scripts.sandbox.leftovers --stage sandbox --region eu-west-1

Looks in your default region, every region a lab is pinned to (billing-alarm:
us-east-1) and each --region, for:
- the labs' CloudFormation stacks still deployed (with the lab's monthly cost);
- resources tagged Project=cloudops-cdk-labs (Resource Groups Tagging API), among them
  what prod keeps on purpose: tables, buckets, secrets, RDS snapshots, KMS keys;
- log groups the stacks leave behind: /aws/lambda/<StackId>-* (CDK's provider
  functions) and <StackId>-* (the stacks' own);
- RDS snapshots, retained RDS automated backups, the ops-automation chore's EBS snapshots
  and KMS keys of the project that the Tagging API does not list (a key that cannot be
  read is listed as such).

--stage keeps tagged resources of that stage only (log groups carry no stage).
Exit code 0 when nothing billable is left, 1 otherwise (2 for a bad argument).
Reads the standard AWS settings (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from scripts.aws_session import NO_REGION, aws_session
from scripts.sandbox import lab_cost, resources
from scripts.sandbox.resources import Leftover
from scripts.stack_outputs import OneLineParser, ScriptError, run
from stacks.config import ConfigError, cdk_json_context, load_stage_config, stage_names
from stacks.cost_model import PRICES_REVIEWED, PriceMissingError, total
from stacks.labs import LABS, PROJECT_TAG, Lab

STACK_NAME_TAG = "aws:cloudformation:stack-name"
BOOTSTRAP_STACK = "CDKToolkit"
PROJECT_KEY = "Project"  # the tags stacks/app_builder.py puts on every resource
STAGE_TAG = "Stage"
LAB_TAG = "Lab"


@dataclass
class Search:
    """One search over several regions: what is found, and what is already counted."""

    session: Any
    stage: str | None
    seen: set[str] = field(default_factory=set)
    found: list[Leftover] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said, not counted
    owners: list[str | None] = field(default_factory=list)  # the lab each of `found` belongs to, if known

    def add(self, arn: str, leftover: Leftover | None, lab: str | None = None) -> None:
        if leftover is not None and not self.has(arn):
            self.found.append(leftover)
            self.owners.append(lab)
        self.seen.add(_key(arn))

    def of_lab(self, lab: str) -> list[Leftover]:
        return [item for item, owner in zip(self.found, self.owners, strict=True) if owner == lab]

    def has(self, arn: str) -> bool:
        return _key(arn) in self.seen

    def wanted(self, tags: dict[str, str]) -> bool:
        return tags.get(PROJECT_KEY) == PROJECT_TAG and self.stage in (None, tags.get(STAGE_TAG))


# An endpoint that does not offer an API answers with one of these (a local emulator, a
# partition without the service); AWS itself never does for an API of its model.
UNOFFERED = {"InvalidAction", "UnknownOperationException", "UnrecognizedClientException", "NotImplemented"}


def find(session: Any, regions: Iterable[str], stage: str | None) -> Search:
    search = Search(session, stage)
    for region in regions:
        live = _stacks(search, region)
        _tagged(search, region, live)
        for what, finder in (
            ("log groups", _log_groups),
            ("RDS snapshots", _rds_snapshots),
            ("RDS automated backups", _rds_automated_backups),
            ("EBS snapshots of the snapshot chore", _chore_snapshots),
            ("KMS keys", _kms_keys),
        ):
            _listing(search, region, what, finder)
    return search


def _listing(search: Search, region: str, what: str, finder: Any) -> None:
    """One finder; a listing the endpoint refuses must not hide what the others find.

    Refused for want of permission (or throttled beyond the retries), the items may exist:
    listed as "cannot be read", billable until seen. An API the endpoint does not offer at
    all is a note.
    """
    try:
        finder(search, region)
    except ClientError as error:
        code = _code(error)
        if code in UNOFFERED:
            search.notes.append(f"Not searched: {what} in {region}: this endpoint does not offer the API ({code}).")
        else:
            search.add(f"listing:{region}:{what}", resources.unreadable(region, what, "(all)", error))


def _stacks(search: Search, region: str) -> set[str]:
    """The project's stacks in `region` (tagged, or named like a lab); returns their names."""
    labs = {stack_id: lab for lab in LABS for stack_id in lab.stack_ids}
    cloudformation = search.session.client("cloudformation", region_name=region)
    stacks = [stack for page in cloudformation.get_paginator("describe_stacks").paginate() for stack in page["Stacks"]]
    stack_ids = {stack["StackId"] for stack in stacks}
    live: set[str] = set()
    for stack in stacks:
        tags = {tag["Key"]: tag["Value"] for tag in stack.get("Tags", [])}
        name = stack["StackName"]
        if name == BOOTSTRAP_STACK:
            search.notes.append(
                f"Not counted: the {BOOTSTRAP_STACK} bootstrap stack in {region}, shared by every lab "
                "(cents a month); remove it at the very end (README, Before you deploy, step 7)."
            )
        ours = tags.get(PROJECT_KEY) == PROJECT_TAG or name in labs
        # A stack stuck in a failed state (DELETE_FAILED ...) is listed whatever the stage
        # filter: its tags may be missing, and it is exactly what a destroy left behind.
        failed = str(stack.get("StackStatus", "")).endswith("_FAILED")
        if not (search.wanted(tags) or (ours and (search.stage is None or failed))):
            continue
        live.add(name)
        if stack.get("ParentId") in stack_ids:
            continue  # a nested stack (the secret rotation's) goes with its parent
        lab = labs.get(name)
        stage = tags.get(STAGE_TAG, "sandbox")
        what = (
            f"make destroy LAB={lab.name} STAGE={stage}"
            if lab
            else f"aws cloudformation delete-stack --stack-name {name}"
        )
        search.add(
            stack["StackId"],
            Leftover(
                region,
                "CloudFormation stack",
                name,
                f"{stack['StackStatus']}, still deployed (its resources are not listed)",
                _deployed_cost(lab, tags.get(STAGE_TAG)),
                what,
            ),
            lab.name if lab else tags.get(LAB_TAG),
        )
    return live


def _deployed_cost(lab: Lab | None, stage: str | None) -> float | None:
    if lab is None or stage is None:
        return None
    try:
        return total(lab_cost.monthly_lines(lab, stage))
    except (ConfigError, PriceMissingError):  # a stage no longer in cdk.json, a price not in the table
        return None


def _tagged(search: Search, region: str, live_stacks: set[str]) -> None:
    tagging = search.session.client("resourcegroupstaggingapi", region_name=region)
    filters = [{"Key": PROJECT_KEY, "Values": [PROJECT_TAG]}]
    if search.stage is not None:
        filters.append({"Key": STAGE_TAG, "Values": [search.stage]})
    for page in tagging.get_paginator("get_resources").paginate(TagFilters=filters):
        for mapping in page["ResourceTagMappingList"]:
            arn = mapping["ResourceARN"]
            tags = {tag["Key"]: tag["Value"] for tag in mapping.get("Tags", [])}
            parsed = resources.Arn.parse(arn)
            if parsed.service == "cloudformation" or tags.get(STACK_NAME_TAG) in live_stacks:
                search.add(arn, None)  # the stack's own line covers it
            elif not search.has(arn):
                search.add(arn, resources.describe(search.session, arn, region), tags.get(LAB_TAG))


def _log_groups(search: Search, region: str) -> None:
    logs = search.session.client("logs", region_name=region)
    stacks = [(stack_id, lab) for lab in LABS for stack_id in lab.stack_ids]
    prefixes = [(f"/aws/lambda/{stack_id}-", lab) for stack_id, lab in stacks] + [
        (f"{stack_id}-", lab) for stack_id, lab in stacks
    ]
    for prefix, lab in prefixes:
        for page in logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=prefix):
            for group in page["logGroups"]:
                if not search.has(group["arn"]):
                    search.add(group["arn"], resources.log_group(logs, group["logGroupName"], region), lab.name)


def _rds_snapshots(search: Search, region: str) -> None:
    rds = search.session.client("rds", region_name=region)
    for page in rds.get_paginator("describe_db_snapshots").paginate(SnapshotType="manual"):
        for snapshot in page["DBSnapshots"]:
            tags = {tag["Key"]: tag["Value"] for tag in snapshot.get("TagList", [])}
            arn = snapshot["DBSnapshotArn"]
            if search.wanted(tags) and not search.has(arn):
                search.add(arn, resources.rds_snapshot(rds, resources.Arn.parse(arn), region), tags.get(LAB_TAG))


# The ops-automation lab's snapshot chore describes each snapshot "... (ops-automation)"
# (lambda_src/ops_chores/logic.py); snapshots it made before it also copied the Project tag
# onto them are found by that.
CHORE_SNAPSHOT_DESCRIPTION = "*(ops-automation)"


def _chore_snapshots(search: Search, region: str) -> None:
    """EBS snapshots the snapshot chore made: they outlive its stack and its cleanup schedule."""
    ec2 = search.session.client("ec2", region_name=region)
    pages = ec2.get_paginator("describe_snapshots").paginate(
        OwnerIds=["self"], Filters=[{"Name": "description", "Values": [CHORE_SNAPSHOT_DESCRIPTION]}]
    )
    for page in pages:
        for snapshot in page["Snapshots"]:
            tags = {tag["Key"]: tag["Value"] for tag in snapshot.get("Tags", [])}
            untagged = PROJECT_KEY not in tags and search.stage is None
            arn = f"arn:aws:ec2:{region}::snapshot/{snapshot['SnapshotId']}"
            if (untagged or search.wanted(tags)) and not search.has(arn):
                search.add(arn, resources.describe(search.session, arn, region), tags.get(LAB_TAG, "ops-automation"))


def _rds_automated_backups(search: Search, region: str) -> None:
    """Automated backups RDS keeps after the instance is deleted (prod: DeleteAutomatedBackups false).

    They are billed until they expire or are deleted, appear in no snapshot listing, and only
    DescribeDBInstanceAutomatedBackups (status retained) shows them
    (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.Retaining.html).
    """
    rds = search.session.client("rds", region_name=region)
    pages = rds.get_paginator("describe_db_instance_automated_backups").paginate(
        Filters=[{"Name": "status", "Values": ["retained"]}]
    )
    for page in pages:
        for backup in page["DBInstanceAutomatedBackups"]:
            tags = {tag["Key"]: tag["Value"] for tag in backup.get("TagList", [])}
            arn = backup.get("DBInstanceAutomatedBackupsArn") or backup["DbiResourceId"]
            if search.wanted(tags) and not search.has(arn):
                search.add(arn, resources.rds_automated_backup(backup, region), tags.get(LAB_TAG))


def _kms_keys(search: Search, region: str) -> None:
    """Customer keys of the project, pending deletion included, that the Tagging API did not list.

    A key whose policy does not let us read its tags (AccessDeniedException: another service's
    or another team's key) is counted in a note; any other failure (throttled beyond the
    retries, an internal error) is listed as "cannot be read": it may be ours.
    """
    kms = search.session.client("kms", region_name=region)
    denied = 0
    for page in kms.get_paginator("list_keys").paginate():
        for key in page["Keys"]:
            if search.has(key["KeyArn"]):
                continue
            try:
                tag_pages = kms.get_paginator("list_resource_tags").paginate(KeyId=key["KeyId"])
                tags = {tag["TagKey"]: tag["TagValue"] for tag_page in tag_pages for tag in tag_page.get("Tags", [])}
                if search.wanted(tags):
                    search.add(key["KeyArn"], resources.kms_key(kms, key["KeyId"], region), tags.get(LAB_TAG))
            except ClientError as error:
                if _code(error) == "AccessDeniedException":
                    denied += 1
                else:
                    search.add(key["KeyArn"], resources.unreadable(region, "KMS key", key["KeyId"], error))
    if denied:
        search.notes.append(
            f"Not counted: {denied} KMS key(s) in {region} whose tags this identity may not read "
            "(AccessDeniedException): other services' or teams' keys, or look in the console."
        )


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _key(arn: str) -> str:
    """One key per resource: log groups have two ARNs, with and without ':*'; EBS snapshot ARNs
    carry no account (arn:aws:ec2:REGION::snapshot/ID), though some listings put one in."""
    parts = arn.removesuffix(":*").split(":", 5)
    if len(parts) == 6 and parts[2] == "ec2" and parts[5].startswith("snapshot/"):
        parts[4] = ""
    return ":".join(parts)


def configured_regions() -> list[str]:
    """The regions a multi-region lab's stacks are configured for, in any stage of cdk.json."""
    context = cdk_json_context()
    found = []
    for stage in stage_names(context):
        config = load_stage_config({**context, "stage": stage})
        found += [region for lab in LABS if lab.stacks for region in lab.regions(config.sections[lab.package])]
    return found


def regions_to_search(session: Any, extra: Sequence[str]) -> list[str]:
    """The caller's region, every lab's pinned region and `extra`, each once, in that order."""
    if session.region_name is None and not extra:
        raise ScriptError(f"{NO_REGION}, or pass --region")
    candidates = [session.region_name, *(lab.region for lab in LABS), *configured_regions(), *extra]
    return [region for region in dict.fromkeys(candidates) if region]


def render(leftovers: Sequence[Leftover]) -> str:
    """One row per leftover; the command that deletes it, if any, on the line below."""
    header = ("region", "what", "name", "state", "USD/month")
    rows = [(item.region, item.kind, item.name, item.note, _usd(item.monthly_usd)) for item in leftovers]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    indent = " " * (2 + widths[0] + 2)
    lines = []
    for row, item in zip([header, *rows], [None, *leftovers], strict=True):
        cells = "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
        lines.append(f"  {cells}  {row[4]:>9}")
        if item is not None and item.action:
            lines.append(f"{indent}delete: {item.action}")
    return "\n".join(lines)


def summary(leftovers: Sequence[Leftover], regions: Sequence[str]) -> str:
    where = ", ".join(regions)
    billable = [item for item in leftovers if item.billable]
    if not leftovers:
        return f"Nothing of cloudops-cdk-labs is left in {where}."
    if not billable:
        return f"Nothing billable left in {where} ({len(leftovers)} free item(s) above)."
    known = sum(item.monthly_usd or 0 for item in billable)
    unknown = sum(item.monthly_usd is None for item in billable)
    amount = "less than 0.01" if 0 < known < 0.01 else f"about {known:.2f}"
    text = f"{len(billable)} billable item(s) left in {where}: {amount} USD a month"
    if unknown:
        text += f", plus {unknown} billed by the hour or of unknown cost"
    return text + f" (us-east-1 list prices of {PRICES_REVIEWED})."


def report(session: Any, *, stage: str | None, extra_regions: Sequence[str], lab: str | None = None) -> int:
    """Prints the leftovers and a summary; returns 1 when anything billable is left, else 0.

    With `lab` (after `make destroy LAB=...`), the verdict is that lab's alone: what other
    labs of the stage still have is shown, as information, and does not fail the destroy.
    """
    regions = regions_to_search(session, extra_regions)
    stages = f"stage {stage}" if stage else "every stage"
    print(f"Leftovers of cloudops-cdk-labs ({stages}) in {', '.join(regions)}:")
    search = find(session, regions, stage)
    if search.found:
        print(render(search.found))
    print(summary(search.found, regions))
    for note in search.notes:
        print(note)
    if lab is not None:
        mine = [item for item in search.of_lab(lab) if item.billable]
        others = sum(item.billable for item in search.found) - len(mine)
        if others:
            print(f"{others} billable item(s) above belong to other labs (shown for information).")
        print(f"{lab}: {len(mine)} billable item(s) left." if mine else f"{lab}: nothing billable left.")
        return 1 if mine else 0
    return 1 if any(item.billable for item in search.found) else 0


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(prog="python -m scripts.sandbox.leftovers", description=__doc__.splitlines()[0])
    parser.add_argument("--stage", help="only tagged resources of this stage (default: every stage)")
    parser.add_argument("--region", action="append", default=[], help="another region to search (repeatable)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, *, session: Any = None) -> int:
    args = parse_args(argv)
    return report(session or aws_session(), stage=args.stage, extra_regions=args.region)


def _usd(value: float | None) -> str:
    if value is None:
        return "unknown"
    if 0 < value < 0.01:
        return "< 0.01"
    return f"{value:.2f}"


if __name__ == "__main__":
    raise SystemExit(run(main, None))
