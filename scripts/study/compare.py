"""What prod adds or changes against the sandbox, in resource terms, from the two synthesized templates.

    python -m scripts.study.compare --lab three-tier [--base sandbox --other prod]
    make compare LAB=three-tier

Resources only in one stage (NAT instance -> two NAT gateways), and for resources in
both the properties that differ (single-AZ -> Multi-AZ, deletion protection, what
`cdk destroy` does), in plain words. Tags (the Stage tag differs everywhere) and CDK's
bookkeeping (DependsOn, metadata) are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from scripts.stack_outputs import OneLineParser, run
from scripts.study import templates
from scripts.study.catalog import catalog
from scripts.study.cfn import on_destroy, resources, short_type
from scripts.study.explain import cost_lines
from scripts.study.tables import output_console, print_table
from stacks.cost_model import total
from stacks.labs import Lab

IGNORED_KEYS = frozenset({"Tags", "TagSpecifications", "ResourceTags", "Metadata", "DependsOn"})
# Blobs whose change is one fact: their content is the lab's code, not its shape.
OPAQUE_KEYS = frozenset({"UserData", "Analytics", "Code", "PolicyDocument", "KeyPolicy", "AssumeRolePolicyDocument"})
POLICY_KEYS = ("CreationPolicy", "UpdatePolicy")
# Switches worth saying in words: property -> what it turns on.
SWITCHES = {
    "MultiAZ": "Multi-AZ",
    "DeletionProtection": "deletion protection",
    "DeletionProtectionEnabled": "deletion protection",
    "PointInTimeRecoveryEnabled": "point-in-time recovery",
    "StorageEncrypted": "encryption at rest",
    "EnableKeyRotation": "key rotation",
    "DeleteAutomatedBackups": "deleting automated backups with the instance",
    "PubliclyAccessible": "public access",
}


@dataclass(frozen=True)
class Comparison:
    lab: Lab
    base: str
    other: str
    counts: list[tuple[str, str, int, int]]  # (name, type, in base, in other) where they differ
    only_base: list[tuple[str, str]]  # (logical ID, type)
    only_other: list[tuple[str, str]]
    changed: dict[str, list[str]]  # logical ID -> the changes, in words
    cost: tuple[float, float]


def compare(
    lab: Lab, base: str, other: str, base_template: dict[str, Any], other_template: dict[str, Any]
) -> Comparison:
    old, new = resources(base_template), resources(other_template)
    table = catalog()

    def name(logical_id: str, resource: dict[str, Any]) -> str:
        explanation = table.explain(lab.name, logical_id, resource["Type"])
        return explanation.name if explanation else short_type(resource["Type"])

    old_counts = Counter((name(i, r), r["Type"]) for i, r in old.items())
    new_counts = Counter((name(i, r), r["Type"]) for i, r in new.items())
    counts = [
        (kind, resource_type, old_counts[(kind, resource_type)], new_counts[(kind, resource_type)])
        for kind, resource_type in dict.fromkeys([*old_counts, *new_counts])
        if old_counts[(kind, resource_type)] != new_counts[(kind, resource_type)]
    ]
    changed = {}
    for logical_id in old.keys() & new.keys():
        words = list(_changes(old[logical_id], new[logical_id]))
        explanation = table.explain(lab.name, logical_id, new[logical_id]["Type"])
        billed = explanation is None or explanation.cost != "free"
        before = on_destroy(base_template, logical_id, billed=billed)
        after = on_destroy(other_template, logical_id, billed=billed)
        if before != after:
            words.insert(0, f"on cdk destroy: {before} -> {after}")
        if words:
            changed[logical_id] = words
    return Comparison(
        lab=lab,
        base=base,
        other=other,
        counts=counts,
        only_base=[(i, r["Type"]) for i, r in old.items() if i not in new],
        only_other=[(i, r["Type"]) for i, r in new.items() if i not in old],
        changed={i: changed[i] for i in new if i in changed},
        cost=(total(cost_lines(lab, base)), total(cost_lines(lab, other))),
    )


def _changes(old: dict[str, Any], new: dict[str, Any]) -> Iterator[str]:
    for key in POLICY_KEYS:
        yield from _diff(old.get(key), new.get(key), (key,))
    yield from _diff(old.get("Properties", {}), new.get("Properties", {}), ())


def _diff(old: Any, new: Any, path: tuple[str, ...]) -> Iterator[str]:
    if old == new or (path and path[-1] in IGNORED_KEYS):
        return
    key = next((name for name in reversed(path) if not name.startswith("[")), "")
    if key not in OPAQUE_KEYS:
        if isinstance(old, dict) and isinstance(new, dict) and not (_is_reference(old) or _is_reference(new)):
            for name in dict.fromkeys([*old, *new]):
                yield from _diff(old.get(name), new.get(name), (*path, name))
            return
        if isinstance(old, list) and isinstance(new, list) and len(old) == len(new) and not _shown(old):
            for index, (before, after) in enumerate(zip(old, new, strict=True)):
                yield from _diff(before, after, (*path, f"[{index}]"))
            return
    where = "".join(name if name.startswith("[") or not i else "." + name for i, name in enumerate(path))
    if key in OPAQUE_KEYS or not (_shown(old) and _shown(new)):
        yield f"{where} changed"
    elif key in SWITCHES and isinstance(new, bool) and isinstance(old, (bool, type(None))):
        yield f"{SWITCHES[key]} {'on' if new else 'off'} ({where}: {_value(old)} -> {_value(new)})"
    else:
        yield f"{where}: {_value(old)} -> {_value(new)}"


def _is_reference(value: dict[str, Any]) -> bool:
    return len(value) == 1 and next(iter(value)) in ("Ref", "Fn::GetAtt")


def _shown(value: Any) -> bool:
    """A value that reads well in one line: a scalar, a reference, or a short list of those."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return len(str(value)) <= 80
    if isinstance(value, dict):
        return _is_reference(value)
    return isinstance(value, list) and len(value) <= 4 and all(_shown(item) for item in value)


