"""Fanout lab: LABS.md §6 and issue 12, one assertion per property, in both stages."""

from __future__ import annotations

import copy
import subprocess
import sys
from typing import Any

import pytest

from stacks.config import REPO_ROOT, ConfigError, load_stage_config
from stacks.fanout.config import FanoutConfig
from stacks.fanout.filters import ROUTES, TOPIC_OUTPUT, Route
from stacks.fanout.subscribed_queue import filter_arguments
from tests.harness import SynthesizedStage, resources_of_type, stage_context

STACK = "Fanout"
FOURTEEN_DAYS_S = 14 * 24 * 3600


def prefix(route: Route) -> str:
    return route.queue.capitalize()


def logical_id(template: dict[str, Any], resource_type: str, starts_with: str) -> str:
    (found,) = [i for i in resources_of_type(template, resource_type) if i.startswith(starts_with)]
    return found


def queue_ids(template: dict[str, Any], route: Route) -> tuple[str, str, str]:
    """(queue, its dead-letter queue, the subscription's dead-letter queue) logical ids."""
    name = prefix(route)
    return (
        logical_id(template, "AWS::SQS::Queue", f"{name}Queue"),
        logical_id(template, "AWS::SQS::Queue", f"{name}DeadLetterQueue"),
        logical_id(template, "AWS::SQS::Queue", f"{name}DeliveryDeadLetterQueue"),
    )


def subscription(template: dict[str, Any], route: Route) -> dict[str, Any]:
    queue_id, _, _ = queue_ids(template, route)
    (found,) = [
        s["Properties"]
        for s in resources_of_type(template, "AWS::SNS::Subscription").values()
        if s["Properties"]["Endpoint"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    ]
    return found


def topic_id(template: dict[str, Any]) -> str:
    return logical_id(template, "AWS::SNS::Topic", "OrderEvents")


def test_the_topic_is_encrypted_and_tls_only(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    topic = template["Resources"][topic_id(template)]["Properties"]
    # The AWS-managed key for SNS: no key fee, and only this account's principals publish
    assert topic["KmsMasterKeyId"]["Fn::Join"][1][-1] == ":alias/aws/sns"
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources_of_type(template, "AWS::SNS::TopicPolicy").values()
        if p["Properties"]["Topics"] == [{"Ref": topic_id(template)}]
    ]
    assert policy == [
        {
            "Action": "sns:Publish",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            "Effect": "Deny",
            "Principal": "*",
            "Resource": {"Ref": topic_id(template)},
            "Sid": "AllowPublishThroughSSLOnly",
        }
    ]


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.queue)
def test_each_subscription_has_the_route_s_filter_scope_and_delivery(
    each_variant: SynthesizedStage, route: Route
) -> None:
    # The template holds exactly the policies of stacks/fanout/filters.py, which the moto tests
    # prove SNS applies as LABS.md §6 says
    template = each_variant.template_json(STACK)
    found = subscription(template, route)
    assert found["TopicArn"] == {"Ref": topic_id(template)}
    assert found["Protocol"] == "sqs"
    assert found["RawMessageDelivery"] is route.raw_message_delivery
    assert found.get("FilterPolicy") == route.filter_policy
    assert found.get("FilterPolicyScope", "MessageAttributes") == route.scope


def test_the_routes_are_the_ones_the_lab_describes(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    by_queue = {route.queue: subscription(template, route) for route in ROUTES}
    assert "FilterPolicy" not in by_queue["billing"]
    assert by_queue["shipping"]["FilterPolicy"] == {"event_type": ["order_paid"]}
    assert by_queue["analytics"]["FilterPolicy"] == {"amount": [{"numeric": [">=", 100]}]}
    assert by_queue["analytics"]["FilterPolicyScope"] == "MessageBody"
    assert by_queue["analytics"]["RawMessageDelivery"] is True


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.queue)
def test_each_subscription_keeps_undeliverable_events_in_its_own_dead_letter_queue(
    each_variant: SynthesizedStage, route: Route
) -> None:
    template = each_variant.template_json(STACK)
    queue_id, dead_letters_id, delivery_id = queue_ids(template, route)
    assert subscription(template, route)["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [delivery_id, "Arn"]}
    }
    assert delivery_id not in (queue_id, dead_letters_id)
    assert template["Resources"][delivery_id]["Properties"]["MessageRetentionPeriod"] == FOURTEEN_DAYS_S


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.queue)
def test_each_queue_has_a_dead_letter_queue_after_the_configured_receives(
    each_variant: SynthesizedStage, route: Route
) -> None:
    template = each_variant.template_json(STACK)
    settings = each_variant.config.section(FanoutConfig)
    queue_id, dead_letters_id, _ = queue_ids(template, route)
    queue = template["Resources"][queue_id]["Properties"]
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dead_letters_id, "Arn"]},
        "maxReceiveCount": settings.max_receive_count,
    }
    assert queue["MessageRetentionPeriod"] == settings.queue_retention_days * 24 * 3600
    assert queue["ReceiveMessageWaitTimeSeconds"] == 20
    assert template["Resources"][dead_letters_id]["Properties"]["MessageRetentionPeriod"] == FOURTEEN_DAYS_S


