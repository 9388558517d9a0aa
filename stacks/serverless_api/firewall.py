"""AWS WAF in front of the REST API stage (guide 002 "WAF": rate-based rule, managed rule groups)."""

from __future__ import annotations

from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

RATE_WINDOW_SECONDS = 300
MANAGED_RULE_GROUPS = ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet")


def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric_name, sampled_requests_enabled=True
    )


class RegionalFirewall(Construct):
    """A regional web ACL associated with one API Gateway stage.

    Rules, in order:
    0. `RateLimitPerIp`: an IP that sends more than `rate_limit` requests in 5 minutes is
       blocked until its rate drops (the guide's 2000 / 5 min / IP).
    1. AWS managed core rule set (OWASP-style: bad bots, oversized bodies, XSS, LFI...).
    2. AWS managed known-bad-inputs (Log4Shell, Java deserialization, host header tricks).
    Everything else is allowed: the API's own validation answers bad orders with a 400.
    Blocked requests get WAF's 403, never reach Lambda and cost no invocation.
    """

    def __init__(self, scope: Construct, construct_id: str, *, stage_arn: str, rate_limit: int) -> None:
        super().__init__(scope, construct_id)
        rules = [
            wafv2.CfnWebACL.RuleProperty(
                name="RateLimitPerIp",
                priority=0,
                action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        aggregate_key_type="IP", limit=rate_limit, evaluation_window_sec=RATE_WINDOW_SECONDS
                    )
                ),
                visibility_config=_visibility("RateLimitPerIp"),
            )
        ]
        for priority, group in enumerate(MANAGED_RULE_GROUPS, start=1):
            rules.append(
                wafv2.CfnWebACL.RuleProperty(
                    name=group,
                    priority=priority,
                    # "none": the group's own actions (block) apply; "count" would only observe.
                    override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                            vendor_name="AWS", name=group
                        )
                    ),
                    visibility_config=_visibility(group),
                )
            )
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            rules=rules,
            visibility_config=_visibility("OrdersApiWebAcl"),
            description="serverless-api lab: per-IP rate limit and AWS managed rule groups",
        )
        wafv2.CfnWebACLAssociation(self, "StageAssociation", resource_arn=stage_arn, web_acl_arn=self.web_acl.attr_arn)
