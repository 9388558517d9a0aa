"""make compare: what prod adds or changes against the sandbox, from the two templates."""

from __future__ import annotations

import copy

import pytest
from rich.console import Console

from scripts.stack_outputs import run
from scripts.study import compare
from stacks.labs import lab_named
from tests.harness import SynthesizedStage
from tests.study.conftest import printed


def three_tier(sandbox: SynthesizedStage, prod: SynthesizedStage) -> compare.Comparison:
    lab = lab_named("three-tier")
    return compare.compare(lab, "sandbox", "prod", sandbox.template_json("ThreeTier"), prod.template_json("ThreeTier"))


def test_prod_trades_the_nat_instance_for_a_nat_gateway_per_az(
    sandbox: SynthesizedStage, prod: SynthesizedStage
) -> None:
    counts = {(name, kind): (old, new) for name, kind, old, new in three_tier(sandbox, prod).counts}
    assert counts[("NAT instance", "AWS::EC2::Instance")] == (1, 0)
    assert counts[("NAT gateway", "AWS::EC2::NatGateway")] == (0, 2)
    assert counts[("Elastic IP", "AWS::EC2::EIP")] == (0, 2)
    assert counts[("scheduled action", "AWS::AutoScaling::ScheduledAction")] == (0, 2)


def test_prod_database_is_multi_az_protected_and_snapshotted(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    changes = three_tier(sandbox, prod).changed["DatabaseB269D8BB"]
    # DeletionPolicy Snapshot with deletion protection: RDS refuses the delete, so the destroy fails and no
    # snapshot is taken (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html).
    assert changes[0] == (
        "on cdk destroy: deleted -> delete fails while deletion protection is on (stack DELETE_FAILED, still "
        "running and billed); turn protection off and destroy again: a final snapshot is kept"
    )
    assert "Multi-AZ on (MultiAZ: false -> true)" in changes
    assert "deletion protection on (DeletionProtection: false -> true)" in changes
    assert not [change for change in changes if "Tags" in change]


def test_routes_name_the_nat_they_use(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    changed = three_tier(sandbox, prod).changed
    route = next(
        words for logical_id, words in changed.items() if logical_id.startswith("VpcPrivateAppSubnet1DefaultRoute")
    )
    assert route == [
        "InstanceId: VpcPublicSubnet1NatInstance57B636B8 -> (none)",
        "NatGatewayId: (none) -> VpcPublicSubnet1NATGateway4D7517AA",
    ]


def test_queue_worker_prod_retains_the_table(
    sandbox: SynthesizedStage, prod: SynthesizedStage, console: Console
) -> None:
    lab = lab_named("queue-worker")
    result = compare.compare(
        lab, "sandbox", "prod", sandbox.template_json("QueueWorker"), prod.template_json("QueueWorker")
    )
    table = next(words for logical_id, words in result.changed.items() if logical_id.startswith("ReadingsTable"))
    assert table[0] == "on cdk destroy: deleted -> retained (kept, still billed); deletion protection on"
    compare.render(console, result)
    assert "queue-worker: what prod adds or changes against sandbox" in printed(console)


def test_the_same_template_twice_has_no_differences(sandbox: SynthesizedStage, console: Console) -> None:
    lab = lab_named("billing-alarm")
    template = sandbox.template_json("BillingAlarm")
    result = compare.compare(lab, "sandbox", "sandbox", template, copy.deepcopy(template))
    assert (result.counts, result.only_base, result.only_other, result.changed) == ([], [], [], {})
    compare.render(console, result)
    assert "hold the same resources with the same properties" in printed(console)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lab", "nope"], "error: unknown lab 'nope': must be one of"),
        (["--lab", "three-tier", "--other", "qa"], "error: unknown stage 'qa': must be one of sandbox, prod"),
    ],
)
def test_bad_arguments_are_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(compare.main, argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_the_retained_logging_role_of_prod_is_kept_for_free(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    # IAM roles cost nothing: kept after a destroy, still nothing to pay
    lab = lab_named("serverless-api")
    result = compare.compare(
        lab, "sandbox", "prod", sandbox.template_json("ServerlessApi"), prod.template_json("ServerlessApi")
    )
    role = next(
        words for logical_id, words in result.changed.items() if logical_id.startswith("OrdersApiCloudWatchRole")
    )
    assert role[0] == "on cdk destroy: deleted -> retained (kept; free)"
