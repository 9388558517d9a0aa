"""GuardDuty auto-remediation (guide 002 security section): for a finding
UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.*, deny every session of the
instance's role that was issued before now (AWS's "revoke active sessions",
AWSRevokeOlderSessions). Off by default: a dry run logs what it would attach.

handler.py wires the EventBridge event to finding.py (pure validation and the policy)
and aws.py (the only module that talks to AWS: IAM and SNS).
"""
