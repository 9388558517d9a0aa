"""Every resource of a lab's template, by tier: what it does, what it costs, what `cdk destroy` does to it.

    python -m scripts.study.explain --lab three-tier [--stage prod] [--cdk-out cdk.out]
    make explain LAB=three-tier [STAGE=prod]

The words come from scripts/study/explanations.toml (by resource type, with the lab's own
words where its guide says something specific); the cost from the lab's cost model
(stacks/<lab>/cost.py) for that stage; what a destroy does from the template's
DeletionPolicy. CDK's own resources are listed apart, each with why CDK adds it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scripts.stack_outputs import OneLineParser, ScriptError, run
from scripts.study import templates
from scripts.study.catalog import TABLE_NAME, TIERS, Explanation, catalog, missing_line
from scripts.study.cfn import on_destroy, resources, short_type
from scripts.study.facts import facts
from scripts.study.tables import output_console, print_table
from stacks.config import cdk_json_context, load_stage_config
from stacks.cost_model import PRICE_REGION, PRICES_REVIEWED, Line, total
from stacks.labs import Lab


@dataclass(frozen=True)
class Row:
    """One resource explained."""

    logical_id: str
    resource_type: str
    explanation: Explanation
    cost: tuple[str, ...]  # the matching lines of the cost model, or "free" / "usage-based"
    on_destroy: str


def cost_lines(lab: Lab, stage: str) -> list[Line]:
    """The lab's monthly cost model for the stage's section of cdk.json."""
    config = load_stage_config({**cdk_json_context(), "stage": stage})
    return lab.cost_lines(config.sections[lab.package])


def unexplained(lab: Lab, template: dict[str, Any]) -> dict[str, str]:
    """Resource type -> one logical ID of it, for every type the table has no line for."""
    table = catalog()
    missing: dict[str, str] = {}
    for logical_id, resource in resources(template).items():
        if table.explain(lab.name, logical_id, resource["Type"]) is None:
            missing.setdefault(resource["Type"], logical_id)
    return missing


def explain(lab: Lab, template: dict[str, Any], lines: Sequence[Line]) -> list[Row]:
    """Every resource of the template, in template order, explained."""
    missing = unexplained(lab, template)
    if missing:
        first_type, logical_id = next(iter(missing.items()))
        raise ScriptError(
            f"{logical_id} is a {first_type}, which {TABLE_NAME} does not explain: add under [types] "
            + missing_line(first_type, lab.guide)
        )
    explained = {logical_id: explained_here(lab, template, logical_id) for logical_id in resources(template)}
    matched = {logical_id: _matching(e, lines) for logical_id, e in explained.items() if e is not None}
    claims = Counter(line for found in matched.values() for line in found)
    rows = []
    for logical_id, resource in resources(template).items():
        explanation = explained[logical_id]
        assert explanation is not None
        rows.append(
            Row(
                logical_id=logical_id,
                resource_type=resource["Type"],
                explanation=explanation,
                cost=_cost_cell(explanation, matched[logical_id], claims),
                on_destroy=on_destroy(template, logical_id, billed=explanation.cost != "free"),
            )
        )
    return rows


def explained_here(lab: Lab, template: dict[str, Any], logical_id: str) -> Explanation | None:
    """The table's explanation of the resource, with what its own properties say (scripts/study/facts.py)."""
    explanation = catalog().explain(lab.name, logical_id, resources(template)[logical_id]["Type"])
    read = facts(template, logical_id)
    if explanation is None or not read:
        return explanation
    return replace(explanation, what=f"{explanation.what} {read}")


def unclaimed(rows: Sequence[Row], lines: Sequence[Line]) -> list[Line]:
    """Cost lines that no resource's words find (tests keep this empty for every lab)."""
    claimed = {line for row in rows for line in _matching(row.explanation, lines)}
    return [line for line in lines if line not in claimed]


def _matching(explanation: Explanation, lines: Sequence[Line]) -> list[Line]:
    if isinstance(explanation.cost, str):
        return []
    words = [word.lower() for word in explanation.cost]
    return [line for line in lines if any(word in line.item.lower() for word in words)]


def _cost_cell(explanation: Explanation, found: list[Line], claims: Counter[Line]) -> tuple[str, ...]:
    if isinstance(explanation.cost, str):
        return (explanation.cost,)
    if not found:
        return (explanation.unmatched,)
    return tuple(
        f"{line.item}: {line.usd:.2f} USD" + (f" (one line for {claims[line]} resources)" if claims[line] > 1 else "")
        for line in found
    )


