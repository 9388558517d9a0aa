"""match_filters: a learner's own CloudTrail records against the four patterns, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.security_baseline import match_filters
from scripts.security_baseline.samples import samples_for
from scripts.stack_outputs import run


def test_a_log_file_prints_each_record_with_the_filters_that_count_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root_login = samples_for("RootAccountUsage").matches[0].record
    denied = samples_for("UnauthorizedApiCalls").matches[0].record
    quiet = samples_for("IamPolicyChanges").does_not_match[0].record
    log_file = tmp_path / "trail.json"
    log_file.write_text(json.dumps({"Records": [root_login, denied, quiet]}))

    assert run(match_filters.main, [str(log_file)]) == 0

    assert capsys.readouterr().out.splitlines() == [
        f"{root_login['eventTime']} ConsoleLogin by Root: RootAccountUsage",
        f"{denied['eventTime']} RunInstances by AssumedRole Client.UnauthorizedOperation: UnauthorizedApiCalls",
        f"{quiet['eventTime']} GetRolePolicy by IAMUser: -",
    ]


def test_json_lines_are_read_too() -> None:
    lines = "\n".join(json.dumps({"eventName": name}) for name in ("PutRolePolicy", "GetRolePolicy"))
    assert [match_filters.matches(r) for r in match_filters.records_in(lines)] == [["IamPolicyChanges"], []]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "error: the input is not JSON"),
        ("[1, 2]", "error: expected CloudTrail records"),
        ("[]", "error: expected CloudTrail records"),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, content: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert run(match_filters.main, [str(path)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(message)


def test_a_missing_file_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(match_filters.main, ["/no/such/file.json"]) == 1
    assert capsys.readouterr().err == "error: no such file: /no/such/file.json\n"
