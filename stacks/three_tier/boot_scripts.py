"""Boot scripts (EC2 user data) of the three-tier lab, with retries and a check at the end.

At boot, cloud-init runs user data while dnf may still be busy (the AMI's own update
timer, a repository still warming up); a single `dnf install` can then fail and leave an
instance that CloudFormation reports as created but that does nothing (aws-cdk #36717
for CDK's NAT instance). Each script here retries its installs, checks that the instance
really does its job, and reports the result with cfn-signal: the stack waits for it
(a CreationPolicy / rolling-update signal) and fails, instead of lying, when it is bad.
"""

from __future__ import annotations

CFN_SIGNAL = "/opt/aws/bin/cfn-signal"

# A bash function: `retry 5 10 dnf install -y x` runs the command up to 5 times, 10 s apart.
RETRY_FUNCTION = [
    "retry() {",
    '  local attempts="$1" pause="$2"; shift 2',
    "  local n=1",
    '  until "$@"; do',
    '    if [ "$n" -ge "$attempts" ]; then echo "failed after $n attempts: $*" >&2; return 1; fi',
    '    echo "attempt $n of $attempts failed: $*; retrying in ${pause}s" >&2',
    '    sleep "$pause"; n=$((n + 1))',
    "  done",
    "}",
]

# cfn-signal ships with Amazon Linux's bootstrap tools; install them if an image lacks them.
ENSURE_CFN_SIGNAL = [f"[ -x {CFN_SIGNAL} ] || retry 10 15 dnf install -y aws-cfn-bootstrap"]

# dnf on AL2023 can use more memory than a 512 MB instance has (t4g.nano: amazon-linux-2023
# #404, https://github.com/amazonlinux/amazon-linux-2023/issues/404) and be OOM-killed, which
# fails the deploy after the signal timeout. A swap file first (1 GiB of the 8 GiB root
# volume, written with dd: a file with holes cannot be swap, see mkswap(8)). Idempotent:
# a second boot finds it on.
SWAP_FILE = "/swapfile"
SWAP_MIB = 1024
ADD_SWAP = [
    f"if ! swapon --show=NAME --noheadings | grep -qx {SWAP_FILE}; then",
    f"  [ -f {SWAP_FILE} ] || dd if=/dev/zero of={SWAP_FILE} bs=1M count={SWAP_MIB} status=none",
    f"  chmod 600 {SWAP_FILE}",
    f"  mkswap {SWAP_FILE}",
    f"  swapon {SWAP_FILE}",
    "fi",
    f"grep -q '^{SWAP_FILE} ' /etc/fstab || echo '{SWAP_FILE} none swap defaults 0 0' >> /etc/fstab",
]

# NAT instance: forward the app subnets' traffic and masquerade it behind the instance's
# public address. `ip route` (iproute) is on every AL2023 image; net-tools' `route`, which
# CDK's own script uses, is not.
NAT_COMMANDS = [
    "set -euo pipefail",
    *RETRY_FUNCTION,
    *ADD_SWAP,
    *ENSURE_CFN_SIGNAL,
    "retry 10 15 dnf install -y iptables-services",
    "systemctl enable --now iptables",
    'echo "net.ipv4.ip_forward=1" > /etc/sysctl.d/90-nat-forwarding.conf',
    "sysctl -p /etc/sysctl.d/90-nat-forwarding.conf",
    "IFACE=$(ip -o route show default | awk '{print $5; exit}')",
    '[ -n "$IFACE" ] || { echo "no default route interface" >&2; exit 1; }',
    'iptables -t nat -C POSTROUTING -o "$IFACE" -j MASQUERADE 2>/dev/null'
    ' || iptables -t nat -A POSTROUTING -o "$IFACE" -j MASQUERADE',
    "iptables -F FORWARD",
    # The file iptables-services loads at boot. Not `service iptables save`: on AL2023 `service`
    # comes from the initscripts package, which may be absent, and under `set -e` its failure
    # would roll back the whole stack; iptables-save is in the iptables package itself.
    "iptables-save > /etc/sysconfig/iptables",
    # The check that CDK's script lacks: forwarding on and the rule in place, or a failed signal.
    '[ "$(sysctl -n net.ipv4.ip_forward)" = "1" ]',
    'iptables -t nat -C POSTROUTING -o "$IFACE" -j MASQUERADE',
    'echo "NAT ready on $IFACE"',
]

# Web server: a page that names the instance, read through IMDSv2 (a session token first),
# unlike the guide's IMDSv1 `curl http://169.254.169.254/...`.
WEB_SERVER_COMMANDS = [
    "set -euo pipefail",
    *RETRY_FUNCTION,
    *ENSURE_CFN_SIGNAL,
    "retry 10 15 dnf install -y httpd",
    'TOKEN=$(curl -sS -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")',
    'imds() { curl -sS -H "X-aws-ec2-metadata-token: ${TOKEN}" "http://169.254.169.254/latest/meta-data/$1"; }',
    "INSTANCE_ID=$(imds instance-id)",
    "AZ=$(imds placement/availability-zone)",
    "PRIVATE_IP=$(imds local-ipv4)",
    "cat > /var/www/html/index.html <<EOF",
    "<!doctype html><title>CloudOps CDK Labs: three-tier</title>",
    "<h1>Hello from ${INSTANCE_ID}</h1>",
    "<p>Availability Zone ${AZ}, private address ${PRIVATE_IP}, behind the Application Load Balancer.</p>",
    "EOF",
    "systemctl enable --now httpd",
    # Serving before signalling: a rolling update replaces the next instance only after this one answers.
    'retry 10 3 curl -fsS -o /dev/null "http://localhost/"',
]
