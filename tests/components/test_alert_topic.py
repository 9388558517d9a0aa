"""The shared alert topic, as every lab with alarms deploys it with an e-mail configured."""

from __future__ import annotations

from typing import Any

from tests.harness import SynthesizedStage, resources_of_type

# Every lab whose alert topic takes an e-mail from its config.
STACKS_WITH_EMAIL = ("QueueWorker", "BillingAlarm")


def only(resources: dict[str, dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    assert len(resources) == 1, sorted(resources)
    return next(iter(resources.items()))


def test_an_undeliverable_alert_is_kept_in_the_subscriptions_dead_letter_queue(all_options: SynthesizedStage) -> None:
    for stack_id in STACKS_WITH_EMAIL:
        template = all_options.template_json(stack_id)
        _, subscription = only(resources_of_type(template, "AWS::SNS::Subscription"))
        queue_id, queue = only(
            {
                logical_id: q
                for logical_id, q in resources_of_type(template, "AWS::SQS::Queue").items()
                if "DeliveryFailures" in logical_id
            }
        )
        assert subscription["Properties"]["Protocol"] == "email"
        assert subscription["Properties"]["RedrivePolicy"] == {"deadLetterTargetArn": {"Fn::GetAtt": [queue_id, "Arn"]}}
        assert queue["Properties"]["SqsManagedSseEnabled"] is True
        assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600


def test_only_the_topic_may_send_to_the_dead_letter_queue(all_options: SynthesizedStage) -> None:
    for stack_id in STACKS_WITH_EMAIL:
        template = all_options.template_json(stack_id)
        topic_id, _ = only(resources_of_type(template, "AWS::SNS::Topic"))
        statements = [
            statement
            for policy in resources_of_type(template, "AWS::SQS::QueuePolicy").values()
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
            if statement["Effect"] == "Allow"
        ]
        (allow,) = statements
        assert allow["Principal"] == {"Service": "sns.amazonaws.com"}
        assert allow["Action"] == "sqs:SendMessage"
        assert allow["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Ref": topic_id}}}


def test_without_an_e_mail_there_is_no_subscription_and_no_queue(sandbox: SynthesizedStage) -> None:
    template = sandbox.template_json("BillingAlarm")
    assert resources_of_type(template, "AWS::SNS::Subscription") == {}
    assert resources_of_type(template, "AWS::SQS::Queue") == {}