def _value(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        target = value.get("Ref") or value.get("Fn::GetAtt")
        return ".".join(target) if isinstance(target, list) else str(target)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return str(value)


def render(console: Console, result: Comparison, *, stack_id: str | None = None) -> None:
    """One stack's differences; a lab of several stacks renders each (`stack_id`)."""
    lab, base, other = result.lab, result.base, result.other
    console.print(f"[bold]{lab.name}[/bold]: what {other} adds or changes against {base} ({stack_id or lab.stack_id})")
    console.print(
        f"Monthly cost before usage (stacks/{lab.package}/cost.py): {base} {result.cost[0]:.2f} USD -> "
        f"{other} {result.cost[1]:.2f} USD"
    )
    if result.counts:
        table = Table(title="Resources that change in number", title_justify="left", expand=True)
        for column in ("Resource", "Type", base, other):
            table.add_column(column)
        for name, resource_type, old, new in result.counts:
            table.add_row(name, short_type(resource_type), str(old), str(new))
        print_table(console, table)
    for title, found in ((f"Only in {other}", result.only_other), (f"Only in {base}", result.only_base)):
        if found:
            table = Table(title=title, title_justify="left", expand=True)
            table.add_column("Logical ID", overflow="fold")
            table.add_column("Type", overflow="fold")
            for logical_id, resource_type in found:
                table.add_row(logical_id, short_type(resource_type))
            print_table(console, table)
    if result.changed:
        table = Table(title=f"In both stages, changed in {other}", title_justify="left", show_lines=True, expand=True)
        table.add_column("Logical ID", overflow="fold", ratio=2)
        table.add_column("What changes", overflow="fold", ratio=5)
        for logical_id, words in result.changed.items():
            table.add_row(logical_id, "\n".join(words))
        print_table(console, table)
    if not (result.counts or result.only_base or result.only_other or result.changed):
        console.print(f"The {base} and {other} templates hold the same resources with the same properties.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lab", required=True, help="the lab to compare (make compare LAB=...)")
    parser.add_argument("--base", default="sandbox", help="the stage to compare against (default sandbox)")
    parser.add_argument("--other", default="prod", help="the stage whose differences are listed (default prod)")
    args = parser.parse_args(argv)
    lab = templates.lab_argument(args.lab)
    base, other = templates.stage_argument(args.base), templates.stage_argument(args.other)
    old, new = templates.synthesize(base, [lab]), templates.synthesize(other, [lab])
    console = output_console()
    for stack_id in lab.stack_ids:
        comparison = compare(lab, base, other, old.template_json(stack_id), new.template_json(stack_id))
        render(console, comparison, stack_id=stack_id)
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
