"""The solid edges of a drawing: where traffic, events, messages and notifications go.

Each rule reads one kind of resource: routes (subnet -> gateway), security-group rules
(source -> group, with the port), event source mappings, SNS subscriptions, alarm
actions, budget notifications, bucket notifications, EventBridge targets, dead-letter
queues, load balancer listeners and targets, API integrations, CloudFront origins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scripts.study.cfn import literal, properties, targets

if TYPE_CHECKING:
    from scripts.study.graph import Builder

ROUTE_TARGETS = (
    "GatewayId",
    "NatGatewayId",
    "InstanceId",
    "TransitGatewayId",
    "VpcPeeringConnectionId",
    "NetworkInterfaceId",
    "VpcEndpointId",
)
ANYWHERE = ("0.0.0.0/0", "::/0")
# CDK's egress rule for "no outbound traffic": a rule that matches nothing.
NO_EGRESS_PLACEHOLDER = "255.255.255.255/32"
ALARM_ACTIONS = (("AlarmActions", "ALARM"), ("OKActions", "OK"), ("InsufficientDataActions", "INSUFFICIENT_DATA"))


def add_flows(builder: Builder) -> None:
    for logical_id, resource in builder.resources.items():
        rule = RULES.get(str(resource["Type"]))
        if rule is not None:
            rule(builder, logical_id, properties(resource))


def _hosts(builder: Builder, value: Any) -> list[str]:
    return [host for target in targets(value, builder.names) if (host := builder.host.get(target))]


def _first(builder: Builder, value: Any) -> str | None:
    return next(iter(_hosts(builder, value)), None)


def _route(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    target = next((host for key in ROUTE_TARGETS for host in _hosts(builder, props.get(key))), None)
    destination = literal(props.get("DestinationCidrBlock") or props.get("DestinationIpv6CidrBlock")) or "route"
    for table in targets(props.get("RouteTableId"), builder.names):
        for subnet in builder.route_table_subnets.get(table, []):
            builder.edge(subnet, target, destination, flow=True)


def _security_group(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    for rule in props.get("SecurityGroupIngress", []):
        _ingress(builder, logical_id, rule)
    for rule in props.get("SecurityGroupEgress", []):
        _egress(builder, logical_id, rule)


def _ingress_rule(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    for group in targets(props.get("GroupId"), builder.names):
        _ingress(builder, group, props)


def _egress_rule(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    for group in targets(props.get("GroupId"), builder.names):
        _egress(builder, group, props)


def _ingress(builder: Builder, group: str, rule: dict[str, Any]) -> None:
    source = _first(builder, rule.get("SourceSecurityGroupId")) or _cidr(builder, rule)
    builder.edge(source, builder.host.get(group), _ports(rule), flow=True)


def _egress(builder: Builder, group: str, rule: dict[str, Any]) -> None:
    cidr = literal(rule.get("CidrIp") or rule.get("CidrIpv6"))
    if cidr == NO_EGRESS_PLACEHOLDER or (cidr in ANYWHERE and str(rule.get("IpProtocol")) == "-1"):
        return  # "nothing" and "anything" (the default) say nothing about the architecture
    target = _first(builder, rule.get("DestinationSecurityGroupId")) or _cidr(builder, rule)
    builder.edge(builder.host.get(group), target, _ports(rule), flow=True)


def _cidr(builder: Builder, rule: dict[str, Any]) -> str | None:
    """The subnet a rule's CIDR is, the internet, or the CIDR as an outside party."""
    cidr = literal(rule.get("CidrIp") or rule.get("CidrIpv6"))
    if cidr is None:
        return builder.external("prefix_list", "prefix list") if rule.get("SourcePrefixListId") else None
    if cidr in ANYWHERE:
        return builder.external("internet", f"Internet {cidr}")
    for subnet in builder.subnet_groups:
        if literal(properties(builder.resources[subnet]).get("CidrBlock")) == cidr:
            return subnet
    return builder.external("cidr_" + "".join(c if c.isalnum() else "_" for c in cidr), cidr)


