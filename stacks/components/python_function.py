"""A lab's Python Lambda function with its own log group and role, as every lab builds it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from stacks.components.function_code import package_code
from stacks.components.powertools_layer import powertools_layer

# Every lab function's runtime and architecture, and what the layers are built for (the
# Powertools parameter name, the Pillow and pymysql layers' compatible runtimes).
RUNTIME = lambda_.Runtime.PYTHON_3_14
ARCHITECTURE = lambda_.Architecture.ARM_64


@dataclass(frozen=True)
class PythonFunction:
    """What `python_function` created: the function, its role and its log group."""

    function: lambda_.Function
    role: iam.Role
    log_group: logs.LogGroup


def python_function(
    scope: Construct,
    *,
    log_group_id: str,
    role_id: str,
    function_id: str,
    package: str,
    handler: str,
    role_description: str,
    log_retention: logs.RetentionDays,
    timeout: cdk.Duration,
    memory_size: int,
    environment: Mapping[str, str],
    description: str | None = None,
    statements: Sequence[iam.PolicyStatement] = (),
    layers: Sequence[lambda_.ILayerVersion] = (),
    dead_letter_topic: sns.ITopic | None = None,
    vpc: ec2.IVpc | None = None,
    vpc_subnets: ec2.SubnetSelection | None = None,
    security_groups: Sequence[ec2.ISecurityGroup] | None = None,
    tracing: lambda_.Tracing = lambda_.Tracing.ACTIVE,
) -> PythonFunction:
    """A Python function running `handler` from `lambda_src/<package>/`, with secure defaults.

    Defaults:
    - the runtime and architecture pinned above (RUNTIME, ARCHITECTURE), and the public
      Powertools layer of the pinned release, after the lab's own `layers`;
    - its own log group with `log_retention`, deleted with the stack;
    - its own role, assumed by Lambda only, with no managed policy: it may write that one
      log group, X-Ray (with active tracing), its `dead_letter_topic`, and what
      `statements` and the caller's later grants allow, nothing wider;
    - active X-Ray tracing (`tracing` opts out, for a function that cannot reach X-Ray).

    Every construct is created directly in `scope` under the ids given (the Powertools layer
    as "PowertoolsLayer", hence one function per scope), so the labs' construct paths and
    logical IDs are what they were before this helper existed: a wrapping Construct would add
    a level to every path and change every logical ID, which CloudFormation deploys as
    replacements.
    """
    # Lambda's default log group, /aws/lambda/<function name>, is created by Lambda on first
    # use and outlives the stack with no retention; this one has both.
    log_group = logs.LogGroup(scope, log_group_id, retention=log_retention, removal_policy=cdk.RemovalPolicy.DESTROY)
    # No managed policy: CDK's default, AWSLambdaBasicExecutionRole, may write every log group.
    role = iam.Role(
        scope, role_id, assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"), description=role_description
    )
    # Before the function: the statements then come first in the role's policy, ahead of those
    # the function adds (dead-letter topic, X-Ray), which is the order the templates have.
    for statement in statements:
        role.add_to_policy(statement)
    function = lambda_.Function(
        scope,
        function_id,
        description=description,
        runtime=RUNTIME,
        architecture=ARCHITECTURE,
        handler=handler,
        code=package_code(package),
        layers=[*layers, powertools_layer(scope, "PowertoolsLayer", runtime=RUNTIME, architecture=ARCHITECTURE)],
        role=role,
        log_group=log_group,
        vpc=vpc,
        vpc_subnets=vpc_subnets,
        security_groups=None if security_groups is None else list(security_groups),
        timeout=timeout,
        memory_size=memory_size,
        tracing=tracing,
        dead_letter_topic=dead_letter_topic,
        environment=dict(environment),
    )
    # Given a role, CDK grants it no logging at all: Lambda writes the logs as this role, so it
    # may write this one log group (CreateLogStream, PutLogEvents).
    log_group.grant_write(role)
    return PythonFunction(function=function, role=role, log_group=log_group)
