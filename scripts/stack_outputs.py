"""Shared by the learner scripts: one-line errors and the deployed stack's outputs."""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError, ProfileNotFound

from scripts.aws_session import profile_not_found


class ScriptError(Exception):
    """A problem the learner can fix; main() prints it as one line and exits 1."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad argument prints one line (no usage block) and exits 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see --help)\n")


def stack_outputs(session: Any, stack_name: str) -> dict[str, str]:
    """The outputs of a deployed stack, e.g. {"QueueUrl": "https://sqs...", "TableName": "..."}."""
    cloudformation = session.client("cloudformation")
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as error:
        message = error.response.get("Error", {}).get("Message", str(error))
        if "does not exist" in message:
            raise ScriptError(
                f"stack {stack_name} not found in {session.region_name}: deploy it first "
                f"(npx cdk deploy {stack_name} -c stage=sandbox) or pass --region"
            ) from None
        raise ScriptError(f"cannot read stack {stack_name}: {message}") from None
    return {output["OutputKey"]: output["OutputValue"] for output in stacks[0].get("Outputs", [])}


def require_output(outputs: dict[str, str], key: str, stack_name: str) -> str:
    if key not in outputs:
        raise ScriptError(f"stack {stack_name} has no output {key}: is it the queue-worker lab's stack?")
    return outputs[key]


def run(main: Any, argv: list[str] | None) -> int:
    """Calls main(argv); AWS and ScriptError problems become one line on stderr and exit code 1."""
    try:
        result: int = main(argv)
    except ScriptError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ProfileNotFound:
        print(f"error: {profile_not_found()}", file=sys.stderr)
        return 1
    except (NoCredentialsError, NoRegionError) as error:
        print(f"error: {error} (configure the AWS CLI, or set AWS_PROFILE / AWS_REGION)", file=sys.stderr)
        return 1
    except (BotoCoreError, ClientError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return result
