"""Writes the diagrams of each lab's guide: one Mermaid diagram per stage, from the synthesized templates.

    python -m scripts.study.diagram                 # every lab, both stages
    python -m scripts.study.diagram --lab fanout    # one lab
    python -m scripts.study.diagram --check         # exit 1 if a guide's diagrams are out of date
    make diagram

The guide, docs/labs/<lab>.md, is hand-written; only what lies between its
`<!-- BEGIN GENERATED: diagram -->` and `<!-- END GENERATED: diagram -->` markers is
rewritten (scripts/generated_blocks.py). GitHub and most editors render the diagrams.
tests/study/test_diagram.py regenerates every block from the tests' own synthesized
templates and fails when a committed one differs: after changing a stack, run
`make diagram` and commit the guides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from scripts.generated_blocks import MarkerError, rewrite
from scripts.stack_outputs import OneLineParser, ScriptError, run
from scripts.study import templates
from scripts.study.cross_stack import stack_references
from scripts.study.graph import Drawing, Group, Node, build
from stacks.config import REPO_ROOT, cdk_json_context, load_stage_config, stage_names
from stacks.labs import LABS, Lab

STYLES = {
    "network": "fill:#e8f1fb,stroke:#4a78b5",
    "web": "fill:#fdf0e2,stroke:#c77c2c",
    "app": "fill:#fff6d6,stroke:#b39220",
    "data": "fill:#e6f4ea,stroke:#3d8b57",
    "messaging": "fill:#f3e8fb,stroke:#8a55b5",
    "monitoring": "fill:#fbe8ef,stroke:#b5557a",
    "security": "fill:#eeeeee,stroke:#777777",
    "external": "fill:#ffffff,stroke:#333333,stroke-dasharray:4 3",
    "note": "fill:#fffbe6,stroke:#c9b458,text-align:left",
}
HOW_TO_READ = (
    "How to read it: the boxes are the VPC, its subnet tiers and their Availability Zones. Solid arrows carry "
    "traffic, events or notifications: routes (with their destination), security-group rules (with protocol "
    "and port), event source mappings, subscriptions, alarm actions, dead-letter queues. Dotted arrows are "
    "the other references between resources (`Ref`, `Fn::GetAtt`, `Fn::Sub`), labelled with the property "
    "of the template that holds them. A line starting with `+` names the resources drawn inside a node (a "
    "listener inside its load balancer). CDK's own resources and the policies are listed in the note."
)
HOW_TO_READ_STACKS = (
    "The outer boxes are the lab's stacks, one per region and role; a dotted arrow from one box to another is "
    "a cross-stack reference (`Fn::GetStackOutput`, resolved at deploy), labelled with the property that holds it."
)


BLOCK = "diagram"


def block(
    lab: Lab,
    template_of: Callable[[str, str], dict[str, Any]],
    regions_of: Callable[[str], dict[str, str | None]] | None = None,
) -> str:
    """The guide's generated block: how to read the diagrams, then one per stage
    (`template_of(stage, stack_id)`); a lab of several stacks draws each stack in a box named by
    its region (`regions_of(stage)`: stack id -> region; default: the stage's cdk.json section) and role."""
    parts = [
        f"<!-- Written by `make diagram` (scripts/study/diagram.py) from the {', '.join(lab.stack_ids)} templates. -->",
        "",
        HOW_TO_READ + (" " + HOW_TO_READ_STACKS if lab.stacks else ""),
    ]
    for stage in stage_names():
        parts += ["", f"### Stage: {stage}"]
        if lab.stacks:
            regions = (regions_of or partial(_stack_regions, lab))(stage)
            boxes = [
                Box(spec.role, _box_title(spec.role, regions[spec.stack_id]), spec.stack_id) for spec in lab.stack_specs
            ]
            text = mermaid_of_stacks(lab.name, boxes, {box.stack_id: template_of(stage, box.stack_id) for box in boxes})
        else:
            text = mermaid(build(lab.name, template_of(stage, lab.stack_id)))
        parts += ["", "```mermaid", text, "```"]
    return "\n".join(parts)


@dataclass(frozen=True)
class Box:
    """One stack of a lab of several, drawn as a subgraph; `prefix` keeps its node ids its own."""

    prefix: str  # the stack's role: primary, secondary, global
    title: str
    stack_id: str


def _box_title(role: str, region: str | None) -> str:
    where = region or "any region"
    return f"global (DNS, {where})" if role == "global" else f"{where} ({role})"


def _stack_regions(lab: Lab, stage: str) -> dict[str, str | None]:
    config = load_stage_config({**cdk_json_context(), "stage": stage})
    return lab.stack_regions(config.sections[lab.package])


def mermaid(drawing: Drawing) -> str:
    lines = ["flowchart TB", *_shapes(drawing, "", 1), *_edges(drawing, "")]
    return "\n".join(lines + _styles([(drawing, "")]))


def mermaid_of_stacks(lab_name: str, boxes: Sequence[Box], stack_templates: dict[str, dict[str, Any]]) -> str:
    """One diagram of several stacks: a box each, then the references between them, dotted."""
    drawings = {box.stack_id: build(lab_name, stack_templates[box.stack_id]) for box in boxes}
    prefixes = {box.stack_id: f"{box.prefix}_" for box in boxes}
    lines = ["flowchart TB"]
    for box in boxes:
        lines.append(f'  subgraph {_id("stack_" + box.prefix)}["{_text(box.title)}"]')
        lines += _shapes(drawings[box.stack_id], prefixes[box.stack_id], 2)
        lines.append("  end")
    for box in boxes:
        lines += _edges(drawings[box.stack_id], prefixes[box.stack_id])
    labels: dict[tuple[str, str], list[str]] = {}  # one arrow per pair of nodes, naming every property
    for reference in stack_references(stack_templates):
        source = _drawn_as(drawings[reference.source_stack], reference.source)
        target = _drawn_as(drawings[reference.target_stack], reference.target)
        if source and target:
            pair = (
                prefixes[reference.source_stack] + _node_id(drawings[reference.source_stack], source),
                prefixes[reference.target_stack] + _node_id(drawings[reference.target_stack], target),
            )
            labels.setdefault(pair, []).append(reference.label)
    for (source_id, target_id), names in labels.items():
        lines.append(f'  {source_id} -.->|"{_text(", ".join(dict.fromkeys(names)))}"| {target_id}')
    return "\n".join(lines + _styles([(drawings[box.stack_id], prefixes[box.stack_id]) for box in boxes]))


def _drawn_as(drawing: Drawing, logical_id: str) -> str | None:
    """The node a resource is drawn as, or drawn inside (a listener: its load balancer)."""
    if logical_id in drawing.nodes:
        return logical_id
    return next((key for key, node in drawing.nodes.items() if logical_id in node.folded), None)


def _shapes(drawing: Drawing, prefix: str, depth: int) -> list[str]:
    """The groups, the nodes inside them and the note, with ids prefixed by `prefix`."""
    lines: list[str] = []
    children: dict[str | None, list[Group]] = {}
    for group in drawing.groups.values():
        children.setdefault(group.parent, []).append(group)
    members: dict[str | None, list[Node]] = {}
    for node in drawing.nodes.values():
        members.setdefault(node.group, []).append(node)

    def emit(parent: str | None, depth: int) -> None:
        indent = "  " * depth
        for node in members.get(parent, []):
            lines.append(indent + prefix + _node(node))
        for group in children.get(parent, []):
            lines.append(f'{indent}subgraph {prefix}{_id(group.key)}["{_text(group.label)}"]')
            if children.get(group.key) and group.key.startswith("tier_"):
                lines.append(f"{indent}  direction LR")  # a tier's AZs side by side
            emit(group.key, depth + 1)
            lines.append(f"{indent}end")

    emit(None, depth)
    if drawing.note:
        note = "<br/>".join(_text(line) for line in drawing.note)
        lines.append(f'{"  " * depth}{prefix}note["{note}"]')
    return lines


def _edges(drawing: Drawing, prefix: str) -> list[str]:
    lines = []
    for edge in drawing.edges:
        arrow = "-->" if edge.flow else "-.->"
        label = f'|"{_text(edge.label)}"|' if edge.label else ""
        source, target = _node_id(drawing, edge.source), _node_id(drawing, edge.target)
        lines.append(f"  {prefix}{source} {arrow}{label} {prefix}{target}")
    return lines


def _styles(drawings: Sequence[tuple[Drawing, str]]) -> list[str]:
    """The class definitions, then each tier's nodes (of every drawing, by its prefix) and the notes."""
    lines = [f"  classDef {tier} {style}" for tier, style in STYLES.items()]
    by_tier: dict[str, list[str]] = {}
    for drawing, prefix in drawings:
        for node in drawing.nodes.values():
            by_tier.setdefault(node.tier, []).append(prefix + _node_id(drawing, node.key))
    for tier, ids in by_tier.items():
        if tier in STYLES:
            lines.append(f"  class {','.join(ids)} {tier}")
    notes = [prefix + "note" for drawing, prefix in drawings if drawing.note]
    if notes:
        lines.append(f"  class {','.join(notes)} note")
    return lines


def _node(node: Node) -> str:
    text = "<br/>".join(_text(line) for line in [node.title, *node.lines])
    if node.store:
        return f'{_id("n_" + node.key)}[("{text}")]'
    if node.tier == "external":
        return f'{_id("x_" + node.key)}(["{text}"])'
    return f'{_id("n_" + node.key)}["{text}"]'


def _node_id(drawing: Drawing, key: str) -> str:
    if key in drawing.groups:
        return _id(key)
    return _id(("x_" if drawing.nodes[key].tier == "external" else "n_") + key)


def _id(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", key)


def _text(text: str) -> str:
    """Label text Mermaid shows as written: its own entity codes for quotes and angle brackets."""
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _template(stages: dict[str, templates.StageTemplates], stage: str, stack_id: str) -> dict[str, Any]:
    return stages[stage].template_json(stack_id)


def path_of(lab: Lab) -> Path:
    return REPO_ROOT / lab.guide_page


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lab", action="append", help="a lab (repeat for several); default: every lab")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a page is out of date")
    args = parser.parse_args(argv)
    labs = [templates.lab_argument(name) for name in args.lab] if args.lab else list(LABS)
    stages = {stage: templates.synthesize(stage, labs) for stage in stage_names()}
    stale = []
    for lab in labs:
        path = path_of(lab)
        try:
            blocks = {BLOCK: block(lab, partial(_template, stages))}
            changed = rewrite(path, blocks, root=REPO_ROOT, check=args.check)
        except MarkerError as error:
            raise ScriptError(str(error)) from None
        if changed:
            stale.append(str(path.relative_to(REPO_ROOT)))
    if args.check and stale:
        raise ScriptError(f"out of date: {', '.join(stale)}: run make diagram")
    print(("updated: " + ", ".join(stale)) if stale else "every guide's diagrams are up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
