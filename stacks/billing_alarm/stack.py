"""Lab 3: CloudWatch billing alarm + SNS e-mail, with an AWS Budgets companion (guide 002)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_budgets as budgets
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from stacks.billing_alarm.config import BillingAlarmConfig
from stacks.components.alarm import notify_when_above
from stacks.components.alert_topic import AlertTopic

# AWS publishes EstimatedCharges several times a day; a 6-hour Maximum reacts within a
# quarter day, where the guide's 86400 s period could hold a breach back for a whole day.
BILLING_METRIC_PERIOD = cdk.Duration.hours(6)


class BillingAlarmStack(cdk.Stack):
    """Billing alarm lab, pinned to us-east-1 (the only region with billing metrics).

    Builds: an encrypted, TLS-only SNS topic (CloudWatch and Budgets may publish),
    an optional e-mail subscription, one alarm per configured threshold on
    EstimatedCharges (Currency=USD, Maximum over 6 h, > threshold, 1 period,
    missing data not breaching), and a monthly cost budget with actual and
    forecast notifications to the same topic.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, config: BillingAlarmConfig, protect_data: bool, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # No stored data: protect_data changes nothing here (the topic and alarms are always destroyed).
        del protect_data

        alerts = AlertTopic(
            self,
            "BillingAlerts",
            display_name="Billing alerts",
            email=config.alarm_email,
            publishing_services=("cloudwatch.amazonaws.com", "budgets.amazonaws.com"),
        )

        estimated_charges = cloudwatch.Metric(
            namespace="AWS/Billing",
            metric_name="EstimatedCharges",
            dimensions_map={"Currency": "USD"},
            statistic=cloudwatch.Stats.MAXIMUM,
            period=BILLING_METRIC_PERIOD,
        )
        for threshold in config.alarm_thresholds_usd:
            notify_when_above(
                self,
                f"ChargesAbove{_id_part(threshold)}Usd",
                metric=estimated_charges,
                topic=alerts.topic,
                threshold=threshold,
                # No data yet (a new account, or billing alerts not enabled) is not a cost problem.
                description=f"Estimated charges this month are above {threshold:g} USD",
            )

        topic_subscriber = budgets.CfnBudget.SubscriberProperty(subscription_type="SNS", address=alerts.topic.topic_arn)
        budget = budgets.CfnBudget(
            self,
            "MonthlyCostBudget",
            budget=budgets.CfnBudget.BudgetDataProperty(
                budget_type="COST",
                time_unit="MONTHLY",
                budget_limit=budgets.CfnBudget.SpendProperty(amount=config.monthly_budget_usd, unit="USD"),
            ),
            notifications_with_subscribers=[
                budgets.CfnBudget.NotificationWithSubscribersProperty(
                    notification=budgets.CfnBudget.NotificationProperty(
                        notification_type=kind,
                        comparison_operator="GREATER_THAN",
                        threshold=percent,
                        threshold_type="PERCENTAGE",
                    ),
                    subscribers=[topic_subscriber],
                )
                for kind, percent in (("ACTUAL", 80), ("ACTUAL", 100), ("FORECASTED", 100))
            ],
        )

        # AWS Budgets checks at creation that it may publish to the topic: the topic policy and
        # the key policy that admit it must exist first. Only the ARN is referenced, so
        # CloudFormation would not know to wait for them.
        budget.node.add_dependency(alerts.topic_policy, alerts.key)

        cdk.CfnOutput(
            self,
            "AlertTopicArn",
            value=alerts.topic.topic_arn,
            description="SNS topic of the billing alarms and the budget (subscribe more addresses here)",
        )


def _id_part(amount: float) -> str:
    """12.5 -> '12_5': construct ids stay readable and stable for a threshold."""
    return f"{amount:g}".replace(".", "_")