def _ports(rule: dict[str, Any]) -> str:
    protocol = str(rule.get("IpProtocol"))
    if protocol == "-1":
        return "all traffic"
    low, high = literal(rule.get("FromPort")), literal(rule.get("ToPort"))
    if protocol == "icmp" or low is None:
        return protocol
    return f"{protocol} {low}" if low == high else f"{protocol} {low}-{high}"


def _event_source_mapping(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    source = _first(builder, props.get("EventSourceArn")) or builder.external("event_source", "event source")
    batch = literal(props.get("BatchSize"))
    label = "event source mapping" + (f", batch {batch}" if batch else "")
    builder.edge(source, _first(builder, props.get("FunctionName")), label, flow=True)


def _subscription(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    _subscribe(builder, _first(builder, props.get("TopicArn")), props)
    dead_letters = props.get("RedrivePolicy", {})
    builder.edge(
        _first(builder, props.get("TopicArn")), _first(builder, dead_letters), "undeliverable messages", flow=True
    )


def _topic(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    for subscription in props.get("Subscription", []):
        _subscribe(builder, builder.host.get(logical_id), subscription)


def _subscribe(builder: Builder, topic: str | None, props: dict[str, Any]) -> None:
    protocol = literal(props.get("Protocol")) or "subscription"
    endpoint = _first(builder, props.get("Endpoint")) or builder.external(
        f"subscriber_{protocol}", f"{protocol} subscriber"
    )
    label = protocol + (", filtered" if props.get("FilterPolicy") else "")
    label += ", raw" if props.get("RawMessageDelivery") is True else ""
    builder.edge(topic, endpoint, label, flow=True)


def _alarm(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    for key, state in ALARM_ACTIONS:
        for target in _hosts(builder, props.get(key)):
            builder.edge(builder.host.get(logical_id), target, state, flow=True)


def _budget(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    for entry in props.get("NotificationsWithSubscribers", []):
        notification = entry.get("Notification", {})
        label = f"{str(notification.get('NotificationType', '')).lower()} > {notification.get('Threshold')}%"
        for subscriber in entry.get("Subscribers", []):
            kind = literal(subscriber.get("SubscriptionType")) or "subscriber"
            target = _first(builder, subscriber.get("Address")) or builder.external(
                f"subscriber_{kind.lower()}", f"{kind.lower()} subscriber"
            )
            builder.edge(builder.host.get(logical_id), target, label, flow=True)


def _bucket(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    _notifications(builder, builder.host.get(logical_id), props.get("NotificationConfiguration", {}))


def _bucket_notifications(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    """CDK's Custom::S3BucketNotifications: plumbing, but the notifications it sets are the architecture."""
    _notifications(builder, _first(builder, props.get("BucketName")), props.get("NotificationConfiguration", {}))


def _notifications(builder: Builder, bucket: str | None, configuration: Any) -> None:
    if not isinstance(configuration, dict):
        return
    for items in configuration.values():
        for item in items if isinstance(items, list) else []:
            events = item.get("Event") or item.get("Events") or "event"
            words = [*(events if isinstance(events, list) else [events]), *_filter_values(item)]
            for target in _hosts(builder, item):
                builder.edge(bucket, target, " ".join(str(word) for word in words), flow=True)


def _filter_values(value: Any) -> list[str]:
    if isinstance(value, dict):
        if {"Name", "Value"} <= set(value):
            return [f"{value['Name']} {value['Value']}"]
        return [word for item in value.values() for word in _filter_values(item)]
    if isinstance(value, list):
        return [word for item in value for word in _filter_values(item)]
    return []


def _rule(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    schedule = literal(props.get("ScheduleExpression"))
    label = schedule or "event pattern"
    for target in props.get("Targets", []):
        builder.edge(builder.host.get(logical_id), _first(builder, target.get("Arn")), label, flow=True)


def _schedule(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    label = literal(props.get("ScheduleExpression")) or "schedule"
    builder.edge(builder.host.get(logical_id), _first(builder, props.get("Target", {}).get("Arn")), label, flow=True)


def _invoke_config(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    destinations = props.get("DestinationConfig", {})
    for key, label in (("OnFailure", "on failure"), ("OnSuccess", "on success")):
        target = _first(builder, destinations.get(key, {}).get("Destination"))
        builder.edge(builder.host.get(logical_id), target, label, flow=True)


def _function(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    target = _first(builder, props.get("DeadLetterConfig", {}).get("TargetArn"))
    builder.edge(builder.host.get(logical_id), target, "dead letters", flow=True)


def _queue(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    redrive = props.get("RedrivePolicy", {})
    receives = literal(redrive.get("maxReceiveCount")) if isinstance(redrive, dict) else None
    label = "dead letters" + (f" after {receives} receives" if receives else "")
    builder.edge(builder.host.get(logical_id), _first(builder, redrive), label, flow=True)


def _listener(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    label = " ".join(word for word in (literal(props.get("Protocol")), literal(props.get("Port"))) if word)
    for target in _hosts(builder, props.get("DefaultActions")):
        builder.edge(builder.host.get(logical_id), target, label or "listener", flow=True)


def _listener_rule(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    for target in _hosts(builder, props.get("Actions")):
        builder.edge(builder.host.get(logical_id), target, "listener rule", flow=True)


def _auto_scaling_group(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    for group in _hosts(builder, props.get("TargetGroupARNs")):
        builder.edge(group, builder.host.get(logical_id), "targets", flow=True)


def _method(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    label = literal(props.get("HttpMethod")) or "method"
    for target in _hosts(builder, props.get("Integration", {}).get("Uri")):
        builder.edge(builder.host.get(logical_id), target, label, flow=True)


def _rest_api(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    builder.edge(builder.external("internet", "Internet"), builder.host.get(logical_id), "HTTPS", flow=True)


def _distribution(builder: Builder, logical_id: str, props: dict[str, Any]) -> None:
    builder.edge(builder.external("internet", "Internet"), builder.host.get(logical_id), "HTTPS", flow=True)
    for origin in props.get("DistributionConfig", {}).get("Origins", []):
        builder.edge(builder.host.get(logical_id), _first(builder, origin.get("DomainName")), "origin", flow=True)


Rule = Callable[["Builder", str, dict[str, Any]], None]
RULES: dict[str, Rule] = {
    "AWS::EC2::Route": _route,
    "AWS::EC2::SecurityGroup": _security_group,
    "AWS::EC2::SecurityGroupIngress": _ingress_rule,
    "AWS::EC2::SecurityGroupEgress": _egress_rule,
    "AWS::Lambda::EventSourceMapping": _event_source_mapping,
    "AWS::SNS::Subscription": _subscription,
    "AWS::SNS::Topic": _topic,
    "AWS::CloudWatch::Alarm": _alarm,
    "AWS::CloudWatch::CompositeAlarm": _alarm,
    "AWS::Budgets::Budget": _budget,
    "AWS::S3::Bucket": _bucket,
    "Custom::S3BucketNotifications": _bucket_notifications,
    "AWS::Events::Rule": _rule,
    "AWS::Scheduler::Schedule": _schedule,
    "AWS::Lambda::EventInvokeConfig": _invoke_config,
    "AWS::Lambda::Function": _function,
    "AWS::SQS::Queue": _queue,
    "AWS::ElasticLoadBalancingV2::Listener": _listener,
    "AWS::ElasticLoadBalancingV2::ListenerRule": _listener_rule,
    "AWS::AutoScaling::AutoScalingGroup": _auto_scaling_group,
    "AWS::ApiGateway::Method": _method,
    "AWS::ApiGateway::RestApi": _rest_api,
    "AWS::CloudFront::Distribution": _distribution,
}
