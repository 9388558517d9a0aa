"""The lab seam: names, stack ids, pinned regions, and the cost lines the prod preflight prints."""

from __future__ import annotations

import pytest

from scripts.cost_model import total
from scripts.sandbox.labs import LABS, Lab, lab_named


def test_each_lab_is_found_by_its_readme_name() -> None:
    assert lab_named("queue-worker").stack_id == "QueueWorker"
    assert lab_named("three-tier").package == "three_tier"
    assert lab_named("billing-alarm").region == "us-east-1"


def test_an_unknown_name_is_one_line_listing_the_allowed_names() -> None:
    with pytest.raises(LookupError) as raised:
        lab_named("queue_worker")
    message = str(raised.value)
    assert "\n" not in message
    assert "'queue_worker'" in message
    for lab in LABS:
        assert lab.name in message


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_prod_costs_at_least_as_much_as_the_sandbox(lab: Lab) -> None:
    sandbox, prod = total(lab.cost_lines("sandbox")), total(lab.cost_lines("prod"))
    assert sandbox > 0
    assert prod >= sandbox


def test_three_tier_prod_cost_is_the_readme_figure() -> None:
    # The README's cost table for stage prod ends with 194.28 USD (scripts/cost_three_tier.py).
    assert round(total(lab_named("three-tier").cost_lines("prod")), 2) == 194.28
