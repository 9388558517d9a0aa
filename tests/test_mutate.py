"""scripts/mutate.py (`make mutate`): how it reads mutmut's results, samples and scores. mutmut itself
is not run here (a run takes minutes): this is the arithmetic the printed table rests on."""

from __future__ import annotations

import pytest

from scripts import mutate
from stacks.config import REPO_ROOT

# `mutmut results --all true`, as mutmut 3.8 prints it.
RESULTS = """\
    queue_worker.store.x_write_readings__mutmut_1: killed
    queue_worker.store.x_write_readings__mutmut_2: survived
    queue_worker.store.x__backoff__mutmut_1: timeout
    queue_worker.store.xǁWriteResultǁ__init____mutmut_1: no tests
    queue_worker.store.x__backoff__mutmut_2: caught by type check
    queue_worker.store.x__backoff__mutmut_3: survived
"""


def test_results_are_read_line_by_line_including_methods_and_multi_word_statuses() -> None:
    assert mutate.parse_results("Generating mutants\n" + RESULTS + "\n2.00 mutations/second\n") == {
        "queue_worker.store.x_write_readings__mutmut_1": "killed",
        "queue_worker.store.x_write_readings__mutmut_2": "survived",
        "queue_worker.store.x__backoff__mutmut_1": "timeout",
        "queue_worker.store.xǁWriteResultǁ__init____mutmut_1": "no tests",
        "queue_worker.store.x__backoff__mutmut_2": "caught by type check",
        "queue_worker.store.x__backoff__mutmut_3": "survived",
    }


def test_the_score_counts_timeouts_as_killed_and_leaves_equivalents_out() -> None:
    score = mutate.Score(
        "queue_worker/store.py",
        mutate.parse_results(RESULTS),
        equivalent={"queue_worker.store.x__backoff__mutmut_3", "queue_worker.store.x__backoff__mutmut_9"},
    )
    assert (score.mutants, score.killed, score.timed_out, score.equivalents_seen) == (6, 2, 1, 1)
    # Code that no test reaches survives like any other mutant.
    assert score.survivors == [
        "queue_worker.store.x_write_readings__mutmut_2",
        "queue_worker.store.xǁWriteResultǁ__init____mutmut_1",
    ]
    assert score.score == pytest.approx(100 * 3 / 5)


def test_a_killed_mutant_listed_as_equivalent_counts_as_killed_not_equivalent() -> None:
    score = mutate.Score("m.py", {"m.x_f__mutmut_1": "killed"}, equivalent={"m.x_f__mutmut_1"})
    assert (score.equivalents_seen, score.score) == (0, 100.0)


def test_the_table_has_one_row_per_module() -> None:
    score = mutate.Score("queue_worker/store.py", mutate.parse_results(RESULTS))
    header, row = mutate.table([score]).splitlines()
    assert header.split() == ["module", "mutants", "killed", "survived", "timed", "out", "equivalent", "score"]
    assert row.split() == ["queue_worker/store.py", "6", "2", "3", "1", "0", "50.0%"]


def test_equivalents_are_one_name_and_reason_per_line() -> None:
    text = "# why each survives\n\nm.x_f__mutmut_2  same result: the branch is unreachable\n"
    assert mutate.parse_equivalents(text) == {"m.x_f__mutmut_2": "same result: the branch is unreachable"}
    with pytest.raises(ValueError, match="line 1: write NAME and why it is equivalent"):
        mutate.parse_equivalents("m.x_f__mutmut_2\n")


def test_the_checked_in_equivalents_name_mutants_of_the_mutated_modules() -> None:
    equivalents = mutate.parse_equivalents(mutate.EQUIVALENTS.read_text())
    prefixes = tuple(mutate.module_name(module) + "." for module in mutate.MODULES)
    assert all(name.startswith(prefixes) for name in equivalents)


@pytest.mark.parametrize(("count", "expected"), [(1, [5]), (2, [2, 7]), (5, [1, 3, 5, 7, 9]), (0, list(range(10)))])
def test_the_sample_is_spread_evenly_over_the_file(count: int, expected: list[int]) -> None:
    names = [f"m.x_f__mutmut_{index}" for index in range(10)]
    assert mutate.spread(names, count) == [names[index] for index in expected]
    assert mutate.spread(names, 50) == names


def test_every_module_and_its_test_folder_exist() -> None:
    for module, tests in mutate.MODULES.items():
        assert (REPO_ROOT / "lambda_src" / module).is_file()
        assert (REPO_ROOT / tests).is_dir()
    assert mutate.module_name("queue_worker/store.py") == "queue_worker.store"