def outside_resources(template: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(section, name, why) for what CDK puts beside the resources: bootstrap check, SSM lookups."""
    found = []
    for name, parameter in template.get("Parameters", {}).items():
        if name == "BootstrapVersion":
            why = (
                "CDK's bootstrap check: the CheckBootstrapVersion rule stops a deploy into an account "
                "whose `cdk bootstrap` stack is too old."
            )
        elif str(parameter.get("Type", "")).startswith("AWS::SSM::Parameter::Value"):
            why = (
                f"Resolved at each deploy from the public SSM parameter {parameter.get('Default')}: no lookup at synth."
            )
        else:
            why = str(parameter.get("Description", "a deploy-time parameter"))
        found.append(("Parameters", name, why))
    for name in template.get("Rules", {}):
        why = "CDK's: fails the deploy if the bootstrap version is too old." if name == "CheckBootstrapVersion" else ""
        found.append(("Rules", name, why))
    for name in template.get("Conditions", {}):
        found.append(("Conditions", name, "Decides at deploy, by region, whether a part of the template applies."))
    for name in template.get("Mappings", {}):
        found.append(("Mappings", name, "A lookup table by region, read at deploy."))
    return found


def render(
    console: Console,
    lab: Lab,
    stage: str,
    template: dict[str, Any],
    lines: Sequence[Line],
    *,
    stack_id: str | None = None,
    lab_rows: Sequence[Row] | None = None,
) -> None:
    """One stack's tables. A lab of several stacks renders each (`stack_id`); its cost lines are
    claimed by the rows of all of them (`lab_rows`), since one cost model prices the whole lab."""
    rows = explain(lab, template, lines)
    console.print(Text(f"{lab.name} ({stack_id or lab.stack_id}), stage {stage}: {lab.title}", style="bold"))
    console.print(f"Guide sections: {'; '.join(lab.guide)}. {len(rows)} resources.")
    console.print(
        f"Costs: the lab's cost model (stacks/{lab.package}/cost.py), {PRICE_REGION} list prices as of "
        f"{PRICES_REVIEWED}: {total(lines):.2f} USD a month before usage."
    )
    for tier, title in TIERS.items():
        in_tier = [row for row in rows if row.explanation.tier == tier]
        if in_tier:
            print_table(console, _table(f"{title} ({len(in_tier)})", in_tier, cdk=tier == "cdk"))
    rest = unclaimed(rows if lab_rows is None else lab_rows, lines)
    if rest:
        console.print(
            "Cost lines no resource above claims: " + "; ".join(f"{line.item} {line.usd:.2f} USD" for line in rest)
        )
    extras = outside_resources(template)
    if extras:
        table = Table(title="Beside the resources (CDK and deploy-time lookups)", show_lines=True)
        for column in ("Section", "Name", "Why"):
            table.add_column(column)
        for section, name, why in extras:
            table.add_row(section, name, why)
        print_table(console, table)


def grouped(rows: Sequence[Row]) -> list[tuple[list[str], Row]]:
    """Rows that say the same (six subnets, seven NACL rules) as one: their logical IDs, and the first row."""
    groups: dict[tuple[str, Explanation, tuple[str, ...], str], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.resource_type, row.explanation, row.cost, row.on_destroy), []).append(row)
    return [([row.logical_id for row in same], same[0]) for same in groups.values()]


def _table(title: str, rows: Sequence[Row], *, cdk: bool) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", show_lines=True, expand=True)
    table.add_column("Logical ID", overflow="fold", ratio=3)
    table.add_column("Type", overflow="fold", ratio=2)
    table.add_column("Why CDK adds it" if cdk else "What it does", ratio=6)
    if not cdk:
        table.add_column("Cost / month", ratio=3)
    table.add_column("On cdk destroy", ratio=2)
    for logical_ids, row in grouped(rows):
        what = Text(row.explanation.what)
        if row.explanation.guide:
            what.append(f" ({row.explanation.guide})", style="dim")
        elif not cdk:
            what.append(" (not in the guides)", style="dim")
        cells: list[str | Text] = ["\n".join(logical_ids), short_type(row.resource_type), what]
        if not cdk:
            cells.append("\n".join(row.cost))
        cells.append(row.on_destroy)
        table.add_row(*cells)
    return table


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lab", required=True, help="the lab to explain (make explain LAB=...)")
    parser.add_argument("--stage", default="sandbox", help="a stage block of cdk.json (default sandbox)")
    parser.add_argument(
        "--cdk-out", type=Path, help="read the templates `make synth` wrote there instead of synthesizing"
    )
    args = parser.parse_args(argv)
    lab = templates.lab_argument(args.lab)
    stage = templates.stage_argument(args.stage)
    lines = cost_lines(lab, stage)
    loaded = templates.load(stage, [lab], args.cdk_out)
    by_stack = {stack_id: loaded.template_json(stack_id) for stack_id in lab.stack_ids}
    lab_rows = [row for template in by_stack.values() for row in explain(lab, template, lines)]
    console = output_console()
    for stack_id, template in by_stack.items():
        render(console, lab, stage, template, lines, stack_id=stack_id, lab_rows=lab_rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
