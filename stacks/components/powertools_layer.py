"""The public Powertools for AWS Lambda (Python) layer, pinned to one release."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_ssm as ssm
from constructs import Construct

# The release the layer must carry: the same as aws-lambda-powertools in
# requirements-dev.txt, so the handler tests run against the code Lambda loads.
POWERTOOLS_VERSION = "3.37.0"


def powertools_parameter_name(runtime: lambda_.Runtime, architecture: lambda_.Architecture) -> str:
    """AWS's public SSM parameter whose value is the layer ARN of one release.

    Powertools publishes one per region, architecture, Python version and release
    (/aws/service/powertools/python/arm64/python3.14/3.37.0), so the pin is the
    package version itself instead of a per-region layer number copied by hand.
    """
    python_version = runtime.name.removeprefix("python")
    return f"/aws/service/powertools/python/{architecture.name}/python{python_version}/{POWERTOOLS_VERSION}"


def powertools_layer(
    scope: Construct, construct_id: str, *, runtime: lambda_.Runtime, architecture: lambda_.Architecture
) -> lambda_.ILayerVersion:
    """The layer, resolved by CloudFormation at deploy time in the stack's region.

    `value_for_string_parameter` becomes an `AWS::SSM::Parameter::Value<String>` template
    parameter: nothing is looked up at synth, and the stack stays environment-agnostic.
    """
    arn = ssm.StringParameter.value_for_string_parameter(scope, powertools_parameter_name(runtime, architecture))
    return lambda_.LayerVersion.from_layer_version_arn(scope, construct_id, arn)
