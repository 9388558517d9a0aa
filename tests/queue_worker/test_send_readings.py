"""scripts/send_readings.py against moto: finds the queue from the stack outputs and sends."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from queue_worker import logic
from scripts.queue_worker import send_readings
from scripts.stack_outputs import run


def received_bodies(session: Any, queue_url: str) -> list[str]:
    sqs = session.client("sqs")
    bodies: list[str] = []
    while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


def test_sends_n_readings_and_k_bad_messages_to_the_stack_s_queue(
    session: Any, deployed: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    # When the producer sends 23 readings (more than one SendMessageBatch) and 3 bad messages
    assert send_readings.main(["--count", "23", "--bad", "3", "--seed", "7"], session=session) == 0
    # Then the stack's queue holds 26 messages: the worker accepts exactly the 23 readings
    bodies = received_bodies(session, deployed["QueueUrl"])
    assert len(bodies) == 26
    valid = []
    for body in bodies:
        with contextlib.suppress(logic.InvalidReadingError):
            valid.append(logic.parse_reading(body))
    assert len(valid) == 23
    assert len({reading.key for reading in valid}) == 23, "sample readings must not collide on the item key"
    assert f"sent 26 message(s) (23 readings, 3 bad) to {deployed['QueueUrl']}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--count", "0"], "error: --count must be between 1 and 1000, not 0"),
        (["--count", "5", "--bad", "6"], "error: --bad must be between 0 and --count (5), not 6"),
        (["--count", "many"], "error: argument --count: invalid int value: 'many'"),
    ],
)
def test_bad_arguments_give_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        send_readings.main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(message)


def test_a_missing_stack_is_one_line_with_what_to_do(session: Any, capsys: pytest.CaptureFixture[str]) -> None:
    # Given no QueueWorker stack in the region
    code = run(lambda argv: send_readings.main(argv, session=session), ["--count", "1"])
    # Then one line says so and how to fix it
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("error: stack QueueWorker not found in us-east-1: deploy it first")