def test_every_queue_is_encrypted_at_rest(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    queues = resources_of_type(template, "AWS::SQS::Queue")
    assert {i for route in ROUTES for i in queue_ids(template, route)} <= set(queues)
    assert {i: q["Properties"].get("SqsManagedSseEnabled") for i, q in queues.items()} == dict.fromkeys(queues, True)


def queue_policy(template: dict[str, Any], queue_id: str) -> list[dict[str, Any]]:
    (statements,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources_of_type(template, "AWS::SQS::QueuePolicy").values()
        if p["Properties"]["Queues"] == [{"Ref": queue_id}]
    ]
    return list(statements)


def test_every_queue_refuses_requests_without_tls(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    for queue_id in resources_of_type(template, "AWS::SQS::Queue"):
        denies = [s for s in queue_policy(template, queue_id) if s["Effect"] == "Deny"]
        assert denies == [
            {
                "Action": "sqs:*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Resource": {"Fn::GetAtt": [queue_id, "Arn"]},
            }
        ]


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.queue)
def test_queue_policies_let_in_only_this_topic(each_variant: SynthesizedStage, route: Route) -> None:
    template = each_variant.template_json(STACK)
    queue_id, dead_letters_id, delivery_id = queue_ids(template, route)
    for receiver in (queue_id, delivery_id):
        allows = [s for s in queue_policy(template, receiver) if s["Effect"] == "Allow"]
        assert allows == [
            {
                "Action": "sqs:SendMessage",
                "Condition": {"ArnEquals": {"aws:SourceArn": {"Ref": topic_id(template)}}},
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Resource": {"Fn::GetAtt": [receiver, "Arn"]},
            }
        ]
    # The consumer's dead-letter queue is filled by SQS itself: nobody else is let in
    assert [s for s in queue_policy(template, dead_letters_id) if s["Effect"] == "Allow"] == []


def test_every_dead_letter_queue_alarms_to_the_encrypted_alert_topic(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    alerts_id = logical_id(template, "AWS::SNS::Topic", "Alerts")
    assert "KmsMasterKeyId" in template["Resources"][alerts_id]["Properties"]
    watched = []
    for alarm in resources_of_type(template, "AWS::CloudWatch::Alarm").values():
        properties = alarm["Properties"]
        assert properties["MetricName"] == "ApproximateNumberOfMessagesVisible"
        assert properties["Threshold"] == 0
        assert properties["ComparisonOperator"] == "GreaterThanThreshold"
        assert properties["TreatMissingData"] == "notBreaching"
        assert properties["AlarmActions"] == [{"Ref": alerts_id}]
        (dimension,) = properties["Dimensions"]
        watched.append(dimension["Value"]["Fn::GetAtt"][0])
    dead_letter_queues = [i for route in ROUTES for i in queue_ids(template, route)[1:]]
    assert sorted(watched) == sorted(dead_letter_queues)


def test_outputs_are_the_ones_the_scripts_read(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    outputs = template["Outputs"]
    assert outputs[TOPIC_OUTPUT]["Value"] == {"Ref": topic_id(template)}
    for route in ROUTES:
        queue_id, _, _ = queue_ids(template, route)
        assert outputs[route.output]["Value"] == {"Ref": queue_id}


def test_stack_is_environment_agnostic(each_variant: SynthesizedStage) -> None:
    assert each_variant.stacks[STACK].environment == "aws://unknown-account/unknown-region"


def test_a_filter_the_stack_cannot_build_is_refused_at_synth() -> None:
    from dataclasses import replace

    from stacks.fanout.filters import UnsupportedFilterError, route_named

    route = replace(route_named("shipping"), filter_policy={"event_type": [{"prefix": "order_"}]})
    with pytest.raises(UnsupportedFilterError, match=r"filter on 'event_type'"):
        filter_arguments(route)


def test_the_learner_scripts_do_not_start_the_cdk() -> None:
    # filters.py lives in the stack package but imports no CDK: the scripts stay fast and need no Node
    code = (
        "import sys, scripts.fanout.publish_events, scripts.fanout.read_queues, scripts.fanout.verify; "
        "print(sorted(m for m in sys.modules if m.startswith(('aws_cdk', 'jsii', 'constructs'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- Configuration errors ------------------------------------------------------------------------
def sandbox_context_with(**fanout: Any) -> dict[str, Any]:
    context = copy.deepcopy(stage_context("sandbox"))
    context["stages"]["sandbox"]["fanout"].update(fanout)
    return context


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"queue_retention_days": 15}, "stages.sandbox.fanout.queue_retention_days = 15: must be between 1 and 14"),
        ({"max_receive_count": 0}, "stages.sandbox.fanout.max_receive_count = 0: must be between 1 and 10"),
        ({"max_receive_count": "3"}, 'stages.sandbox.fanout.max_receive_count = "3": must be a whole number'),
        ({"alarm_email": "ops"}, 'stages.sandbox.fanout.alarm_email = "ops": must be an e-mail address'),
        ({"analytics_min_amount": 50}, "stages.sandbox.fanout.analytics_min_amount = 50: unknown key"),
    ],
)
def test_bad_configuration_stops_with_one_line(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_stage_config(sandbox_context_with(**change))
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"invalid configuration: {message}"), text
