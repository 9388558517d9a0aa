"""The app tier: web servers in an Auto Scaling group in the private-app subnets."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.three_tier.boot_scripts import WEB_SERVER_COMMANDS
from stacks.three_tier.config import ROOT_VOLUME_GIB, ThreeTierConfig
from stacks.three_tier.network import PRIVATE_APP, amazon_linux_2023

# The guide's scheduled scaling (002 "Scheduled Scaling"): up at 08:00 and down at 20:00
# India Standard Time, Monday to Friday. Change the time zone to your own.
SCHEDULE_TIME_ZONE = "Asia/Kolkata"

# How long a new web server may take to install, serve its page and signal (boot_scripts.py).
SERVER_READY_TIMEOUT = cdk.Duration.minutes(15)


class AppTier:
    """Launch template + Auto Scaling group of web servers.

    Current AL2023, IMDSv2 only, encrypted gp3 root, a role with Session Manager only,
    user data serving a page that names the instance and signalling CloudFormation when
    it does; ELB health checks, CPU target tracking (the guide's 50 %), rolling updates
    that keep the minimum in service and, when configured, the guide's weekday schedule.
    A building block of ThreeTierStack that adds its resources to `scope` itself
    (see network.Network).
    """

    def __init__(
        self, scope: Construct, *, config: ThreeTierConfig, vpc: ec2.IVpc, security_group: ec2.ISecurityGroup
    ) -> None:
        instance_type = ec2.InstanceType(config.instance_type)
        # Session Manager instead of SSH and a bastion: no open port 22, no key pairs to
        # leak or rotate, IAM decides who may connect, and CloudTrail records each session.
        role = iam.Role(
            scope,
            "WebServerRole",
            assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            description="Web servers: Session Manager access only",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSSMManagedInstanceCore")],
        )
        acknowledge(
            role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]",
            "AmazonSSMManagedInstanceCore is AWS's maintained minimum for Session Manager, the "
            "lab's replacement for SSH; a hand-copied policy would drift from the agent's needs.",
        )
        user_data = ec2.UserData.for_linux()
        user_data.add_commands(*WEB_SERVER_COMMANDS)  # retries, serves, then signals (boot_scripts.py)
        launch_template = ec2.LaunchTemplate(
            scope,
            "WebServerTemplate",
            instance_type=instance_type,
            machine_image=amazon_linux_2023(instance_type),
            role=role,
            security_group=security_group,
            user_data=user_data,
            require_imdsv2=True,
            http_put_response_hop_limit=1,
            block_devices=[
                ec2.BlockDevice(
                    device_name="/dev/xvda",
                    volume=ec2.BlockDeviceVolume.ebs(
                        ROOT_VOLUME_GIB,
                        encrypted=True,
                        volume_type=ec2.EbsDeviceVolumeType.GP3,
                        delete_on_termination=True,
                    ),
                )
            ],
        )
        self.group = autoscaling.AutoScalingGroup(
            scope,
            "WebServers",
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_group_name=PRIVATE_APP),
            launch_template=launch_template,
            min_capacity=config.asg_min_capacity,
            max_capacity=config.asg_max_capacity,
            # ELB health checks: an instance whose web server stops answering is replaced,
            # not only one whose EC2 status checks fail.
            health_checks=autoscaling.HealthChecks.with_additional_checks(
                additional_types=[autoscaling.AdditionalHealthCheckType.ELB],
                grace_period=cdk.Duration.minutes(5),
            ),
            cooldown=cdk.Duration.minutes(5),
            default_instance_warmup=cdk.Duration.minutes(3),
            # CloudFormation waits for each new server to signal that it serves its page.
            signals=autoscaling.Signals.wait_for_min_capacity(timeout=SERVER_READY_TIMEOUT)
            if config.asg_min_capacity > 0
            else None,
            # A new AMI (resolved at each deploy) or template replaces servers one at a time and
            # keeps at least the minimum in service: with a minimum of 1 (sandbox) CloudFormation
            # starts the new server, waits for its signal, and only then stops the old one.
            update_policy=autoscaling.UpdatePolicy.rolling_update(
                max_batch_size=1,
                min_instances_in_service=config.asg_min_capacity,
                wait_on_resource_signals=config.asg_min_capacity > 0,
                pause_time=SERVER_READY_TIMEOUT,
            ),
        )
        user_data.add_signal_on_exit_command(self.group)
        # The servers install httpd and call cfn-signal through the NAT: the group is created only
        # once the app subnets' default routes exist (so, in the sandbox, after the NAT instance has
        # signalled that it forwards). Without it CloudFormation may launch them before the route,
        # and a server whose dnf and cfn-signal cannot get out fails the deploy after the timeout.
        self.group.node.add_dependency(
            vpc.select_subnets(subnet_group_name=PRIVATE_APP).internet_connectivity_established
        )
        # The guide's "most common" policy: keep average CPU near the target.
        self.group.scale_on_cpu_utilization("CpuTargetTracking", target_utilization_percent=config.target_cpu_percent)
        if config.scheduled_scaling:
            self._scale_on_weekdays(config)
        acknowledge(
            self.group,
            "AwsSolutions-AS3",
            "The lab has no operator on call to receive scaling notifications; every launch and "
            "termination is listed in the group's activity history, which the README shows.",
        )

    def _scale_on_weekdays(self, config: ThreeTierConfig) -> None:
        self.group.scale_on_schedule(
            "ScaleUpWeekdayMornings",
            schedule=autoscaling.Schedule.cron(week_day="MON-FRI", hour="8", minute="0"),
            time_zone=SCHEDULE_TIME_ZONE,
            min_capacity=config.busy_min_capacity,
        )
        self.group.scale_on_schedule(
            "ScaleDownWeekdayEvenings",
            schedule=autoscaling.Schedule.cron(week_day="MON-FRI", hour="20", minute="0"),
            time_zone=SCHEDULE_TIME_ZONE,
            min_capacity=config.asg_min_capacity,
        )
