"""make explain: every resource of every lab explained, costed and given its fate on destroy."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from scripts.stack_outputs import run
from scripts.study import explain
from scripts.study.catalog import TABLE_NAME, TIERS, catalog, missing_line
from scripts.study.cfn import matches, resources
from stacks.labs import LABS, Lab, lab_named
from tests.harness import SynthesizedStage
from tests.study.conftest import printed


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_every_resource_type_of_every_lab_has_an_explanation(lab: Lab, each_stage: SynthesizedStage) -> None:
    # Given the lab's template in this stage; Then every resource type in it has its line in the table.
    missing = {
        kind: logical_id
        for stack_id in lab.stack_ids
        for kind, logical_id in explain.unexplained(lab, each_stage.template_json(stack_id)).items()
    }
    lines = "\n".join(missing_line(resource_type, lab.guide) for resource_type in missing)
    assert missing == {}, (
        f"{lab.stack_id} ({each_stage.name}) holds resource types with no explanation "
        f"({', '.join(f'{t}: {i}' for t, i in missing.items())}). "
        f"Add one line per type under [types] in {TABLE_NAME}, in the guide's words:\n{lines}"
    )


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_every_cost_line_of_the_lab_belongs_to_a_resource(lab: Lab, each_stage: SynthesizedStage) -> None:
    lines = explain.cost_lines(lab, each_stage.name)
    # A lab of several stacks: its cost model prices them all, so the rows of all its stacks claim the lines.
    rows = [
        row for stack_id in lab.stack_ids for row in explain.explain(lab, each_stage.template_json(stack_id), lines)
    ]
    rest = explain.unclaimed(rows, lines)
    assert rest == [], (
        f"no resource of {lab.stack_id} claims these lines of stacks/{lab.package}/cost.py: "
        f"{[line.item for line in rest]}; add a word of the line to the cost list of its resource type "
        f"(or of the lab's entry) in {TABLE_NAME}"
    )


def test_every_lab_entry_of_the_table_names_a_lab_and_finds_a_resource(
    sandbox: SynthesizedStage, prod: SynthesizedStage
) -> None:
    """A renamed construct leaves its lab entry behind, silently; this says which."""
    stale = []
    for lab_name, entries in catalog().labs.items():
        lab = lab_named(lab_name)
        ids = [
            i
            for stage in (sandbox, prod)
            for stack_id in lab.stack_ids
            for i in resources(stage.template_json(stack_id))
        ]
        stale += [f"[labs.{lab_name}] {key}" for key in entries if not any(matches(i, key) for i in ids)]
    assert stale == [], f"entries of {TABLE_NAME} that match no resource any more: rename or remove them"


def rows_by_id(lab: Lab, stage: SynthesizedStage) -> dict[str, explain.Row]:
    template = stage.template_json(lab.stack_id)
    return {row.logical_id: row for row in explain.explain(lab, template, explain.cost_lines(lab, stage.name))}


def test_the_database_is_deleted_in_the_sandbox_and_snapshotted_and_protected_in_prod(
    sandbox: SynthesizedStage, prod: SynthesizedStage
) -> None:
    lab = lab_named("three-tier")
    sandbox_rows, prod_rows = rows_by_id(lab, sandbox), rows_by_id(lab, prod)
    assert sandbox_rows["DatabaseB269D8BB"].on_destroy == "deleted"
    # RDS refuses to delete a protected instance, Snapshot policy or not: the destroy ends in DELETE_FAILED
    # (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html).
    assert prod_rows["DatabaseB269D8BB"].on_destroy == (
        "delete fails while deletion protection is on (stack DELETE_FAILED, still running and billed); "
        "turn protection off and destroy again: a final snapshot is kept"
    )
    assert sandbox_rows["AccessLogBucketDA470295"].on_destroy == "emptied, then deleted"
    assert prod_rows["AccessLogBucketDA470295"].on_destroy == "retained (kept, still billed)"
    assert prod_rows["DatabaseB269D8BB"].explanation.tier == "data"


def test_queue_worker_table_is_retained_with_deletion_protection_in_prod(prod: SynthesizedStage) -> None:
    rows = rows_by_id(lab_named("queue-worker"), prod)
    table = next(row for row in rows.values() if row.logical_id.startswith("ReadingsTable"))
    assert table.on_destroy == "retained (kept, still billed); deletion protection on"
    key = next(row for row in rows.values() if row.resource_type == "AWS::KMS::Key")
    assert key.on_destroy.startswith("scheduled for deletion in ")


def test_costs_come_from_the_lab_cost_model_of_the_stage(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    lab = lab_named("three-tier")
    nat = rows_by_id(lab, sandbox)["VpcPublicSubnet1NatInstance57B636B8"]
    sandbox_lines = explain.cost_lines(lab, "sandbox")
    nat_lines = [line for line in sandbox_lines if line.item.startswith("NAT instance")]
    assert nat_lines
    assert nat.cost == tuple(f"{line.item}: {line.usd:.2f} USD" for line in nat_lines)
    gateways = [row for row in rows_by_id(lab, prod).values() if row.resource_type == "AWS::EC2::NatGateway"]
    assert len(gateways) == 2
    assert all(any(cell.startswith("NAT gateway: ") for cell in row.cost) for row in gateways)
    assert rows_by_id(lab, sandbox)["Vpc8378EB38"].cost == ("free",)


def test_cdk_resources_are_listed_apart_with_why_cdk_adds_them(sandbox: SynthesizedStage, console: Console) -> None:
    lab = lab_named("three-tier")
    rows = rows_by_id(lab, sandbox)
    restrict = next(row for row in rows.values() if row.resource_type == "Custom::VpcRestrictDefaultSG")
    provider_role = rows["CustomVpcRestrictDefaultSGCustomResourceProviderRole26592FE0"]
    assert restrict.explanation.tier == provider_role.explanation.tier == "cdk"
    assert "default security group" in provider_role.explanation.what
    template = sandbox.template_json(lab.stack_id)
    explain.render(console, lab, "sandbox", template, explain.cost_lines(lab, "sandbox"))
    text = printed(console)
    assert text.index("Network (") < text.index("Data (") < text.index("CDK plumbing (")
    assert "Why CDK adds it" in text
    assert "BootstrapVersion" in text


def test_similar_resources_share_one_row(sandbox: SynthesizedStage) -> None:
    lab = lab_named("three-tier")
    template = sandbox.template_json(lab.stack_id)
    groups = explain.grouped(explain.explain(lab, template, explain.cost_lines(lab, "sandbox")))
    subnets = next(ids for ids, row in groups if row.resource_type == "AWS::EC2::Subnet")
    assert len(subnets) == 6
    assert sum(len(ids) for ids, _ in groups) == len(resources(template))


def test_tiers_of_the_table_are_the_ones_explain_prints() -> None:
    assert {explanation.tier for explanation in catalog().types.values()} <= set(TIERS)


def test_main_reads_a_cdk_out_and_prints_the_tables(
    tmp_path: Path, sandbox: SynthesizedStage, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a cdk.out as `make synth` writes it (here: the session's own templates)
    lab = lab_named("queue-worker")
    (tmp_path / f"{lab.stack_id}.template.json").write_text(json.dumps(sandbox.template_json(lab.stack_id)))
    # When the learner explains the lab from it
    assert run(explain.main, ["--lab", lab.name, "--cdk-out", str(tmp_path)]) == 0
    # Then every resource is printed under its tier
    out = capsys.readouterr().out
    assert "Messaging (" in out
    assert "WorkQueue" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lab", ""], "error: no lab given: name one with LAB=<lab> (one of three-tier, queue-worker"),
        (["--lab", "three_tier"], "error: unknown lab 'three_tier': must be one of three-tier"),
        (["--lab", "three-tier", "--stage", "dev"], "error: unknown stage 'dev': must be one of sandbox, prod"),
    ],
)
def test_bad_arguments_are_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(explain.main, argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_a_cdk_out_of_another_stage_is_refused(
    tmp_path: Path, prod: SynthesizedStage, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = lab_named("billing-alarm")
    (tmp_path / f"{lab.stack_id}.template.json").write_text(json.dumps(prod.template_json(lab.stack_id)))
    assert run(explain.main, ["--lab", lab.name, "--cdk-out", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"error: {tmp_path} holds stage prod, not sandbox: run `make synth STAGE=sandbox` "
        "(prod: `make synth-all` writes cdk.out.prod)\n"
    )


def test_an_unexplained_type_is_one_line_naming_the_line_to_add(capsys: pytest.CaptureFixture[str]) -> None:
    lab = lab_named("queue-worker")
    template = {"Resources": {"Thing1234ABCD": {"Type": "AWS::Made::Up", "Properties": {}}}}
    with pytest.raises(Exception, match=r'add under \[types\] "AWS::Made::Up" = \{ tier = '):
        explain.explain(lab, template, [])


# What an explanation may claim only where the template says so. The test reads the
# template its own way (not through scripts/study/facts.py) and checks every row's words.
SERVICES_BY_NAME = {
    "Budgets": "budgets.amazonaws.com",
    "CloudWatch": "cloudwatch.amazonaws.com",
    "EventBridge": "events.amazonaws.com",
    "SNS": "sns.amazonaws.com",
}
POLICY_DOCUMENTS = {
    "AWS::SNS::TopicPolicy": "PolicyDocument",
    "AWS::SQS::QueuePolicy": "PolicyDocument",
    "AWS::KMS::Key": "KeyPolicy",
}
URL_PATH = re.compile(r"(?<![\w/<.])/[A-Za-z{][\w{}+\-/]*")


def allowed_services(document: dict[str, Any]) -> set[str]:
    services: set[str] = set()
    for statement in document.get("Statement", []):
        principal = statement.get("Principal")
        if statement.get("Effect") == "Allow" and isinstance(principal, dict) and "Service" in principal:
            service = principal["Service"]
            services.update([service] if isinstance(service, str) else service)
    return services


def api_paths(template: dict[str, Any]) -> set[str]:
    found = resources(template)

    def path(logical_id: str) -> str:
        props = found[logical_id]["Properties"]
        parent = props["ParentId"]
        above = path(parent["Ref"]) if "Ref" in parent else ""
        return f"{above}/{props['PathPart']}"

    return {"/"} | {path(i) for i, r in found.items() if r["Type"] == "AWS::ApiGateway::Resource"}


def false_claims(row: explain.Row, template: dict[str, Any]) -> list[str]:
    """What the row says that its template contradicts."""
    what, props = row.explanation.what, resources(template)[row.logical_id].get("Properties", {})
    wrong = []
    if row.resource_type.startswith("AWS::RDS::DB"):
        databases = [r for r in resources(template).values() if r["Type"] == "AWS::RDS::DBInstance"]
        multi_az = any(database["Properties"].get("MultiAZ") is True for database in databases)
        if not multi_az and re.search(r"multi-az|standby", what, re.IGNORECASE):
            wrong.append("a standby (Multi-AZ), but MultiAZ is not true")
        if row.resource_type == "AWS::RDS::DBInstance" and multi_az and "Multi-AZ" not in what:
            wrong.append("nothing of its Multi-AZ standby")
    if row.resource_type.startswith("AWS::ApiGateway::"):
        wrong += [f"the path {path}" for path in URL_PATH.findall(what) if path not in api_paths(template)]
    if row.resource_type in POLICY_DOCUMENTS:
        admitted = allowed_services(props.get(POLICY_DOCUMENTS[row.resource_type], {}))
        wrong += [
            f"that {name} may use it"
            for name, service in SERVICES_BY_NAME.items()
            if re.search(rf"\b{name}\b", what) and service not in admitted
        ]
    if row.explanation.cost == "free" and "billed" in row.on_destroy:
        wrong.append(f"that a {row.resource_type} is billed ({row.on_destroy})")
    return wrong


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_no_explanation_claims_what_the_template_does_not_have(lab: Lab, each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(lab.stack_id)
    rows = explain.explain(lab, template, explain.cost_lines(lab, each_stage.name))
    claims = {row.logical_id: wrong for row in rows if (wrong := false_claims(row, template))}
    assert claims == {}, f"{lab.name} ({each_stage.name}): explanations claim what the template lacks"


def test_explanations_read_the_properties_they_depend_on(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    three_tier = lab_named("three-tier")
    assert "Single-AZ (MultiAZ false)" in rows_by_id(three_tier, sandbox)["DatabaseB269D8BB"].explanation.what
    assert "Multi-AZ (MultiAZ true)" in rows_by_id(three_tier, prod)["DatabaseB269D8BB"].explanation.what
    api = {
        row.resource_type + " " + row.logical_id: row for row in rows_by_id(lab_named("serverless-api"), prod).values()
    }
    proxy = next(row for key, row in api.items() if key.startswith("AWS::ApiGateway::Resource"))
    assert "Its path: /{proxy+}" in proxy.explanation.what
    role = next(row for key, row in api.items() if key.startswith("AWS::IAM::Role OrdersApiCloudWatchRole"))
    assert role.on_destroy == "retained (kept; free)"
    billing = rows_by_id(lab_named("billing-alarm"), sandbox)
    policy = next(row for row in billing.values() if row.resource_type == "AWS::SNS::TopicPolicy")
    assert "CloudWatch (cloudwatch.amazonaws.com), Budgets (budgets.amazonaws.com)" in policy.explanation.what
