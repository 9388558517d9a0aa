"""Billing alarm lab (guide 002 'Set up billing alarm'): what the template must say."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match

from stacks.billing_alarm.config import BillingAlarmConfig
from tests.harness import SynthesizedStage, resources_of_type

STACK = "BillingAlarm"


def test_stack_is_pinned_to_us_east_1_in_every_stage(each_stage: SynthesizedStage) -> None:
    assert each_stage.stacks[STACK].region == "us-east-1"


def test_alarm_watches_estimated_charges_as_the_guide_does(each_stage: SynthesizedStage) -> None:
    thresholds = each_stage.config.section(BillingAlarmConfig).alarm_thresholds_usd
    alarms = resources_of_type(each_stage.template_json(STACK), "AWS::CloudWatch::Alarm")
    assert sorted(alarm["Properties"]["Threshold"] for alarm in alarms.values()) == sorted(thresholds)
    topic_ref = {"Ref": _topic_logical_id(each_stage)}
    for alarm in alarms.values():
        properties = alarm["Properties"]
        assert properties["Namespace"] == "AWS/Billing"
        assert properties["MetricName"] == "EstimatedCharges"
        assert properties["Dimensions"] == [{"Name": "Currency", "Value": "USD"}]
        assert properties["Statistic"] == "Maximum"
        assert properties["Period"] == 6 * 3600
        assert properties["ComparisonOperator"] == "GreaterThanThreshold"
        assert properties["EvaluationPeriods"] == 1
        assert properties["TreatMissingData"] == "notBreaching"
        assert properties["AlarmActions"] == [topic_ref]


def test_sandbox_alarm_uses_the_guides_10_usd(sandbox: SynthesizedStage) -> None:
    sandbox.template(STACK).has_resource_properties(
        "AWS::CloudWatch::Alarm", {"MetricName": "EstimatedCharges", "Threshold": 10}
    )


def test_topic_is_tls_only_and_encrypted_with_a_key_cloudwatch_can_use(each_stage: SynthesizedStage) -> None:
    template = each_stage.template(STACK)
    template.has_resource_properties(
        "AWS::SNS::Topic", {"KmsMasterKeyId": Match.object_like({"Fn::GetAtt": Match.array_with(["Arn"])})}
    )
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Action": "sns:Publish",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            }
        },
    )
    for service in ("cloudwatch.amazonaws.com", "budgets.amazonaws.com"):
        template.has_resource_properties(
            "AWS::KMS::Key",
            {
                "EnableKeyRotation": True,
                "KeyPolicy": {
                    "Statement": Match.array_with(
                        [
                            Match.object_like(
                                {
                                    "Effect": "Allow",
                                    "Principal": {"Service": service},
                                    "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                                }
                            )
                        ]
                    )
                },
            },
        )
        template.has_resource_properties(
            "AWS::SNS::TopicPolicy",
            {
                "PolicyDocument": {
                    "Statement": Match.array_with(
                        [
                            Match.object_like(
                                {
                                    "Effect": "Allow",
                                    "Principal": {"Service": service},
                                    "Action": "sns:Publish",
                                    "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
                                }
                            )
                        ]
                    )
                }
            },
        )


def test_monthly_budget_notifies_on_actual_and_forecast(each_stage: SynthesizedStage) -> None:
    budgets = resources_of_type(each_stage.template_json(STACK), "AWS::Budgets::Budget")
    assert len(budgets) == 1
    (budget,) = budgets.values()
    data = budget["Properties"]["Budget"]
    assert data["BudgetType"] == "COST"
    assert data["TimeUnit"] == "MONTHLY"
    assert data["BudgetLimit"] == {
        "Amount": each_stage.config.section(BillingAlarmConfig).monthly_budget_usd,
        "Unit": "USD",
    }
    notifications = budget["Properties"]["NotificationsWithSubscribers"]
    kinds = {entry["Notification"]["NotificationType"] for entry in notifications}
    assert kinds == {"ACTUAL", "FORECASTED"}
    topic_ref = {"Ref": _topic_logical_id(each_stage)}
    for entry in notifications:
        assert entry["Subscribers"] == [{"SubscriptionType": "SNS", "Address": topic_ref}]


def test_the_only_output_is_the_topic_arn(each_stage: SynthesizedStage) -> None:
    outputs = each_stage.template_json(STACK)["Outputs"]
    assert [name for name in outputs if name != "BootstrapVersion"] == ["AlertTopicArn"]
    assert outputs["AlertTopicArn"]["Value"] == {"Ref": _topic_logical_id(each_stage)}


def test_the_budget_waits_for_the_topic_and_key_policies(each_stage: SynthesizedStage) -> None:
    """Budgets checks at creation that it may publish: both policies must exist first."""
    template = each_stage.template_json(STACK)
    (key_id,) = resources_of_type(template, "AWS::KMS::Key")
    (policy_id,) = resources_of_type(template, "AWS::SNS::TopicPolicy")
    (budget,) = resources_of_type(template, "AWS::Budgets::Budget").values()
    assert {key_id, policy_id} <= set(budget["DependsOn"])


@pytest.mark.parametrize("stage_name", ["sandbox", "prod"])
def test_destroy_leaves_nothing_behind(stage_name: str, every_stage: list[SynthesizedStage]) -> None:
    """Nothing here holds data: every resource goes with the stack, the key after 7 days."""
    stage = {s.name: s for s in every_stage}[stage_name]
    resources = stage.template_json(STACK)["Resources"]
    retained = [lid for lid, r in resources.items() if r.get("DeletionPolicy") not in (None, "Delete")]
    assert retained == []
    (key,) = resources_of_type(stage.template_json(STACK), "AWS::KMS::Key").values()
    assert key["Properties"]["PendingWindowInDays"] == 7


def _topic_logical_id(stage: SynthesizedStage) -> str:
    (logical_id,) = resources_of_type(stage.template_json(STACK), "AWS::SNS::Topic")
    return logical_id
