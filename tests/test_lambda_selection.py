"""`make test-lambda` selects the Lambda functions' own tests (the lambda_code marker)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import LAMBDA_PACKAGES, imported_packages
from tests.conftest import is_lambda_code_test as selected

TESTS = Path(__file__).parent


def test_handler_and_logic_tests_are_selected_stack_and_tool_tests_are_not() -> None:
    assert selected(TESTS / "queue_worker" / "test_handler.py")
    assert selected(TESTS / "serverless_api" / "test_logic.py")
    assert not selected(TESTS / "queue_worker" / "test_stack.py")
    assert not selected(TESTS / "queue_worker" / "test_verify.py")  # scripts/, the learner's tools


def test_every_function_has_tests_in_the_selection() -> None:
    covered: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        if selected(path):
            covered |= imported_packages(path) & LAMBDA_PACKAGES
    assert covered == LAMBDA_PACKAGES, f"no lambda_code tests for {sorted(LAMBDA_PACKAGES - covered)}"
