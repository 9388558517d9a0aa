"""Names both regions and the scripts share: the switch, the table, the outputs.

Fixed names, not generated ones, on purpose: a global table has one name in every region,
and the failover drill flips the same parameter name in whichever region it switches.
"""

from __future__ import annotations

# The "down" switch of a region: "true" makes its /health answer 503 (lambda_src/failover_site).
DOWN_PARAMETER = "/cloudops-cdk-labs/multi-region-failover/down"
TABLE_NAME = "cloudops-multi-region-failover-visits"
HANDLER = "failover_site.handler.lambda_handler"

# Outputs of the global (DNS) stack, MultiRegionFailover: everything verify and the drill need.
OUTPUT_ZONE_ID = "HostedZoneId"
OUTPUT_NAME_SERVERS = "NameServers"
OUTPUT_RECORD = "RecordName"
OUTPUT_HEALTH_CHECK = "PrimaryHealthCheckId"
OUTPUT_SCHEME = "Scheme"
OUTPUT_PRIMARY_REGION = "PrimaryRegion"
OUTPUT_SECONDARY_REGION = "SecondaryRegion"
OUTPUT_PRIMARY_ALB = "PrimaryLoadBalancerDnsName"
OUTPUT_SECONDARY_ALB = "SecondaryLoadBalancerDnsName"
OUTPUT_DOWN_PARAMETER = "DownParameterName"
OUTPUT_TABLE = "TableName"
