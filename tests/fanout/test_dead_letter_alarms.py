"""What the fanout's dead-letter alarms tell the reader to do, per kind of dead-letter queue."""

from __future__ import annotations

from tests.harness import SynthesizedStage, bare_rule_id, resources_of_type
from tests.test_gates import acknowledgments

STACK = "Fanout"


def alarm_descriptions(stage: SynthesizedStage, kind: str) -> list[str]:
    alarms = resources_of_type(stage.template_json(STACK), "AWS::CloudWatch::Alarm")
    found = [a["Properties"]["AlarmDescription"] for i, a in alarms.items() if f"{kind}Alarm" in i]
    assert found, f"no {kind} alarms"
    return found


def test_the_subscription_dead_letter_alarm_says_to_publish_again_not_to_redrive(each_stage: SynthesizedStage) -> None:
    # SQS redrive (StartMessageMoveTask) does not move messages out of a queue an SNS subscription
    # feeds: only out of dead-letter queues of other SQS queues (SQS API Reference).
    delivery = alarm_descriptions(each_stage, "DeliveryDeadLetter")
    assert len(delivery) == 3  # one per route
    for description in delivery:
        assert "publish each event to the topic again" in description
        assert "then redrive" not in description


def test_the_consumer_dead_letter_alarm_says_to_redrive(each_stage: SynthesizedStage) -> None:
    consumer = [d for d in alarm_descriptions(each_stage, "DeadLetter") if "consumer failed" in d]
    assert len(consumer) == 3
    assert all("redrive them to the queue" in d for d in consumer)


def test_the_subscription_dead_letter_queues_acknowledgment_does_not_promise_a_redrive(
    each_stage: SynthesizedStage,
) -> None:
    reasons = [
        reason
        for path, rule_id, reason in acknowledgments(each_stage)
        if path.endswith("/DeliveryDeadLetterQueue") and bare_rule_id(rule_id) == "Serverless-SQSRedrivePolicy"
    ]
    assert len(reasons) == 3
    for reason in reasons:
        assert "published to the topic again" in reason
        assert "redriven" not in reason
