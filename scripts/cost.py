"""Monthly cost of every lab and stage, from each lab's cost model (stacks/<lab>/cost.py).

    python -m scripts.cost                                  # every lab, every stage
    python -m scripts.cost --lab three-tier --stage prod
    python -m scripts.cost --lab queue-worker --duration-ms 250

The shapes (instance types, counts, Multi-AZ, alarms ...) come from each stage's
block in cdk.json, so the numbers follow the configuration. Prices are dated
us-east-1 list prices (stacks/cost_model.py): check them before you rely on them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from scripts.stack_outputs import OneLineParser
from stacks.config import ConfigError, cdk_json_context, load_stage_config, stage_names
from stacks.cost_model import (
    KMS_ROTATION_NOTE,
    PRICE_REGION,
    PRICES_REVIEWED,
    PriceMissingError,
    alert_topic_key,
    render,
)
from stacks.labs import LABS, Lab, lab_named


def report(lab: Lab, stage: str, *, duration_ms: float) -> str:
    """One lab's cost in one stage: its monthly lines, its usage model if it has one, what is not counted."""
    config = load_stage_config({**cdk_json_context(), "stage": stage})
    section = config.sections[lab.package]
    model = lab.module("cost")
    title = f"Stage {stage} ({lab.name}), {PRICE_REGION} on-demand list prices as of {PRICES_REVIEWED}:"
    monthly_lines = lab.cost_lines(section)
    blocks = [render(title, monthly_lines)]
    usage = getattr(model, "usage_lines", None)
    if usage is not None:
        usage_title, lines = usage(section, duration_ms)
        blocks.append(render(usage_title, lines))
    notes = [model.NOT_COUNTED]
    if any(line.item == alert_topic_key().item for line in monthly_lines):
        notes.append(KMS_ROTATION_NOTE)
    blocks.append("\n".join(notes))
    return "\n\n".join(blocks)


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description=__doc__.split("\n")[0])
    names = ", ".join(lab.name for lab in LABS)
    parser.add_argument("--lab", action="append", help=f"a lab ({names}); repeat for several; default: all")
    parser.add_argument("--stage", action="append", help="a stage block of cdk.json; repeat for several; default: all")
    parser.add_argument(
        "--duration-ms", type=float, default=200, help="billed ms per invocation, for usage models (default 200)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.duration_ms <= 900_000:
        parser.error("--duration-ms must be between 1 and 900000")
    try:
        labs = [lab_named(name) for name in args.lab] if args.lab else list(LABS)
    except LookupError as error:
        parser.error(str(error))
    stages = stage_names()
    for stage in args.stage or []:
        if stage not in stages:
            parser.error(f"unknown stage {stage!r}: must be one of {', '.join(stages)} (the blocks of cdk.json)")
    try:
        print(
            "\n\n".join(
                report(lab, stage, duration_ms=args.duration_ms) for lab in labs for stage in args.stage or stages
            )
        )
    except (ConfigError, PriceMissingError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
