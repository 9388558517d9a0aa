"""The shared alert topic in every lab that has one: with an e-mail (the all-options variants)
and without (both stages as shipped, where the synth's one line says that their alarms reach nobody)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from stacks.components.alert_topic import AlertTopic, alarm_email_note, labs_without_alarm_email
from stacks.labs import LABS, Lab
from tests.harness import SynthesizedStage, resources_of_type

# Every lab whose configuration has an alarm e-mail: the registry says which, not a list here.
LABS_WITH_EMAIL = tuple(lab for lab in LABS if "alarm_email" in lab.config_type().model_fields)


def test_the_labs_with_alarms_are_found() -> None:
    assert {"queue-worker", "billing-alarm", "security-baseline"} <= {lab.name for lab in LABS_WITH_EMAIL}


def alert_topics(stack: cdk.Stack) -> list[AlertTopic]:
    return [construct for construct in stack.node.find_all() if isinstance(construct, AlertTopic)]


def the_alert_topic(stage: SynthesizedStage, lab: Lab) -> tuple[cdk.Stack, AlertTopic]:
    stack = stage.stacks[lab.stack_id]
    (alerts,) = alert_topics(stack)
    return stack, alerts


def logical_id(stack: cdk.Stack, construct: Any) -> str:
    return stack.get_logical_id(construct.node.default_child)


def subscribed(stage: SynthesizedStage, lab: Lab) -> tuple[dict[str, Any], str, str]:
    """The template, and the logical ids of the topic and its subscription's dead-letter queue."""
    stack, alerts = the_alert_topic(stage, lab)
    assert alerts.delivery_failures is not None, "an e-mail is configured: the subscription has its queue"
    return (
        stage.template_json(lab.stack_id),
        logical_id(stack, alerts.topic),
        logical_id(stack, alerts.delivery_failures),
    )


@pytest.mark.parametrize("lab", LABS_WITH_EMAIL, ids=lambda lab: lab.name)
def test_each_lab_with_an_alarm_e_mail_has_one_alert_topic(lab: Lab, sandbox: SynthesizedStage) -> None:
    assert len(alert_topics(sandbox.stacks[lab.stack_id])) == 1


@pytest.mark.parametrize("lab", LABS_WITH_EMAIL, ids=lambda lab: lab.name)
def test_an_undeliverable_alert_is_kept_in_the_subscriptions_dead_letter_queue(
    lab: Lab, all_options: SynthesizedStage
) -> None:
    template, topic_id, queue_id = subscribed(all_options, lab)
    (subscription,) = [
        resource
        for resource in resources_of_type(template, "AWS::SNS::Subscription").values()
        if resource["Properties"]["TopicArn"] == {"Ref": topic_id}
    ]
    queue = template["Resources"][queue_id]
    assert subscription["Properties"]["Protocol"] == "email"
    assert subscription["Properties"]["Endpoint"] == all_options.config.sections[lab.package].alarm_email  # type: ignore[attr-defined]
    assert subscription["Properties"]["RedrivePolicy"] == {"deadLetterTargetArn": {"Fn::GetAtt": [queue_id, "Arn"]}}
    assert queue["Properties"]["SqsManagedSseEnabled"] is True
    assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600


@pytest.mark.parametrize("lab", LABS_WITH_EMAIL, ids=lambda lab: lab.name)
def test_only_the_topic_may_send_to_the_dead_letter_queue(lab: Lab, all_options: SynthesizedStage) -> None:
    template, topic_id, queue_id = subscribed(all_options, lab)
    (policy,) = [
        resource
        for resource in resources_of_type(template, "AWS::SQS::QueuePolicy").values()
        if resource["Properties"]["Queues"] == [{"Ref": queue_id}]
    ]
    (allow,) = [
        statement for statement in policy["Properties"]["PolicyDocument"]["Statement"] if statement["Effect"] == "Allow"
    ]
    assert allow["Principal"] == {"Service": "sns.amazonaws.com"}
    assert allow["Action"] == "sqs:SendMessage"
    assert allow["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Ref": topic_id}}}


@pytest.mark.parametrize("lab", LABS_WITH_EMAIL, ids=lambda lab: lab.name)
def test_without_an_e_mail_there_is_no_subscription_and_no_warning_of_its_own(
    lab: Lab, each_stage: SynthesizedStage
) -> None:
    assert each_stage.config.sections[lab.package].alarm_email is None  # type: ignore[attr-defined]
    stack, alerts = the_alert_topic(each_stage, lab)
    assert alerts.delivery_failures is None
    topic_id = logical_id(stack, alerts.topic)
    subscriptions = resources_of_type(each_stage.template_json(lab.stack_id), "AWS::SNS::Subscription")
    assert [s for s in subscriptions.values() if s["Properties"]["TopicArn"] == {"Ref": topic_id}] == []
    # The synth's one line names the lab (app.py prints alarm_email_note), not a warning per topic
    assert not [m for messages in each_stage.warnings(lab.stack_id).values() for m in messages if "alarm_email" in m]
    assert lab.package in labs_without_alarm_email(each_stage.config)


def test_one_short_line_names_every_lab_without_an_e_mail_and_the_key_to_set(each_stage: SynthesizedStage) -> None:
    names = ", ".join(lab.package for lab in LABS_WITH_EMAIL)
    assert alarm_email_note(each_stage.config) == (
        f"note: no alarm_email in stage {each_stage.name} for {names}: their alarms reach nobody "
        f"until you set stages.{each_stage.name}.<section>.alarm_email in cdk.json"
    )


def test_with_every_e_mail_set_there_is_no_line(all_options: SynthesizedStage) -> None:
    assert labs_without_alarm_email(all_options.config) == []
    assert alarm_email_note(all_options.config) is None


@pytest.mark.parametrize("lab", LABS_WITH_EMAIL, ids=lambda lab: lab.name)
def test_with_an_e_mail_synth_does_not_warn(lab: Lab, all_options: SynthesizedStage) -> None:
    warnings = all_options.warnings(lab.stack_id)
    assert [message for messages in warnings.values() for message in messages if "alarm_email" in message] == []
