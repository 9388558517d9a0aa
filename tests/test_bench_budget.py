"""`make bench` says where the suite's time goes and what the ratio target leaves for it."""

from __future__ import annotations

import pytest

from scripts.bench_budget import SYNTH_PART, budget, part_of, report, seconds_by_part
from tests.conftest import SYNTH_GROUP

# pytest's own durations list, as `make unit PYTEST_ADDOPTS="--durations=0 --durations-min=0"` prints it.
DURATIONS = """\
============================= slowest durations ==============================
4.93s setup    tests/billing_alarm/test_stack.py::test_pinned[sandbox]@synthesized-apps
2.00s call     tests/test_gates.py::test_templates_pass_cfn_lint@synthesized-apps
1.50s call     tests/serverless_api/test_contract.py::test_a_new_order
0.25s setup    tests/serverless_api/test_bad_input.py::test_unknown_route[/nope]
0.25s teardown tests/serverless_api/test_bad_input.py::test_unknown_route[/nope]
0.70s call     tests/test_config.py::test_app_exits_1
0.00s call     tests/test_registry.py::test_no_other_module_lists_the_labs
1789 passed in 82.02s (0:01:22)
"""


def test_durations_are_summed_by_part() -> None:
    parts = seconds_by_part(DURATIONS)
    assert parts == (
        {
            SYNTH_PART: pytest.approx(6.93),
            "tests/serverless_api/": pytest.approx(2.0),
            "tests/test_config.py": pytest.approx(0.7),
            "tests/test_registry.py": 0.0,
        }
    )


def test_a_test_of_a_synthesized_app_counts_as_the_synth_part_wherever_it_lives() -> None:
    assert part_of("tests/three_tier/test_stack.py::test_nat[prod]@synthesized-apps") == SYNTH_PART
    assert part_of("tests/three_tier/test_verify.py::test_site[prod]") == "tests/three_tier/"
    # The bench recognises the group the conftest puts these tests in.
    assert part_of(f"tests/test_gates.py::test_lint@{SYNTH_GROUP}") == SYNTH_PART


def test_output_without_durations_is_refused_in_one_line() -> None:
    with pytest.raises(ValueError, match=r"no test durations .* --durations=0"):
        seconds_by_part("1789 passed in 82.02s\n")


def test_the_budget_leaves_each_worker_the_allowed_wall_time_less_its_collection() -> None:
    parts = {SYNTH_PART: 24.0, "tests/serverless_api/": 60.0, "tests/db_lambda/": 45.0}
    plan = budget(parts, synth_seconds=12.5, target_ratio=3, workers=2, collection=9.5)
    assert plan.allowed_wall == 37.5
    # Two workers x (37.5 - 9.5) s, less the synthesized apps' 24 s on one of them.
    assert plan.rest_allowed == pytest.approx(32.0)
    assert plan.rest_today == pytest.approx(105.0)
    assert plan.rest_cut_needed == pytest.approx(1 - 32 / 105)
    lines = report(parts, plan, 3)
    assert lines[-1] == "That leaves 32.0 s for every other test; they take 105.0 s (a cut of 70%)."


def test_a_suite_that_fits_needs_no_cut() -> None:
    parts = {SYNTH_PART: 10.0, "tests/fanout/": 20.0}
    plan = budget(parts, synth_seconds=12.5, target_ratio=3, workers=2, collection=5)
    assert plan.rest_cut_needed == 0
    assert report(parts, plan, 3)[-1].endswith(": the target fits.")


def test_an_impossible_budget_asks_to_cut_everything_not_more() -> None:
    plan = budget({SYNTH_PART: 80.0, "tests/fanout/": 20.0}, synth_seconds=10, target_ratio=3, workers=1, collection=5)
    assert plan.rest_allowed < 0
    assert plan.rest_cut_needed == 1


def test_zero_workers_is_refused() -> None:
    with pytest.raises(ValueError, match="workers must be at least 1, got 0"):
        budget({SYNTH_PART: 1.0}, synth_seconds=1, target_ratio=3, workers=0, collection=1)
