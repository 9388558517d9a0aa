"""A lab's template as a drawing: groups (VPC, subnet tiers, AZs), nodes, edges, and a note.

Every resource of the template lands somewhere:
- the VPC is a group; its subnets sit in groups by tier (subnet name) and AZ;
- an architectural resource is a node, placed by the subnets (or the VPC) it names;
- a detail resource is folded into the node it belongs to (a listener into its load
  balancer, a launch template into its Auto Scaling group) and named in that node;
- routes, security-group rules, event source mappings and subscriptions are edges;
- CDK plumbing and policies are listed in one note.
Edges are solid where traffic or events flow (flows.py) and dotted for the other
references between resources (Ref, Fn::GetAtt, Fn::Sub), labelled with the property.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from scripts.study import flows
from scripts.study.catalog import catalog
from scripts.study.cfn import literal, properties, references, resources, short_type, targets

# Detail -> the property naming the resource it is drawn inside.
FOLD_INTO = {
    "AWS::EC2::VPCGatewayAttachment": "InternetGatewayId",
    "AWS::EC2::NetworkAclEntry": "NetworkAclId",
    "AWS::EC2::SubnetNetworkAclAssociation": "NetworkAclId",
    "AWS::ElasticLoadBalancingV2::Listener": "LoadBalancerArn",
    "AWS::ElasticLoadBalancingV2::ListenerRule": "ListenerArn",
    "AWS::ElasticLoadBalancingV2::ListenerCertificate": "ListenerArn",
    "AWS::AutoScaling::ScalingPolicy": "AutoScalingGroupName",
    "AWS::AutoScaling::ScheduledAction": "AutoScalingGroupName",
    "AWS::AutoScaling::LifecycleHook": "AutoScalingGroupName",
    "AWS::Lambda::EventInvokeConfig": "FunctionName",
    "AWS::Lambda::Version": "FunctionName",
    "AWS::Lambda::Alias": "FunctionName",
    "AWS::ApiGateway::Resource": "RestApiId",
    "AWS::ApiGateway::Method": "RestApiId",
    "AWS::ApiGateway::Deployment": "RestApiId",
    "AWS::ApiGateway::Stage": "RestApiId",
    "AWS::ApiGateway::RequestValidator": "RestApiId",
    "AWS::ApiGateway::Model": "RestApiId",
    "AWS::ApiGateway::GatewayResponse": "RestApiId",
    "AWS::Logs::MetricFilter": "LogGroupName",
    "AWS::SecretsManager::SecretTargetAttachment": "SecretId",
    "AWS::SecretsManager::RotationSchedule": "SecretId",
    "AWS::RDS::DBProxyTargetGroup": "DBProxyName",
    "AWS::KMS::Alias": "TargetKeyId",
    "AWS::Scheduler::Schedule": "GroupName",
}
# Details drawn inside the resource that names them (the first one, in template order).
FOLD_INTO_REFERRER = frozenset(
    {
        "AWS::EC2::LaunchTemplate",
        "AWS::EC2::EIP",
        "AWS::RDS::DBSubnetGroup",
        "AWS::IAM::InstanceProfile",
        "AWS::CloudFront::CachePolicy",
        "AWS::CloudFront::ResponseHeadersPolicy",
        "AWS::CloudFront::OriginAccessControl",
        "AWS::CloudFront::Function",
    }
)
POLICY_TYPES = frozenset(
    {
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::S3::BucketPolicy",
        "AWS::SQS::QueuePolicy",
        "AWS::SNS::TopicPolicy",
        "AWS::Lambda::Permission",
    }
)
ROUTING_TYPES = frozenset({"AWS::EC2::RouteTable", "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation"})
# Drawn as cylinders: where data is kept.
STORES = frozenset({"AWS::RDS::DBInstance", "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::S3::Bucket"})
# Property values a node's label shows, when the template has them literally.
FACTS = {
    "AWS::EC2::Subnet": ("CidrBlock",),
    "AWS::EC2::Instance": ("InstanceType",),
    "AWS::EC2::VPCEndpoint": ("VpcEndpointType",),
    "AWS::AutoScaling::AutoScalingGroup": ("MinSize", "MaxSize"),
    "AWS::RDS::DBInstance": ("DBInstanceClass", "Engine", "MultiAZ"),
    "AWS::Lambda::Function": ("Runtime", "MemorySize"),
    "AWS::CloudWatch::Alarm": ("MetricName", "Threshold"),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("Scheme",),
    "AWS::ElasticLoadBalancingV2::TargetGroup": ("Protocol", "Port"),
    "AWS::SQS::Queue": ("VisibilityTimeout",),
    "AWS::Logs::LogGroup": ("RetentionInDays",),
    "AWS::DynamoDB::GlobalTable": ("BillingMode",),
    "AWS::DynamoDB::Table": ("BillingMode",),
}


@dataclass
class Group:
    key: str
    label: str
    parent: str | None


@dataclass
class Node:
    key: str
    title: str  # the short name ("NAT gateway"), or an external party ("Internet 0.0.0.0/0")
    lines: list[str]
    tier: str  # for the style: a tier of the catalog, or "external"
    group: str | None = None
    store: bool = False  # drawn as a cylinder
    folded: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    flow: bool  # True: traffic or events flow this way; False: a reference


@dataclass
class Drawing:
    groups: dict[str, Group]
    nodes: dict[str, Node]
    edges: list[Edge]
    note: list[str]


class Builder:
    """Turns one lab's template into a Drawing."""

    def __init__(self, lab_name: str, template: dict[str, Any]) -> None:
        self.lab_name = lab_name
        self.template = template
        self.resources = resources(template)
        self.names = set(self.resources)
        self.table = catalog()
        self.groups: dict[str, Group] = {}
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, bool], list[str]] = {}
        self.role = {logical_id: self._role(logical_id) for logical_id in self.resources}
        self.host: dict[str, str] = {}
        self.subnet_groups: dict[str, str] = {}  # subnet -> its AZ group
        self.subnet_tiers: dict[str, str] = {}  # subnet -> its tier group
        self.route_table_subnets: dict[str, list[str]] = {}

    # -- roles and hosts ------------------------------------------------------------
    def type_of(self, logical_id: str) -> str:
        return str(self.resources[logical_id]["Type"])

    def _role(self, logical_id: str) -> str:
        resource_type = self.type_of(logical_id)
        explanation = self.table.explain(self.lab_name, logical_id, resource_type)
        if explanation is not None and explanation.is_cdk:
            return "plumbing"
        if resource_type in POLICY_TYPES:
            return "policy"
        if resource_type in ROUTING_TYPES:
            return "routing"
        if resource_type in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
            return "rule"
        if resource_type in ("AWS::Lambda::EventSourceMapping", "AWS::SNS::Subscription"):
            return "edge"
        if resource_type == "AWS::EC2::VPC":
            return "vpc"
        if resource_type in FOLD_INTO or resource_type in FOLD_INTO_REFERRER:
            return "fold"
        return "node"

    def host_of(self, logical_id: str, seen: frozenset[str] = frozenset()) -> str | None:
        """The node a resource is drawn as or inside, or None (a group, an edge, the note)."""
        if logical_id in self.host:
            return self.host[logical_id]
        role = self.role.get(logical_id)
        if role == "node":
            return logical_id
        if role != "fold" or logical_id in seen:
            return None
        parent = self._fold_parent(logical_id)
        found = self.host_of(parent, seen | {logical_id}) if parent else None
        if parent is None:  # nothing to fold into: draw it on its own
            self.role[logical_id] = "node"
            return logical_id
        return found

    def _fold_parent(self, logical_id: str) -> str | None:
        resource_type = self.type_of(logical_id)
        if resource_type in FOLD_INTO:
            named = targets(properties(self.resources[logical_id]).get(FOLD_INTO[resource_type]), self.names)
            return named[0] if named else None
        referrers = (
            other
            for other in self.resources
            if other != logical_id
            and self.role[other] in ("node", "fold")
            and logical_id in targets(properties(self.resources[other]), self.names)
        )
        return next(referrers, None)

    # -- the VPC ---------------------------------------------------------------------
    def _vpcs(self) -> None:
        for logical_id in self.resources:
            if self.role[logical_id] == "vpc":
                cidr = literal(properties(self.resources[logical_id]).get("CidrBlock")) or ""
                self.groups[f"vpc_{logical_id}"] = Group(f"vpc_{logical_id}", f"VPC {logical_id} {cidr}", None)
        for logical_id in self.resources:
            if self.type_of(logical_id) == "AWS::EC2::Subnet":
                self._subnet(logical_id)
        for logical_id in self.resources:
            if self.type_of(logical_id) == "AWS::EC2::SubnetRouteTableAssociation":
                props = properties(self.resources[logical_id])
                for table in targets(props.get("RouteTableId"), self.names):
                    self.route_table_subnets.setdefault(table, []).extend(targets(props.get("SubnetId"), self.names))

    def _subnet(self, logical_id: str) -> None:
        props = properties(self.resources[logical_id])
        vpc = next(iter(targets(props.get("VpcId"), self.names)), None)
        tags = {tag.get("Key"): tag.get("Value") for tag in props.get("Tags", []) if isinstance(tag, dict)}
        tier_name = str(tags.get("aws-cdk:subnet-name") or logical_id)
        kind = tags.get("aws-cdk:subnet-type")
        tier_key = f"tier_{vpc}_{tier_name}"
        if tier_key not in self.groups:
            label = f"{tier_name} subnets" + (f" ({str(kind).lower()})" if kind else "")
            self.groups[tier_key] = Group(tier_key, label, f"vpc_{vpc}" if vpc else None)
        az = _az_label(props.get("AvailabilityZone"))
        az_key = f"{tier_key}_{az.replace(' ', '')}"
        if az_key not in self.groups:
            self.groups[az_key] = Group(az_key, az, tier_key)
        self.subnet_groups[logical_id] = az_key
        self.subnet_tiers[logical_id] = tier_key
        self._node(logical_id, group=az_key)

    def subnets_named(self, logical_id: str) -> list[str]:
        """The subnets a resource (with what is folded into it) names, directly or through route tables."""
        found: list[str] = []
        for target in targets(properties(self.resources[logical_id]), self.names):
            for subnet in [target] if target in self.subnet_groups else self.route_table_subnets.get(target, []):
                if subnet not in found:
                    found.append(subnet)
        return found

    def vpc_named(self, logical_id: str) -> str | None:
        for target in targets(properties(self.resources[logical_id]), self.names):
            if self.role[target] == "vpc":
                return f"vpc_{target}"
        return None

    # -- nodes -----------------------------------------------------------------------
    def _node(self, logical_id: str, group: str | None = None) -> None:
        resource_type = self.type_of(logical_id)
        explanation = self.table.explain(self.lab_name, logical_id, resource_type)
        title = explanation.name if explanation else short_type(resource_type)
        props = properties(self.resources[logical_id])
        facts = [f"{name} {value}" for name in FACTS.get(resource_type, ()) if (value := literal(props.get(name)))]
        service = _endpoint_service(props) if resource_type == "AWS::EC2::VPCEndpoint" else None
        if service:
            facts.append(service)
        lines = [logical_id, short_type(resource_type) + (": " + ", ".join(facts) if facts else "")]
        tier = explanation.tier if explanation else "app"
        self.nodes[logical_id] = Node(logical_id, title, lines, tier, group, store=resource_type in STORES)

    def _place(self, logical_id: str) -> str | None:
        members = [logical_id, *(child for child, host in self.host.items() if host == logical_id)]
        subnets = [s for member in members for s in self.subnets_named(member)]
        if subnets:
            azs = {self.subnet_groups[s] for s in subnets}
            tiers = {self.subnet_tiers[s] for s in subnets}
            if len(azs) == 1:
                return azs.pop()
            if len(tiers) == 1:
                return tiers.pop()
            return self.groups[tiers.pop()].parent
        return next((vpc for member in members if (vpc := self.vpc_named(member))), None)

    # -- edges -----------------------------------------------------------------------
    def edge(self, source: str | None, target: str | None, label: str, *, flow: bool) -> None:
        if source is None or target is None or source == target:
            return
        labels = self.edges.setdefault((source, target, flow), [])
        if label and label not in labels:
            labels.append(label)

    def external(self, key: str, title: str) -> str:
        """A party outside the template (the internet, an e-mail subscriber, a CIDR)."""
        if key not in self.nodes:
            self.nodes[key] = Node(key, title, [], "external")
        return key

    def _reference_edges(self) -> None:
        flowing = {frozenset((source, target)) for source, target, flow in self.edges if flow}
        for logical_id in self.resources:
            source = self.host.get(logical_id)
            if source is None or self.role[logical_id] not in ("node", "fold"):
                continue
            for reference in references(self.template, logical_id):
                target_role = self.role[reference.target]
                if target_role not in ("node", "fold") or reference.target in self.subnet_groups:
                    continue
                target = self.host.get(reference.target)
                if target is None or frozenset((source, target)) in flowing:
                    continue
                self.edge(source, target, reference.label, flow=False)

    # -- everything ------------------------------------------------------------------
    def build(self) -> Drawing:
        self._vpcs()
        for logical_id in self.resources:
            host = self.host_of(logical_id)
            if host is not None:
                self.host[logical_id] = host
        for logical_id in self.resources:
            if self.role[logical_id] == "node" and logical_id not in self.subnet_groups:
                self._node(logical_id)
        for logical_id, host in self.host.items():
            if host != logical_id:
                self.nodes[host].folded.append(logical_id)
        for logical_id, node in self.nodes.items():
            if logical_id not in self.subnet_groups:
                node.group = self._place(logical_id)
        for node in list(self.nodes.values()):
            if node.folded:
                counts = Counter(short_type(self.type_of(child)) for child in node.folded)
                node.lines.append("+ " + ", ".join(f"{n} {kind}" if n > 1 else kind for kind, n in counts.items()))
        flows.add_flows(self)
        self._reference_edges()
        self._tier_edges()
        return Drawing(
            groups=self.groups,
            nodes=self.nodes,
            edges=[Edge(s, t, ", ".join(labels), flow) for (s, t, flow), labels in self.edges.items()],
            note=self._note(),
        )

    def _note(self) -> list[str]:
        """CDK's own resources and the policies, one a line, under their heading."""
        lines = []
        for role, heading in (("plumbing", "CDK plumbing, not drawn:"), ("policy", "Policies, not drawn:")):
            found = [i for i in self.resources if self.role[i] == role]
            if found:
                lines += [heading, *(f"- {i} ({short_type(self.type_of(i))})" for i in found)]
        if "BootstrapVersion" in self.template.get("Parameters", {}):
            lines.append("CDK's bootstrap check: parameter BootstrapVersion, rule CheckBootstrapVersion")
        return lines

    def _tier_edges(self) -> None:
        """A node placed in the VPC because it names subnets of several tiers points at each tier."""
        for logical_id, node in self.nodes.items():
            if node.group is None or not node.group.startswith("vpc_") or logical_id not in self.resources:
                continue
            members = [logical_id, *(child for child, host in self.host.items() if host == logical_id)]
            tiers = {self.subnet_tiers[s] for member in members for s in self.subnets_named(member)}
            for tier in sorted(tiers):
                self.edge(logical_id, tier, "subnets", flow=False)


def build(lab_name: str, template: dict[str, Any]) -> Drawing:
    return Builder(lab_name, template).build()


def _az_label(value: Any) -> str:
    """ "AZ 1" for CDK's {"Fn::Select": [0, {"Fn::GetAZs": ""}]}; a literal zone as it is."""
    if isinstance(value, str):
        return value
    if (
        isinstance(value, dict)
        and isinstance(value.get("Fn::Select"), list)
        and isinstance(value["Fn::Select"][0], int)
    ):
        return f"AZ {value['Fn::Select'][0] + 1}"
    return "AZ"


def _endpoint_service(props: dict[str, Any]) -> str | None:
    """ "s3" from the endpoint's service name com.amazonaws.<region>.s3."""
    name = props.get("ServiceName")
    parts = name.get("Fn::Join", ["", []])[1] if isinstance(name, dict) else [name]
    last = parts[-1] if parts else None
    return last.rsplit(".", 1)[-1] if isinstance(last, str) else None
