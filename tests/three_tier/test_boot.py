"""Boot scripts and what CloudFormation waits for: a NAT that forwards, servers that serve."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from stacks.three_tier.config import ThreeTierConfig
from tests.harness import SynthesizedStage, resources_of_type
from tests.three_tier.test_stack import script_text, tj, user_data


def nat_instance(stage: SynthesizedStage) -> tuple[str, dict[str, Any]]:
    (item,) = resources_of_type(tj(stage), "AWS::EC2::Instance").items()
    return item


def test_the_nat_instance_retries_its_install_checks_forwarding_and_signals(sandbox: SynthesizedStage) -> None:
    nat_id, nat = nat_instance(sandbox)
    script = script_text(nat["Properties"]["UserData"])

    # CDK's own script: one `yum install iptables-services` that can race dnf at boot (aws-cdk #36717).
    assert "retry 10 15 dnf install -y iptables-services" in script
    assert "\nyum install" not in script
    # The check at the end: forwarding on and the masquerade rule in place, else a failed signal.
    assert '[ "$(sysctl -n net.ipv4.ip_forward)" = "1" ]' in script
    assert script.rstrip().splitlines()[-2] == 'iptables -t nat -C POSTROUTING -o "$IFACE" -j MASQUERADE'
    assert (
        f"/opt/aws/bin/cfn-signal --stack ThreeTier --resource {nat_id} --region <AWS::Region> -e $exitCode" in script
    )
    assert script.index("trap exitTrap EXIT") < script.index("set -euo pipefail")
    # CloudFormation waits for that signal: a NAT that does not forward fails the deploy.
    assert nat["CreationPolicy"] == {"ResourceSignal": {"Count": 1, "Timeout": "PT15M"}}


def test_prod_has_no_nat_instance(prod: SynthesizedStage) -> None:
    assert resources_of_type(tj(prod), "AWS::EC2::Instance") == {}


@pytest.mark.parametrize("which", ["nat", "web"])
def test_boot_scripts_are_valid_bash(which: str, sandbox: SynthesizedStage) -> None:
    script = script_text(nat_instance(sandbox)[1]["Properties"]["UserData"]) if which == "nat" else user_data(sandbox)
    result = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_web_servers_signal_only_once_they_serve_their_page(sandbox: SynthesizedStage) -> None:
    script = user_data(sandbox)
    (asg_id,) = resources_of_type(tj(sandbox), "AWS::AutoScaling::AutoScalingGroup")

    assert "retry 10 15 dnf install -y httpd" in script
    assert script.index("systemctl enable --now httpd") < script.index('curl -fsS -o /dev/null "http://localhost/"')
    assert f"--resource {asg_id} --region <AWS::Region> -e $exitCode" in script


def test_a_new_ami_replaces_servers_one_at_a_time_keeping_the_minimum_in_service(
    each_stage: SynthesizedStage,
) -> None:
    (asg,) = resources_of_type(tj(each_stage), "AWS::AutoScaling::AutoScalingGroup").values()
    minimum = each_stage.config.section(ThreeTierConfig).asg_min_capacity
    rolling = asg["UpdatePolicy"]["AutoScalingRollingUpdate"]

    assert rolling["MaxBatchSize"] == 1
    # With the sandbox's minimum of 1, the new server must serve before the old one goes.
    assert rolling["MinInstancesInService"] == minimum >= 1
    assert rolling["WaitOnResourceSignals"] is True
    assert asg["CreationPolicy"] == {"ResourceSignal": {"Count": minimum, "Timeout": "PT15M"}}
    assert int(asg["Properties"]["MaxSize"]) > minimum, "room to start a new server before stopping an old one"


def test_the_nat_instance_has_swap_before_dnf_runs(sandbox: SynthesizedStage) -> None:
    """dnf on AL2023 can outgrow a t4g.nano's 512 MB and be OOM-killed (amazon-linux-2023 #404,
    https://github.com/amazonlinux/amazon-linux-2023/issues/404): the deploy would then fail after the
    signal timeout. Swap is on before the first dnf call; it is a file written in full (dd), as a
    swap file may have no holes (mkswap(8))."""
    script = script_text(nat_instance(sandbox)[1]["Properties"]["UserData"])
    first_dnf = script.index("dnf install")
    assert script.index("swapon /swapfile") < first_dnf
    assert "dd if=/dev/zero of=/swapfile bs=1M count=1024" in script
    assert "fallocate" not in script


def test_the_nat_rules_are_saved_without_the_service_command(sandbox: SynthesizedStage) -> None:
    """`service` comes from AL2023's initscripts package, which an image may lack; under `set -e` its
    failure would fail the NAT's signal and roll back the stack. iptables-save (package iptables) writes
    the file iptables-services loads at boot."""
    script = script_text(nat_instance(sandbox)[1]["Properties"]["UserData"])
    assert "service iptables save" not in script
    assert "iptables-save > /etc/sysconfig/iptables" in script
    assert script.index("iptables -F FORWARD") < script.index("iptables-save > /etc/sysconfig/iptables")


def test_web_servers_launch_only_after_the_app_subnets_default_routes(each_stage: SynthesizedStage) -> None:
    """A web server installs httpd and calls cfn-signal through the NAT: launched before its subnet's
    0.0.0.0/0 route exists, it cannot signal and the deploy fails after the timeout."""
    template = tj(each_stage)
    (asg,) = resources_of_type(template, "AWS::AutoScaling::AutoScalingGroup").values()
    app_routes = {
        route_id
        for route_id, route in resources_of_type(template, "AWS::EC2::Route").items()
        if route_id.startswith("VpcPrivateAppSubnet") and route["Properties"]["DestinationCidrBlock"] == "0.0.0.0/0"
    }
    assert len(app_routes) == 2
    assert app_routes <= set(asg.get("DependsOn", []))
